package io.idgraph.history;

import static org.apache.spark.sql.functions.*;

import io.idgraph.schema.Cols;
import io.idgraph.scoring.ScoredLinks;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What tonight's ids did to last night's profiles, as rows of profile_id_changes, merge_history and
 * merge_snapshots. A previous profile can be kept (no row), merged into another (its heir cluster
 * took another id), split (some of its records now live in other profiles; "unmerged" when an unmerge
 * pinned them), or deleted (none of its records is left, e.g. a contact gone from a CRM snapshot).
 * Pure functions over {@link StableIds.Result}.
 */
public final class HistoryEvents {
  public static final String MERGE = "merge";
  public static final String SPLIT = "split";
  public static final String MERGED = "merged";
  public static final String UNMERGED = "unmerged";
  public static final String DELETED = "deleted";
  /** The admin operation that shaped a record's profile tonight (manual link or unmerge pin). */
  public static final String OP_ID = Cols.INTERNAL_PREFIX + "op_id";

  private HistoryEvents() {}

  /** merge_id of tonight's merge into a cluster; the same formula names its snapshot rows. */
  static Column mergeId(String runId, Column cluster) {
    return concat(lit("mrg_"), substring(sha2(concat_ws("|", lit(runId), cluster), 256), 1, 24));
  }

  static Column splitId(String runId, Column oldId) {
    return concat(lit("spl_"), substring(sha2(concat_ws("|", lit(runId), oldId), 256), 1, 24));
  }

  /**
   * profile_id_changes: run_id, changed_at, old_profile_id, new_profile_id, change_type (merged,
   * split, unmerged, deleted), merge_id (the merge_history row that explains it; null for deleted).
   */
  public static Dataset<Row> changes(
      StableIds.Result ids, PreviousRun previous, String runId, Instant at) {
    Dataset<Row> named = named(ids);
    Column forced = col(PINNED);
    Dataset<Row> moved =
        named
            .where(col(Cols.PROFILE_ID).notEqual(col(Cols.OLD_PROFILE_ID)))
            .select(
                lit(runId).as(Cols.RUN_ID),
                lit(Timestamp.from(at)).as(Cols.CHANGED_AT),
                col(Cols.OLD_PROFILE_ID),
                col(Cols.PROFILE_ID).as(Cols.NEW_PROFILE_ID),
                when(col(StableIds.HEIR), lit(MERGED))
                    .when(forced, lit(UNMERGED))
                    .otherwise(lit(SPLIT))
                    .as(Cols.CHANGE_TYPE),
                when(col(StableIds.HEIR), mergeId(runId, col(StableIds.CLUSTER)))
                    .otherwise(splitId(runId, col(Cols.OLD_PROFILE_ID)))
                    .as(Cols.MERGE_ID));
    Dataset<Row> deleted =
        previous
            .profiles()
            .select(col(Cols.OLD_PROFILE_ID))
            .join(ids.overlap(), Cols.OLD_PROFILE_ID, "left_anti")
            .select(
                lit(runId).as(Cols.RUN_ID),
                lit(Timestamp.from(at)).as(Cols.CHANGED_AT),
                col(Cols.OLD_PROFILE_ID),
                lit(null).cast("string").as(Cols.NEW_PROFILE_ID),
                lit(DELETED).as(Cols.CHANGE_TYPE),
                lit(null).cast("string").as(Cols.MERGE_ID));
    return moved.unionByName(deleted);
  }

