package io.idgraph.history;

import static org.apache.spark.sql.functions.*;

import io.idgraph.ops.ManualOperations;
import io.idgraph.schema.Cols;
import io.idgraph.sink.OutputTables;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The admins' standing instructions, read from the manual_operations table that {@code idgraph merge
 * | unmerge | block | review} append to, and turned into what tonight's run applies: links (merge,
 * approve), kept-apart pairs (reject), blocked identifiers (block) and pins (unmerge: each record of
 * the merge's snapshot goes back to the profile it was in before the merge). Every run applies every
 * instruction recorded so far, so an operation takes effect at the next run and keeps holding.
 */
public final class ManualInstructions {
  public static final String TABLE = "manual_operations";

  public static final String OP_ID = "op_id";
  public static final String OPERATION = "operation";
  public static final String REQUESTED_AT = "requested_at";
  public static final String ANCHOR_RECORDS = "anchor_records";
  public static final String CANDIDATE_ID = Cols.CANDIDATE_ID;

  /** Anchor pairs: a_source, a_record_id, b_source, b_record_id, op_id. */
  public static final String A_SOURCE = "a_source";
  public static final String A_RECORD = "a_record_id";
  public static final String B_SOURCE = "b_source";
  public static final String B_RECORD = "b_record_id";
  public static final String PIN_ID = "pin_id";
  public static final String SURVIVOR = "survivor";

  private final Dataset<Row> operations;
  private final Dataset<Row> snapshots;
  private final Dataset<Row> mergeHistory;

  public ManualInstructions(Dataset<Row> operations, Dataset<Row> snapshots, Dataset<Row> mergeHistory) {
    this.operations = operations;
    this.snapshots = snapshots;
    this.mergeHistory = mergeHistory;
  }

  private static final StructType SNAPSHOT_SCHEMA =
      new StructType()
          .add(Cols.MERGE_ID, DataTypes.StringType)
          .add(Cols.RUN_ID, DataTypes.StringType)
          .add(Cols.PROFILE_ID, DataTypes.StringType)
          .add(Cols.SOURCE, DataTypes.StringType)
          .add(Cols.RECORD_ID, DataTypes.StringType);

  private static final StructType HISTORY_SCHEMA =
      new StructType()
          .add(Cols.MERGE_ID, DataTypes.StringType)
          .add(Cols.SURVIVING_PROFILE_ID, DataTypes.StringType);

  /** The instructions under an output root; none on a first night. */
  public static ManualInstructions read(SparkSession spark, String outputRoot) {
    return new ManualInstructions(
        ManualOperations.read(spark, outputRoot),
        table(spark, outputRoot, OutputTables.MERGE_SNAPSHOTS, SNAPSHOT_SCHEMA),
        table(spark, outputRoot, OutputTables.MERGE_HISTORY, HISTORY_SCHEMA));
  }

  private static Dataset<Row> table(SparkSession spark, String root, String name, StructType empty) {
    return OutputTables.read(spark, root, name)
        .orElseGet(() -> spark.createDataFrame(java.util.List.of(), empty));
  }

  private Dataset<Row> ops(String operation) {
    return operations.where(col(OPERATION).equalTo(operation));
  }

  private static Dataset<Row> anchorPairs(Dataset<Row> ops) {
    Column a = col(ANCHOR_RECORDS).getItem(0);
    Column b = col(ANCHOR_RECORDS).getItem(1);
    return ops.where(size(col(ANCHOR_RECORDS)).geq(2))
        .select(
            a.getField(Cols.SOURCE).as(A_SOURCE),
            a.getField(Cols.RECORD_ID).as(A_RECORD),
            b.getField(Cols.SOURCE).as(B_SOURCE),
            b.getField(Cols.RECORD_ID).as(B_RECORD),
            col(OP_ID));
  }

  /** Records an admin joined: manual merges and approved review candidates. */
  public Dataset<Row> links() {
    return anchorPairs(ops("merge").unionByName(latestReviews().where(col(OPERATION).equalTo("approve"))));
  }

  /** Review candidates an admin rejected: their two sides never merge through a scored link. */
  public Dataset<Row> rejections() {
    return anchorPairs(latestReviews().where(col(OPERATION).equalTo("reject")));
  }

  /** A candidate reviewed twice (approved, later rejected) follows the latest decision. */
  private Dataset<Row> latestReviews() {
    return operations
        .where(col(OPERATION).isin("approve", "reject"))
        .withColumn(
            "_latest",
            row_number()
                .over(
                    org.apache.spark.sql.expressions.Window.partitionBy(CANDIDATE_ID)
                        .orderBy(col(REQUESTED_AT).desc(), col(OP_ID).desc())))
        .where(col("_latest").equalTo(1))
        .drop("_latest");
  }

  /** candidate_id → status (approved / rejected) for tonight's merge_candidates, latest op wins. */
  public Dataset<Row> reviewStatus() {
    return operations
        .where(col(OPERATION).isin("approve", "reject"))
        .groupBy(col(CANDIDATE_ID))
        .agg(max_by(col(OPERATION), col(REQUESTED_AT)).as("_op"))
        .select(
            col(CANDIDATE_ID),
            when(col("_op").equalTo("approve"), lit("approved")).otherwise(lit("rejected")).as("_review"));
  }

  /** Blocked identifiers: id_type, id_hash, op_id, actor, reason. */
  public Dataset<Row> blocks() {
    return ops("block")
        .select(col(Cols.ID_TYPE), col(Cols.ID_HASH), col(OP_ID), col(Cols.ACTOR), col(Cols.REASON));
  }

  /**
   * Pins of every unmerged merge: source, record_id, pin_id (the profile the record was in before the
   * merge), survivor (pin_id is the merge's surviving profile), op_id. A record pinned by several
   * unmerges follows the latest.
   */
  public Dataset<Row> pins() {
    Dataset<Row> unmerges =
        ops("unmerge").select(col(Cols.MERGE_ID), col(OP_ID), col(REQUESTED_AT));
    Dataset<Row> survivors =
        mergeHistory.select(col(Cols.MERGE_ID), col(Cols.SURVIVING_PROFILE_ID)).distinct();
    return unmerges
        .join(snapshots.select(Cols.MERGE_ID, Cols.PROFILE_ID, Cols.SOURCE, Cols.RECORD_ID), Cols.MERGE_ID)
        .join(survivors, new String[] {Cols.MERGE_ID}, "left")
        .groupBy(Cols.SOURCE, Cols.RECORD_ID)
        .agg(
            max_by(
                    struct(
                        col(Cols.PROFILE_ID).as(PIN_ID),
                        coalesce(col(Cols.PROFILE_ID).equalTo(col(Cols.SURVIVING_PROFILE_ID)), lit(false))
                            .as(SURVIVOR),
                        col(OP_ID)),
                    col(REQUESTED_AT))
                .as("_pin"))
        .select(
            col(Cols.SOURCE),
            col(Cols.RECORD_ID),
            col("_pin").getField(PIN_ID).as(PIN_ID),
            col("_pin").getField(SURVIVOR).as(SURVIVOR),
            col("_pin").getField(OP_ID).as(OP_ID));
  }

  /**
   * Whether an admin recorded an operation after {@code time} (the last run's start; operations take
   * the output lock, so such an operation came after that run ended): a night with no new input still
   * runs to apply it. True when {@code time} is unknown.
   */
  public boolean recordedSince(java.sql.Timestamp time) {
    return time == null || !operations.where(col(REQUESTED_AT).gt(lit(time))).isEmpty();
  }

  /** op_id, actor, reason of every operation (for the history rows it causes). */
  public Dataset<Row> info() {
    return operations.select(col(OP_ID), col(Cols.ACTOR), col(Cols.REASON));
  }

  /**
   * The rejected pairs as tonight's deterministic profiles (a, b in both orders).
   *
   * @param deterministic records with profile_id = their deterministic profile
   */
  public Dataset<Row> rejectedPairs(Dataset<Row> deterministic) {
    Dataset<Row> where = deterministic.select(col(Cols.SOURCE), col(Cols.RECORD_ID), col(Cols.PROFILE_ID));
    Dataset<Row> named =
        rejections()
            .join(
                where.select(col(Cols.SOURCE).as(A_SOURCE), col(Cols.RECORD_ID).as(A_RECORD), col(Cols.PROFILE_ID).as("_a")),
                new String[] {A_SOURCE, A_RECORD})
            .join(
                where.select(col(Cols.SOURCE).as(B_SOURCE), col(Cols.RECORD_ID).as(B_RECORD), col(Cols.PROFILE_ID).as("_b")),
                new String[] {B_SOURCE, B_RECORD})
            .select(col("_a"), col("_b"));
    return named.unionByName(named.select(col("_b").as("_a"), col("_a").as("_b"))).distinct();
  }
}
