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
 */
public final class DeltaSink {
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
    rows.write()
        .format("delta")
        .mode("append")
        .option("mergeSchema", "true")
        .option("userMetadata", runId)
        .save(path(table));
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