  /**
   * One merge_history row per cluster that inherited two or more previous profiles. Signals are the
   * identifier types that records of two different units share (a unit is a previous profile, or a
   * source entity new tonight: the sign-up that ties a cookie to an account). Method: manual when an
   * admin operation joined the cluster, probabilistic when a scored link holds part of it (its
   * probability is the weakest such link), else deterministic.
   *
   * @param records {@link StableIds.Result#records()}, with link_confidence when scoring ran and
   *     {@link #OP_ID} when manual operations applied
   * @param operations (op_id, actor, reason) of manual operations; may be empty
   */
  public static Dataset<Row> merges(
      StableIds.Result ids,
      Dataset<Row> records,
      PreviousRun previous,
      Dataset<Row> operations,
      String runId,
      Instant at,
      int reversibleDays) {
    Dataset<Row> merging =
        ids.clusters().where(size(col(StableIds.INHERITED)).geq(2));
    Dataset<Row> inMerge =
        records.join(merging.select(col(StableIds.CLUSTER)), StableIds.CLUSTER, "left_semi");
    Dataset<Row> withUnit =
        inMerge
            .join(previous.records(), new String[] {Cols.SOURCE, Cols.RECORD_ID}, "left")
            .withColumn("_unit", coalesce(col(Cols.OLD_PROFILE_ID), concat(lit("new:"), col(Cols.ENTITY))));
    String id = Cols.INTERNAL_PREFIX + "id";
    Dataset<Row> signals =
        withUnit
            .select(col(StableIds.CLUSTER), col("_unit"), explode(col(Cols.IDENTIFIERS)).as(id))
            .groupBy(col(StableIds.CLUSTER), col(id))
            .agg(countDistinct("_unit").as("_units"))
            .where(col("_units").geq(2))
            .groupBy(StableIds.CLUSTER)
            .agg(array_sort(collect_set(col(id).getField(Cols.ID_TYPE))).as(Cols.SIGNALS));
    boolean scored = has(records, ScoredLinks.LINK_CONFIDENCE);
    boolean manual = has(records, OP_ID);
    Dataset<Row> how =
        inMerge
            .groupBy(StableIds.CLUSTER)
            .agg(
                (scored ? min(col(ScoredLinks.LINK_CONFIDENCE)) : lit(null).cast("double")).as("_weakest"),
                (manual ? max(col(OP_ID)) : lit(null).cast("string")).as("_op"));
    Dataset<Row> ops = byOperation(operations);
    Column sig = coalesce(col(Cols.SIGNALS), array().cast("array<string>"));
    Column probabilistic = col("_weakest").lt(1.0);
    Column method =
        when(col("_op").isNotNull(), lit("manual"))
            .when(probabilistic, lit("probabilistic"))
            .otherwise(lit("deterministic"));
    Column reason =
        when(col("_op").isNotNull(), concat(lit("manual merge: "), coalesce(col("_why"), lit(""))))
            .when(
                probabilistic,
                concat(
                    lit("probabilistic link (probability "),
                    format_number(col("_weakest"), 3),
                    lit(") and shared identifiers: "),
                    concat_ws(", ", sig)))
            .otherwise(concat(lit("shared identifiers: "), concat_ws(", ", sig)));
    return merging
        .join(signals, StableIds.CLUSTER, "left")
        .join(how, StableIds.CLUSTER, "left")
        .join(ops, "_op", "left")
        .select(
            mergeId(runId, col(StableIds.CLUSTER)).as(Cols.MERGE_ID),
            lit(runId).as(Cols.RUN_ID),
            lit(MERGE).as(Cols.EVENT),
            lit(Timestamp.from(at)).as(Cols.MERGED_AT),
            col(Cols.PROFILE_ID).as(Cols.SURVIVING_PROFILE_ID),
            col(StableIds.INHERITED).as(Cols.MERGED_PROFILE_IDS),
            lit(null).cast("array<string>").as(Cols.SPLIT_PROFILE_IDS),
            sig.as(Cols.SIGNALS),
            method.as(Cols.METHOD),
            when(probabilistic, col("_weakest")).as(Cols.PROBABILITY),
            coalesce(col("_actor"), lit("system")).as(Cols.ACTOR),
            reason.as(Cols.REASON),
            lit(Timestamp.from(at.plus(Duration.ofDays(reversibleDays)))).as(Cols.REVERSIBLE_UNTIL));
  }

  /**
   * One merge_history row (event split) per previous profile whose records now live in two or more
   * profiles: merged_profile_ids holds the old id, split_profile_ids the profiles its records are in
   * now, surviving_profile_id the part that kept the old id (null if none did). Method manual when an
   * unmerge pinned the parts, else deterministic (a rule, a blocked identifier or a changed record
   * took the link away).
   */
  public static Dataset<Row> splits(
      StableIds.Result ids, Dataset<Row> operations, Dataset<Row> records, String runId, Instant at) {
    Dataset<Row> named = named(ids);
    Dataset<Row> clusterOps =
        has(records, OP_ID)
            ? records.groupBy(StableIds.CLUSTER).agg(max(col(OP_ID)).as("_op"))
            : named.select(col(StableIds.CLUSTER)).distinct().withColumn("_op", lit(null).cast("string"));
    Dataset<Row> ops = byOperation(operations);
    Column forced = col(PINNED);
    return named
        .join(clusterOps, StableIds.CLUSTER, "left")
        .groupBy(Cols.OLD_PROFILE_ID)
        .agg(
            array_sort(collect_set(col(Cols.PROFILE_ID))).as(Cols.SPLIT_PROFILE_IDS),
            max(when(col(Cols.PROFILE_ID).equalTo(col(Cols.OLD_PROFILE_ID)), col(Cols.PROFILE_ID)))
                .as(Cols.SURVIVING_PROFILE_ID),
            max(forced).as("_unmerged"),
            max(col("_op")).as("_op"))
        .where(size(col(Cols.SPLIT_PROFILE_IDS)).geq(2))
        .join(ops, "_op", "left")
        .select(
            splitId(runId, col(Cols.OLD_PROFILE_ID)).as(Cols.MERGE_ID),
            lit(runId).as(Cols.RUN_ID),
            lit(SPLIT).as(Cols.EVENT),
            lit(Timestamp.from(at)).as(Cols.MERGED_AT),
            col(Cols.SURVIVING_PROFILE_ID),
            array(col(Cols.OLD_PROFILE_ID)).as(Cols.MERGED_PROFILE_IDS),
            col(Cols.SPLIT_PROFILE_IDS),
            array().cast("array<string>").as(Cols.SIGNALS),
            when(col("_unmerged").or(col("_op").isNotNull()), lit("manual"))
                .otherwise(lit("deterministic"))
                .as(Cols.METHOD),
            lit(null).cast("double").as(Cols.PROBABILITY),
            coalesce(col("_actor"), lit("system")).as(Cols.ACTOR),
            concat(
                    lit("records of "),
                    col(Cols.OLD_PROFILE_ID),
                    lit(" now form "),
                    size(col(Cols.SPLIT_PROFILE_IDS)).cast("string"),
                    lit(" profiles: "),
                    when(col("_unmerged"), concat(lit("unmerge: "), coalesce(col("_why"), lit(""))))
                        .otherwise(
                            lit("an identifier that tied them was blocked, refused by a rule, or"
                                + " left with a changed or deleted record")))
                .as(Cols.REASON),
            lit(null).cast("timestamp").as(Cols.REVERSIBLE_UNTIL));
  }

