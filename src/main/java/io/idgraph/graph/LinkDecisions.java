package io.idgraph.graph;

import static org.apache.spark.sql.functions.*;

import io.idgraph.normalize.DoNotLinkIdentifiers;
import io.idgraph.schema.Cols;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Rows of the link_decisions table: every identifier the identity rules kept from linking, with the
 * rule (blocklist, hub_isolation, do_not_link), its type and hash, how many records carry it and, for
 * hubs, its degree (distinct strong identifiers seen with it), for refused links the number of groups
 * it was kept from, and a sentence saying why ({@code detail}).
 */
public final class LinkDecisions {
  public static final String BLOCKLIST = "blocklist";
  public static final String HUB_ISOLATION = "hub_isolation";
  public static final String DO_NOT_LINK = "do_not_link";
  public static final String DETAIL = "detail";

  private static final StructType IDS =
      new StructType().add(Cols.ID_TYPE, DataTypes.StringType).add(Cols.ID_HASH, DataTypes.StringType);

  private LinkDecisions() {}

  /** Blocked values: input (id_type, id_hash, records). */
  public static Dataset<Row> blocked(Dataset<Row> counted) {
    return shape(
        counted,
        BLOCKLIST,
        lit(null).cast(DataTypes.LongType),
        lit("junk value on the blocklist; never an identifier"));
  }

  /** Isolated hubs: input (id_type, id_hash, degree, names, records). */
  public static Dataset<Row> isolatedHubs(Dataset<Row> hubs) {
    return shape(
        hubs,
        HUB_ISOLATION,
        col(LinkRules.DEGREE),
            concat_ws(
                "",
                lit("seen with "),
                when(
                    col(LinkRules.DEGREE).isNotNull(),
                    concat(
                        col(LinkRules.DEGREE),
                        lit(" distinct emails, user ids or external ids (more than rules.hub_threshold)"))),
                when(col(LinkRules.DEGREE).isNotNull().and(col(LinkRules.NAMES).isNotNull()), lit(" and ")),
                when(
                    col(LinkRules.NAMES).isNotNull(),
                    concat(col(LinkRules.NAMES), lit(" distinct names (more than rules.hub_name_threshold)"))),
                lit("; links nothing")));
  }

  /**
   * Links refused while profiles formed (limits, do-not-link pairs, size cap): input from {@link
   * io.idgraph.cluster.RuleAwareClustering.Result#refusals()}.
   */
  public static Dataset<Row> refusedLinks(Dataset<Row> refusals) {
    return refusals.select(
        col(Cols.RULE),
        col(Cols.ID_TYPE),
        col(Cols.ID_HASH),
        col(LinkRules.RECORDS).cast(DataTypes.LongType).as(LinkRules.RECORDS),
        col(LinkRules.DEGREE).cast(DataTypes.LongType).as(LinkRules.DEGREE),
        col(DETAIL));
  }

  /** Do-not-link identifiers: input (id_type, id_hash, records). */
  public static Dataset<Row> doNotLink(Dataset<Row> counted) {
    return shape(
        counted,
        DO_NOT_LINK,
        lit(null).cast(DataTypes.LongType),
        lit("listed in rules.do_not_link; links nothing"));
  }

  public static Dataset<Row> withRunId(Dataset<Row> decisions, String runId) {
    return decisions.withColumn(Cols.RUN_ID, lit(runId));
  }

  /** An empty hubs input, for when hub isolation is off. */
  public static Dataset<Row> none(SparkSession spark) {
    return spark.createDataFrame(
        List.of(),
        IDS.add(LinkRules.DEGREE, DataTypes.LongType)
            .add(LinkRules.NAMES, DataTypes.LongType)
            .add(LinkRules.RECORDS, DataTypes.LongType));
  }

  /** A small driver-side list of identifiers (from config) as a Dataset (id_type, id_hash). */
  public static Dataset<Row> identifiers(SparkSession spark, List<DoNotLinkIdentifiers.Hashed> ids) {
    List<Row> rows = new ArrayList<>();
    for (DoNotLinkIdentifiers.Hashed id : ids) {
      rows.add(RowFactory.create(id.type(), id.hash()));
    }
    return spark.createDataFrame(rows, IDS);
  }

  private static Dataset<Row> shape(
      Dataset<Row> in, String rule, org.apache.spark.sql.Column degree, org.apache.spark.sql.Column detail) {
    return in.select(
        lit(rule).as(Cols.RULE),
        col(Cols.ID_TYPE),
        col(Cols.ID_HASH),
        coalesce(col(LinkRules.RECORDS), lit(0L)).cast(DataTypes.LongType).as(LinkRules.RECORDS),
        degree.cast(DataTypes.LongType).as(LinkRules.DEGREE),
        detail.as(DETAIL));
  }
}
