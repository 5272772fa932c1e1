package io.idgraph.ops;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import io.idgraph.config.BadInputException;
import io.idgraph.schema.Cols;
import io.idgraph.sink.OutputTables;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The audit table {@code <output>/manual_operations}: one appended row per manual operation (merge,
 * unmerge, block, approve, reject), each a standing instruction that every later nightly run
 * applies. The commands only record; the run does the work. This class owns the table contract
 * (names and types below), the reader the run uses, and the one-commit append.
 *
 * <pre>
 * op_id          string   "op_" + 16 hex
 * operation      string   merge | unmerge | block | approve | reject
 * requested_at   timestamp
 * actor          string
 * reason         string
 * profile_ids    array&lt;string&gt;
 *                merge: the two ids; approve/reject: [profile_a, profile_b]; else []
 * anchor_records array&lt;struct&lt;source:string,record_id:string&gt;&gt;
 *                one per profile_ids entry, in the same order; else []
 * merge_id       string   unmerge; else null
 * id_type        string   block; else null
 * id_hash        string   block; else null
 * candidate_id   string   approve/reject; else null
 * </pre>
 */
public final class ManualOperations {
  private ManualOperations() {}

  public static final String TABLE = OutputTables.MANUAL_OPERATIONS;

  public static final String OP_ID = "op_id";
  public static final String OPERATION = "operation";
  public static final String REQUESTED_AT = "requested_at";
  public static final String ACTOR = "actor";
  public static final String REASON = Cols.REASON;
  public static final String PROFILE_IDS = "profile_ids";
  public static final String ANCHOR_RECORDS = "anchor_records";
  public static final String MERGE_ID = "merge_id";
  public static final String ID_TYPE = Cols.ID_TYPE;
  public static final String ID_HASH = Cols.ID_HASH;
  public static final String CANDIDATE_ID = Cols.CANDIDATE_ID;

  /** Fields of an anchor_records element. */
  public static final String SOURCE = Cols.SOURCE;

  public static final String RECORD_ID = Cols.RECORD_ID;

  public static final String MERGE = "merge";
  public static final String UNMERGE = "unmerge";
  public static final String BLOCK = "block";
  public static final String APPROVE = "approve";
  public static final String REJECT = "reject";

  private static final StructType ANCHOR =
      new StructType().add(SOURCE, DataTypes.StringType).add(RECORD_ID, DataTypes.StringType);

  private static final StructType SCHEMA =
      new StructType()
          .add(OP_ID, DataTypes.StringType)
          .add(OPERATION, DataTypes.StringType)
          .add(REQUESTED_AT, DataTypes.TimestampType)
          .add(ACTOR, DataTypes.StringType)
          .add(REASON, DataTypes.StringType)
          .add(PROFILE_IDS, DataTypes.createArrayType(DataTypes.StringType))
          .add(ANCHOR_RECORDS, DataTypes.createArrayType(ANCHOR))
          .add(MERGE_ID, DataTypes.StringType)
          .add(ID_TYPE, DataTypes.StringType)
          .add(ID_HASH, DataTypes.StringType)
          .add(CANDIDATE_ID, DataTypes.StringType);

  public static StructType schema() {
    return SCHEMA;
  }

  public static String path(String outputRoot) {
    return new Path(outputRoot, TABLE).toString();
  }

  /**
   * Every recorded operation, with exactly the columns of {@link #schema()} in that order; empty
   * (with the schema) when no operation was ever recorded. A table missing a column is a bad input.
   */
  public static Dataset<Row> read(SparkSession spark, String outputRoot) {
    String path = path(outputRoot);
    if (!DeltaTable.isDeltaTable(spark, path)) {
      return spark.createDataFrame(List.of(), SCHEMA);
    }
    Dataset<Row> table = spark.read().format("delta").load(path);
    requireColumns(table, path, SCHEMA.fieldNames());
    return table.select(Arrays.stream(SCHEMA.fieldNames()).map(c -> col(c)).toArray(Column[]::new));
  }

  /** A table written by an older or foreign job may lack a column: one line naming it. */
  static void requireColumns(Dataset<Row> table, String path, String... columns) {
    List<String> present = Arrays.asList(table.columns());
    for (String c : columns) {
      if (!present.contains(c)) {
        throw new BadInputException(
            "Table "
                + path
                + ": column '"
                + c
                + "' missing (columns: "
                + String.join(", ", present)
                + ")");
      }
    }
  }

  /**
   * Appends one operation in one Delta commit (the first one creates the table), stamped with the
   * op id as userMetadata. The caller holds the output lock, so no nightly run interleaves.
   */
  public static void append(SparkSession spark, String outputRoot, ManualOperation op) {
    spark
        .createDataFrame(List.of(row(op)), SCHEMA)
        .write()
        .format("delta")
        .mode("append")
        .option("userMetadata", op.opId())
        .save(path(outputRoot));
  }

  static Row row(ManualOperation op) {
    return RowFactory.create(
        op.opId(),
        op.operation(),
        Timestamp.from(op.requestedAt()),
        op.actor(),
        op.reason(),
        op.profileIds(),
        op.anchorRecords().stream().map(a -> RowFactory.create(a.source(), a.recordId())).toList(),
        op.mergeId(),
        op.idType(),
        op.idHash(),
        op.candidateId());
  }
}