  /**
   * merge_snapshots rows of tonight's merges of previous profiles: the pre-merge membership (merge_id,
   * run_id, profile_id, source, record_id) that an unmerge restores. Kept in a table of its own, not
   * left to Delta time travel, which VACUUM removes.
   */
  public static Dataset<Row> snapshots(StableIds.Result ids, PreviousRun previous, String runId) {
    return ids.clusters()
        .where(size(col(StableIds.INHERITED)).geq(2))
        .select(
            mergeId(runId, col(StableIds.CLUSTER)).as(Cols.MERGE_ID),
            explode(col(StableIds.INHERITED)).as(Cols.OLD_PROFILE_ID))
        .join(previous.records(), Cols.OLD_PROFILE_ID)
        .select(
            col(Cols.MERGE_ID),
            lit(runId).as(Cols.RUN_ID),
            col(Cols.OLD_PROFILE_ID).as(Cols.PROFILE_ID),
            col(Cols.SOURCE),
            col(Cols.RECORD_ID));
  }

  /**
   * merge_snapshots rows of tonight's probabilistic merges of deterministic profiles that were not
   * published before (see ProfileTables.probabilisticMerges): each side's records under its
   * deterministic profile id.
   */
  public static Dataset<Row> pairSnapshots(Dataset<Row> probabilisticMerges, Dataset<Row> records) {
    return probabilisticMerges
        .select(col(Cols.MERGE_ID), col(Cols.RUN_ID), explode(col(Cols.MERGED_PROFILE_IDS)).as("_det"))
        .join(
            records.select(col(Cols.DETERMINISTIC_PROFILE_ID), col(Cols.SOURCE), col(Cols.RECORD_ID)),
            col("_det").equalTo(col(Cols.DETERMINISTIC_PROFILE_ID)))
        .select(
            col(Cols.MERGE_ID),
            col(Cols.RUN_ID),
            col("_det").as(Cols.PROFILE_ID),
            col(Cols.SOURCE),
            col(Cols.RECORD_ID));
  }

  /** (_op, _actor, _why) of the operations, to join on a row's op id. */
  private static Dataset<Row> byOperation(Dataset<Row> operations) {
    return operations.select(col("op_id").as("_op"), col(Cols.ACTOR).as("_actor"), col(Cols.REASON).as("_why"));
  }

  private static final String PINNED = Cols.INTERNAL_PREFIX + "pinned";

  /** Overlap rows with the cluster's id tonight and whether an unmerge pinned the cluster. */
  private static Dataset<Row> named(StableIds.Result ids) {
    Dataset<Row> pinned =
        ids.overlap()
            .where(col(StableIds.RECORDS).equalTo(lit(Long.MAX_VALUE)))
            .select(col(StableIds.CLUSTER))
            .distinct()
            .withColumn(PINNED, lit(true));
    return ids.overlap()
        .join(ids.clusters().select(col(StableIds.CLUSTER), col(Cols.PROFILE_ID)), StableIds.CLUSTER)
        .join(pinned, new String[] {StableIds.CLUSTER}, "left")
        .withColumn(PINNED, coalesce(col(PINNED), lit(false)));
  }

  static boolean has(Dataset<Row> ds, String column) {
    return Arrays.asList(ds.columns()).contains(column);
  }
}
