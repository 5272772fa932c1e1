package io.idgraph.history;

import static org.apache.spark.sql.functions.*;

import io.idgraph.schema.Cols;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Applies unmerges. Each record of an unmerged merge's snapshot is pinned to the profile it was in
 * before the merge, so the pre-merge profiles come back with their ids and exactly their records, and
 * the links that merged them cannot merge them again. A record new since the merge that lands in a
 * cluster with pinned records goes with the merge's surviving profile (or, if that is not in the
 * cluster, with the pin holding most of the cluster's records).
 */
public final class Pins {
  private Pins() {}

  /**
   * @param records records whose profile_id is tonight's cluster key
   * @param pins {@link ManualInstructions#pins()}
   * @return the records re-keyed by pin, with {@link StableIds#FORCED_ID} (the id the cluster must
   *     carry, null when unpinned) and {@link HistoryEvents#OP_ID} of the unmerge
   */
  public static Dataset<Row> apply(Dataset<Row> records, Dataset<Row> pins) {
    boolean hasOp = HistoryEvents.has(records, HistoryEvents.OP_ID);
    Dataset<Row> pinned =
        records.join(
            pins.withColumnRenamed(ManualInstructions.OP_ID, "_pin_op"),
            new String[] {Cols.SOURCE, Cols.RECORD_ID},
            "left");
    Dataset<Row> clusterPin =
        pinned
            .where(col(ManualInstructions.PIN_ID).isNotNull())
            .groupBy(col(Cols.PROFILE_ID).as("_cluster"), col(ManualInstructions.PIN_ID))
            .agg(count(lit(1)).as("_n"), max(col(ManualInstructions.SURVIVOR)).as("_s"), max("_pin_op").as("_cop"))
            .withColumn(
                "_rank",
                row_number()
                    .over(
                        Window.partitionBy("_cluster")
                            .orderBy(col("_s").desc(), col("_n").desc(), col(ManualInstructions.PIN_ID))))
            .where(col("_rank").equalTo(1))
            .select(col("_cluster"), col(ManualInstructions.PIN_ID).as("_default"), col("_cop"));
    return pinned
        .join(clusterPin, col(Cols.PROFILE_ID).equalTo(col("_cluster")), "left")
        .withColumn(StableIds.FORCED_ID, coalesce(col(ManualInstructions.PIN_ID), col("_default")))
        .withColumn(
            Cols.PROFILE_ID,
            when(col(StableIds.FORCED_ID).isNotNull(), concat(lit("pin:"), col(StableIds.FORCED_ID)))
                .otherwise(col(Cols.PROFILE_ID)))
        .withColumn(
            HistoryEvents.OP_ID,
            hasOp
                ? coalesce(col("_pin_op"), col("_cop"), col(HistoryEvents.OP_ID))
                : coalesce(col("_pin_op"), col("_cop")))
        .drop(ManualInstructions.PIN_ID, ManualInstructions.SURVIVOR, "_pin_op", "_cluster", "_default", "_cop");
  }
}
