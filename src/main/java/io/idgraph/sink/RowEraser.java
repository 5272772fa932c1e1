package io.idgraph.sink;

import io.delta.tables.DeltaTable;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Deletes rows from idgraph's Delta tables for an erasure, so that no live file holds them.
 *
 * <ul>
 *   <li>Each deletion is a Delta MERGE with the keys as its source ({@code WHEN MATCHED THEN
 *       DELETE}): the commit's recorded predicate names columns only, where a {@code DELETE ... WHERE
 *       id_hash IN ('…')} would write the person's hashes into the log for good.
 *   <li>Before the first deletion, a table of {@link OutputTables#PERSONAL} created by an older
 *       idgraph gets {@link DeltaSink#STATS_COLUMNS} = 0, so the files the erasure writes hold no
 *       per-column minimum or maximum in the log.
 *   <li>{@link #purge} then rewrites every file carrying deletion vectors ({@code REORG TABLE …
 *       APPLY (PURGE)}): a deletion vector only marks rows deleted, the file still holds them. The
 *       old files stay, unreferenced, until VACUUM removes them.
 * </ul>
 */
public final class RowEraser {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RowEraser.class);

  private final SparkSession spark;
  private final String outputRoot;
  private final Set<String> touched = new LinkedHashSet<>();

  public RowEraser(SparkSession spark, String outputRoot) {
    this.spark = spark;
    this.outputRoot = outputRoot;
  }

  private String path(String table) {
    return new Path(outputRoot, table).toString();
  }

  /** Deletes the rows of {@code table} (alias t) matching a row of {@code keys} (alias s); returns how many. */
  public long delete(String table, Dataset<Row> keys, Column matches) {
    long start = System.nanoTime();
    limitStats(table);
    Row result =
        DeltaTable.forPath(spark, path(table))
            .as("t")
            .merge(keys.as("s"), matches)
            .whenMatched()
            .delete()
            .execute()
            .first();
    long deleted = result.getLong(result.fieldIndex("num_deleted_rows"));
    if (deleted > 0) {
      touched.add(table);
    }
    LOG.info("{}: {} row(s) deleted in {} s", table, deleted, String.format("%.1f", (System.nanoTime() - start) / 1e9));
    return deleted;
  }

  /** Appends rows to a table that exists (tombstones), with the table's columns. */
  public void append(String table, Dataset<Row> rows, String userMetadata) {
    limitStats(table);
    rows.write()
        .format("delta")
        .mode("append")
        .option("userMetadata", userMetadata)
        .save(path(table));
    touched.add(table);
  }

  /** The tables a deletion or append changed, in order. */
  public Set<String> touched() {
    return touched;
  }

  /**
   * Rewrites the files of every touched table that carry deletion vectors, so that no live file
   * holds a deleted row (REORG TABLE … APPLY (PURGE)).
   */
  public void purge() {
    for (String table : touched) {
      long start = System.nanoTime();
      spark.sql("REORG TABLE delta.`" + path(table) + "` APPLY (PURGE)");
      LOG.info("{}: deletion vectors purged in {} s", table, String.format("%.1f", (System.nanoTime() - start) / 1e9));
    }
  }

  private void limitStats(String table) {
    if (!OutputTables.PERSONAL.contains(table)) {
      return;
    }
    Row detail = DeltaTable.forPath(spark, path(table)).detail().first();
    Map<String, String> properties = detail.getJavaMap(detail.fieldIndex("properties"));
    if (!"0".equals(properties.get(DeltaSink.STATS_COLUMNS))) {
      spark.sql(
          "ALTER TABLE delta.`"
              + path(table)
              + "` SET TBLPROPERTIES ('"
              + DeltaSink.STATS_COLUMNS
              + "' = '0')");
    }
  }
}
