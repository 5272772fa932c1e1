package io.idgraph.sink;

import static org.apache.spark.sql.functions.*;

import io.delta.tables.DeltaTable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Writes idgraph's Delta tables under one output root. Tables are created in code with the schema of
 * the first data written; every commit carries the run id as Delta {@code userMetadata}, so
 * {@code DESCRIBE HISTORY} shows which run wrote which version. Current-state tables are replaced,
 * history tables appended to.
 *
 * <p>A night's writes become visible to idgraph's readers, and safe from the next night's recovery,
 * only when it commits them all at once (see {@link RunCommits}); a night that dies before that is
 * rolled back whole. So a retried night simply writes again: no per-append idempotence is needed (and
 * Delta's txnAppId/txnVersion would be wrong here: a RESTORE keeps the dead night's transaction
 * version, and the retry's append would be skipped).
 */
public final class DeltaSink {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DeltaSink.class);
  /**
   * The table property that lets DELETE, UPDATE and MERGE mark rows deleted instead of rewriting
   * their files (Delta 3.1+; readers need Delta 2.3+ or another deletion-vector-aware reader).
   */
  public static final String DELETION_VECTORS = "delta.enableDeletionVectors";
  /**
   * How many leading columns Delta keeps minimum, maximum and null-count statistics for in its log
   * (default 32). Set to 0 on the tables of {@link OutputTables#PERSONAL}: a file's minimum or
   * maximum of an id_hash, a name or a record id is that person's value, and the log entry that holds
   * it outlives the file (VACUUM deletes data files, not log entries). The loss is small: hashes,
   * ids and names are spread evenly over the files, so their ranges skipped next to nothing.
   */
  public static final String STATS_COLUMNS = "delta.dataSkippingNumIndexedCols";

  private static final String OP = "_idgraph_op";
  private static final String INSERT = "insert";
  private static final String DELETE = "delete";

  private final SparkSession spark;
  private final String outputRoot;
  private final String runId;

  public DeltaSink(SparkSession spark, String outputRoot, String runId) {
    this.spark = spark;
    this.outputRoot = outputRoot;
    this.runId = runId;
  }

  public String path(String table) {
    return new Path(outputRoot, table).toString();
  }

  /** The table as it is now. */
  public Dataset<Row> current(String table) {
    return OutputTables.read(spark, outputRoot, table).orElseThrow();
  }

  /** Replaces the table's contents with {@code rows} (a current-state table). */
  public void replace(String table, Dataset<Row> rows) {
    long start = System.nanoTime();
    create(table, rows);
    rows.write()
        .format("delta")
        .mode("overwrite")
        .option("overwriteSchema", "true")
        .option("userMetadata", runId)
        .save(path(table));
    logWrite(table, "overwrite", start);
  }

  /**
   * Replaces part of a current-state table in one commit (a Delta MERGE): deletes the rows whose
   * {@code keys} equal those of a row of {@code staleKeys}, and inserts {@code rows}. With deletion
   * vectors on (see {@link #DELETION_VECTORS}) Delta marks the deleted rows instead of rewriting their
   * files, so a night that changes 2% of a table writes about 2% of it, and readers see the old or
   * the new table, never half of it.
   *
   * <p>Only for a table that exists with exactly the columns of {@code rows} (see {@link
   * #hasColumnsOf}); otherwise replace the table whole.
   *
   * @param staleKeys rows with the {@code keys} columns, distinct (Delta refuses a MERGE in which
   *     one table row matches several source rows)
   */
  public void replaceRows(String table, Dataset<Row> rows, Dataset<Row> staleKeys, String... keys) {
    long start = System.nanoTime();
    if (!deletionVectorsOn(DeltaTable.forPath(spark, path(table)))) {
      // A table an older idgraph created: a one-time protocol upgrade. The MERGE must then plan on the
      // upgraded snapshot (planned on the old one it fails to find the files' row indexes).
      spark.sql("ALTER TABLE delta.`" + path(table) + "` SET TBLPROPERTIES ('" + DELETION_VECTORS + "' = 'true')");
    }
    DeltaTable target = DeltaTable.forPath(spark, path(table));
    Column[] keyColumns = Arrays.stream(keys).map(k -> col(k)).toArray(Column[]::new);
    Dataset<Row> source =
        rows.withColumn(OP, lit(INSERT))
            .unionByName(staleKeys.select(keyColumns).withColumn(OP, lit(DELETE)), true);
    Column matches = col("s." + OP).equalTo(lit(DELETE));
    for (String k : keys) {
      matches = matches.and(col("t." + k).equalTo(col("s." + k)));
    }
    Map<String, Column> insert = new LinkedHashMap<>();
    for (String c : rows.columns()) {
      insert.put("`" + c + "`", col("s.`" + c + "`"));
    }
    target
        .as("t")
        .merge(source.as("s"), matches)
        .whenMatched()
        .delete()
        .whenNotMatched(col("s." + OP).equalTo(lit(INSERT)))
        .insert(insert)
        .execute();
    logWrite(table, "merge", start);
  }

  /** One line per table written, so a slow write stage shows which table it spent its time on. */
  private void logWrite(String table, String how, long start) {
    String seconds = String.format("%.1f", (System.nanoTime() - start) / 1e9);
    LOG.info("[{}] {} written ({}) in {} s", runId, table, how, seconds);
  }

  private static boolean deletionVectorsOn(DeltaTable table) {
    Row detail = table.detail().first();
    Map<String, String> properties = detail.getJavaMap(detail.fieldIndex("properties"));
    return "true".equals(properties.get(DELETION_VECTORS));
  }

  /** Whether the table exists and has exactly the columns of {@code rows}, by name and type. */
  public boolean hasColumnsOf(String table, Dataset<Row> rows) {
    if (!DeltaTable.isDeltaTable(spark, path(table))) {
      return false;
    }
    var existing = DeltaTable.forPath(spark, path(table)).toDF().schema();
    return existing.length() == rows.schema().length()
        && Arrays.stream(rows.schema().fields())
            .allMatch(
                f ->
                    Arrays.asList(existing.fieldNames()).contains(f.name())
                        && existing.apply(f.name()).dataType().sameType(f.dataType()));
  }

  /** Appends {@code rows} to the table (a history table). */
  public void append(String table, Dataset<Row> rows) {
    long start = System.nanoTime();
    create(table, rows);
    rows.write()
        .format("delta")
        .mode("append")
        .option("mergeSchema", "true")
        .option("userMetadata", runId)
        .save(path(table));
    logWrite(table, "append", start);
  }

  /**
   * Creates the table on first use only: later runs evolve it through overwriteSchema (current-state
   * tables) or mergeSchema (history tables) instead of failing on a schema that grew.
   */
  private void create(String table, Dataset<Row> rows) {
    if (!DeltaTable.isDeltaTable(spark, path(table))) {
      var builder =
          DeltaTable.createIfNotExists(spark)
              .location(path(table))
              .addColumns(rows.schema())
              .property(DELETION_VECTORS, "true");
      if (OutputTables.PERSONAL.contains(table)) {
        builder = builder.property(STATS_COLUMNS, "0");
      }
      builder.execute();
    }
  }
}
