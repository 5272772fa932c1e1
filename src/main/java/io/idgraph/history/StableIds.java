package io.idgraph.history;

import static org.apache.spark.sql.functions.*;

import io.idgraph.schema.Cols;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Gives tonight's profiles the ids they had last night, so downstream joins on profile_id survive the
 * re-run. Tonight's clustering names each profile by its content (a cluster key); this maps every
 * cluster to a previous profile id through the records the two share.
 *
 * <p>The rule, applied in this order:
 *
 * <ol>
 *   <li>Every previous profile has one heir: the cluster holding most of its records (ties: the
 *       smaller cluster key). A cluster pinned to an id by an unmerge is that id's heir outright.
 *   <li>A cluster that is heir to one or more previous profiles takes the id of one of them, the
 *       survivor: a pinned id first, then a profile that knows the person (state known or unified)
 *       before an anonymous one, then the earliest first_seen, then the smallest id. The other
 *       profiles it inherits are merged into it.
 *   <li>A cluster that is heir to none is a new profile (or a part split off an old one): it is named
 *       by its cluster key, or, if that key was some previous profile's id, by a fresh id derived from
 *       the key and the run id, so an id never changes owner.
 * </ol>
 *
 * A person whose records did not change keeps the id; an anonymous visitor who signs up keeps the
 * history and the known profile's id survives. Pure Dataset transformations, no collect.
 */
public final class StableIds {
  /** Tonight's content-derived cluster key of a record (kept for the history tables). */
  public static final String CLUSTER = Cols.INTERNAL_PREFIX + "cluster";
  /** Set on records pinned by an unmerge: the id their cluster must carry. */
  public static final String FORCED_ID = Cols.INTERNAL_PREFIX + "forced_id";
  public static final String RECORDS = "records";
  public static final String HEIR = "heir";
  public static final String INHERITED = "inherited";

  private StableIds() {}

  /**
   * @param records records whose profile_id is tonight's cluster key, optionally with {@link
   *     #FORCED_ID}
   * @param overlap (cluster, old_profile_id, records, heir) for every pair sharing records
   * @param clusters (cluster, profile_id, inherited): tonight's id of each cluster and the sorted
   *     previous ids it inherits (empty for a new profile)
   */
  public record Result(Dataset<Row> records, Dataset<Row> overlap, Dataset<Row> clusters) {}

  public static Result assign(Dataset<Row> records, PreviousRun previous, String runId) {
    boolean pinned = java.util.Arrays.asList(records.columns()).contains(FORCED_ID);
    Dataset<Row> keyed = records.withColumnRenamed(Cols.PROFILE_ID, CLUSTER);
    Dataset<Row> shared =
        keyed
            .select(col(Cols.SOURCE), col(Cols.RECORD_ID), col(CLUSTER))
            .join(previous.records(), new String[] {Cols.SOURCE, Cols.RECORD_ID})
            .groupBy(CLUSTER, Cols.OLD_PROFILE_ID)
            .agg(count(lit(1)).as(RECORDS));
    if (pinned) {
      // A pinned cluster is its id's heir whatever the counts say.
      shared =
          shared
              .unionByName(
                  keyed
                      .where(col(FORCED_ID).isNotNull())
                      .select(col(CLUSTER), col(FORCED_ID).as(Cols.OLD_PROFILE_ID))
                      .distinct()
                      .withColumn(RECORDS, lit(Long.MAX_VALUE)))
              .groupBy(CLUSTER, Cols.OLD_PROFILE_ID)
              .agg(max(RECORDS).as(RECORDS));
    }
    Dataset<Row> overlap =
        shared.withColumn(
            HEIR,
            row_number()
                .over(
                    Window.partitionBy(Cols.OLD_PROFILE_ID)
                        .orderBy(col(RECORDS).desc(), col(CLUSTER)))
                .equalTo(1));

    Column forcedFirst = col(RECORDS).equalTo(lit(Long.MAX_VALUE)).cast("int");
    Column knowsPerson = col(Cols.STATE).isin("known", "unified").cast("int");
    Dataset<Row> survivors =
        overlap
            .where(col(HEIR))
            // Left: an id pinned by an unmerge of a first-night merge was never a published profile.
            .join(previous.profiles(), new String[] {Cols.OLD_PROFILE_ID}, "left")
            .withColumn(
                "_rank",
                row_number()
                    .over(
                        Window.partitionBy(CLUSTER)
                            .orderBy(
                                forcedFirst.desc(),
                                coalesce(knowsPerson, lit(0)).desc(),
                                col(Cols.FIRST_SEEN).asc_nulls_last(),
                                col(Cols.OLD_PROFILE_ID))))
            .groupBy(CLUSTER)
            .agg(
                max(when(col("_rank").equalTo(1), col(Cols.OLD_PROFILE_ID))).as("_survivor"),
                array_sort(collect_set(col(Cols.OLD_PROFILE_ID))).as(INHERITED));

    Dataset<Row> takenIds =
        previous.takenIds().select(col(Cols.OLD_PROFILE_ID).as("_taken")).distinct();
    Column freshId =
        concat(lit("prf_"), substring(sha2(concat_ws("|", col(CLUSTER), lit(runId)), 256), 1, 16));
    Dataset<Row> clusters =
        keyed
            .select(col(CLUSTER))
            .distinct()
            .join(survivors, CLUSTER, "left")
            .join(takenIds, col(CLUSTER).equalTo(col("_taken")), "left")
            .select(
                col(CLUSTER),
                when(col("_survivor").isNotNull(), col("_survivor"))
                    .when(col("_taken").isNotNull(), freshId)
                    .otherwise(col(CLUSTER))
                    .as(Cols.PROFILE_ID),
                coalesce(col(INHERITED), array().cast("array<string>")).as(INHERITED));
    Dataset<Row> assigned =
        keyed.join(clusters.select(col(CLUSTER), col(Cols.PROFILE_ID)), CLUSTER);
    return new Result(assigned, overlap, clusters);
  }
}
