package io.idgraph.graph;

import static org.apache.spark.sql.functions.*;

import io.idgraph.config.GraphConfig;
import io.idgraph.schema.Cols;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The deterministic identity graph: vertices are hashed identifiers, and every record links all of its
 * linkable identifiers. A record with k linkable identifiers contributes a star of k-1 edges from its
 * anchor (the smallest hash) rather than a clique: the same components with linear, not quadratic,
 * edges. Pure functions over canonical records.
 */
public final class DeterministicEdges {
  /** The record's linkable identifiers, sorted: array of (id_hash, id_type). */
  public static final String LINKABLE = Cols.INTERNAL_PREFIX + "linkable";
  private static final String OTHER = Cols.INTERNAL_PREFIX + "other";
  private static final String UNLINKABLE = Cols.INTERNAL_PREFIX + "unlinkable";
  private static final String SOURCE_KEY = Cols.INTERNAL_PREFIX + "source";
  private static final String RECORD_KEY = Cols.INTERNAL_PREFIX + "record_id";

  private DeterministicEdges() {}

  /** Whether an identifier struct's type links records, per {@link GraphConfig#links}. */
  public static Column isLinkable(Column idType, GraphConfig graph) {
    List<String> exact = new ArrayList<>();
    for (String t : graph.linkTypes()) {
      if (!t.equals("external_id")) {
        exact.add(t);
      }
    }
    Column linkable = idType.isin(exact.toArray());
    if (graph.linkTypes().contains("external_id")) {
      linkable = linkable.or(idType.startsWith("external_id:"));
    }
    return linkable;
  }

  /** Adds the sorted linkable identifiers ({@link #LINKABLE}) to each canonical record. */
  public static Dataset<Row> withAnchors(Dataset<Row> records, GraphConfig graph) {
    Column linkable =
        array_sort(
            transform(
                filter(col(Cols.IDENTIFIERS), id -> isLinkable(id.getField(Cols.ID_TYPE), graph)),
                id -> struct(id.getField(Cols.ID_HASH), id.getField(Cols.ID_TYPE))));
    return records.withColumn(LINKABLE, linkable);
  }

  /**
   * Like {@link #withAnchors(Dataset, GraphConfig)}, but identifiers listed in {@code unlinkable}
   * (column id_hash: isolated hubs, do-not-link values) link nothing. They stay on the record.
   */
  public static Dataset<Row> withAnchors(
      Dataset<Row> records, GraphConfig graph, Dataset<Row> unlinkable) {
    String id = Cols.INTERNAL_PREFIX + "id";
    Dataset<Row> linkablePerRecord =
        records
            .select(col(Cols.SOURCE), col(Cols.RECORD_ID), explode(col(Cols.IDENTIFIERS)).as(id))
            .where(isLinkable(col(id).getField(Cols.ID_TYPE), graph))
            .join(
                broadcast(unlinkable.select(col(Cols.ID_HASH).as(UNLINKABLE)).distinct()),
                col(id).getField(Cols.ID_HASH).equalTo(col(UNLINKABLE)),
                "left_anti")
            .groupBy(col(Cols.SOURCE).as(SOURCE_KEY), col(Cols.RECORD_ID).as(RECORD_KEY))
            .agg(
                array_sort(
                        collect_list(
                            struct(col(id).getField(Cols.ID_HASH), col(id).getField(Cols.ID_TYPE))))
                    .as(LINKABLE));
    return records
        .join(
            linkablePerRecord,
            col(Cols.SOURCE).equalTo(col(SOURCE_KEY)).and(col(Cols.RECORD_ID).equalTo(col(RECORD_KEY))),
            "left")
        .drop(SOURCE_KEY, RECORD_KEY)
        .withColumn(
            LINKABLE,
            coalesce(
                col(LINKABLE),
                array().cast(
                    "array<struct<" + Cols.ID_HASH + ":string," + Cols.ID_TYPE + ":string>>")));
  }

  /**
   * One row per (record, edge): src_hash, dst_hash (the anchor and another linkable identifier of the
   * record), their types, the rule ("&lt;source&gt;:&lt;event type or record&gt;") and the record's
   * time. Input: {@link #withAnchors} output.
   */
  public static Dataset<Row> recordEdges(Dataset<Row> anchored) {
    Column rule =
        concat_ws(
            ":", col(Cols.SOURCE), coalesce(col(Cols.ATTRIBUTES).getItem("type"), lit("record")));
    return anchored
        .where(size(col(LINKABLE)).gt(1))
        .select(
            try_element_at(col(LINKABLE), lit(1)).as("_anchor_struct"),
            explode(slice(col(LINKABLE), 2, Integer.MAX_VALUE)).as(OTHER),
            rule.as(Cols.RULE),
            col(Cols.EVENT_TIME))
        .select(
            col("_anchor_struct").getField(Cols.ID_HASH).as(Cols.SRC_HASH),
            col(OTHER).getField(Cols.ID_HASH).as(Cols.DST_HASH),
            array(
                    col("_anchor_struct").getField(Cols.ID_TYPE),
                    col(OTHER).getField(Cols.ID_TYPE))
                .as(Cols.SIGNALS),
            col(Cols.RULE),
            col(Cols.EVENT_TIME));
  }

  /** The identity_edges table rows: one per distinct identifier pair, with evidence totals. */
  public static Dataset<Row> aggregate(Dataset<Row> recordEdges, String runId) {
    return recordEdges
        .groupBy(Cols.SRC_HASH, Cols.DST_HASH)
        .agg(
            concat_ws(",", array_sort(collect_set(col(Cols.RULE)))).as(Cols.RULE),
            array_sort(array_distinct(flatten(collect_set(col(Cols.SIGNALS))))).as(Cols.SIGNALS),
            min(Cols.EVENT_TIME).as(Cols.FIRST_SEEN),
            count(lit(1)).as(Cols.RECORD_COUNT))
        .select(
            col(Cols.SRC_HASH),
            col(Cols.DST_HASH),
            lit("deterministic").as(Cols.METHOD),
            col(Cols.RULE),
            lit(1.0).as(Cols.CONFIDENCE),
            col(Cols.SIGNALS),
            col(Cols.FIRST_SEEN),
            col(Cols.RECORD_COUNT),
            lit(runId).as(Cols.RUN_ID));
  }
}
