package io.idgraph.sink;

import io.delta.tables.DeltaTable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Writes idgraph's Delta tables under one output root. Tables are created in code with the schema of
 * the first data written; every commit carries the run id as Delta {@code userMetadata}, so
 * {@code DESCRIBE HISTORY} shows which run wrote which version. Current-state tables are replaced,
 * history tables appended to.
 *
 * <p>Appends are idempotent when the sink knows the run's sequence number: each carries Delta's
 * {@code txnAppId} ({@value #TXN_APP_ID}) and {@code txnVersion} (the sequence), and Delta skips an
 * append whose version the table has already seen, so a night retried after a failure halfway through
 * the write stage does not append its history rows twice. Hence: at most one append per table per run.
 */
public final class DeltaSink {
  public static final String TXN_APP_ID = "idgraph";

  private final SparkSession spark;
  private final String outputRoot;
  private final String runId;
  private final Long txnVersion;

  public DeltaSink(SparkSession spark, String outputRoot, String runId) {
    this(spark, outputRoot, runId, null);
  }

  /** @param txnVersion the run's sequence number (see io.idgraph.job.RunManifest), or null */
  public DeltaSink(SparkSession spark, String outputRoot, String runId, Long txnVersion) {
    this.spark = spark;
    this.outputRoot = outputRoot;
    this.runId = runId;
    this.txnVersion = txnVersion;
  }

  public String path(String table) {
    return new Path(outputRoot, table).toString();
  }

  /** Replaces the table's contents with {@code rows} (a current-state table). */
  public void replace(String table, Dataset<Row> rows) {
    create(table, rows);
    rows.write()
        .format("delta")
        .mode("overwrite")
        .option("overwriteSchema", "true")
        .option("userMetadata", runId)
        .save(path(table));
  }

  /** Appends {@code rows} to the table (a history table). */
  public void append(String table, Dataset<Row> rows) {
    create(table, rows);
    var writer =
        rows.write()
            .format("delta")
            .mode("append")
            .option("mergeSchema", "true")
            .option("userMetadata", runId);
    if (txnVersion != null) {
      writer = writer.option("txnAppId", TXN_APP_ID).option("txnVersion", txnVersion);
    }
    writer.save(path(table));
  }

  /**
   * Creates the table on first use only: later runs evolve it through overwriteSchema (current-state
   * tables) or mergeSchema (history tables) instead of failing on a schema that grew.
   */
  private void create(String table, Dataset<Row> rows) {
    if (!DeltaTable.isDeltaTable(spark, path(table))) {
      DeltaTable.createIfNotExists(spark).location(path(table)).addColumns(rows.schema()).execute();
    }
  }
}
