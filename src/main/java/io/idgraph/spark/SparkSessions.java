package io.idgraph.spark;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the SparkSession idgraph runs in. Under spark-submit the master and cluster settings come from
 * spark-submit and are left alone; started from the repository (no {@code spark.master} set) it is an
 * embedded {@code local[*]} session bound to 127.0.0.1 with the UI off. Delta's SQL extension and
 * catalog are always installed, and the session time zone is UTC so that timestamps without an offset
 * mean UTC everywhere.
 */
public final class SparkSessions {
  private SparkSessions() {}

  public static SparkSession getOrCreate(String appName, Map<String, String> extraConf) {
    SparkConf conf = new SparkConf();
    if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
      conf.set("spark.driver.host", "127.0.0.1");
      conf.set("spark.driver.bindAddress", "127.0.0.1");
      conf.set("spark.ui.enabled", "false");
      conf.setIfMissing("spark.sql.shuffle.partitions", "8");
      // Delta replays its log with 50 partitions by default: pure overhead on one machine.
      conf.setIfMissing("spark.databricks.delta.snapshotPartitions", "2");
    }
    conf.setAppName(appName);
    conf.set("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
    conf.set("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    conf.set("spark.sql.session.timeZone", "UTC");
    // With CSV column pruning on, a row with the wrong number of columns is only flagged as malformed
    // when every column is read, so a query that reads a few columns would accept it: keep it off.
    conf.set("spark.sql.csv.parser.columnPruning.enabled", "false");
    conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
    // Stored tables (Plans.store) are serialized rows: compressed, they take about half the space.
    conf.setIfMissing("spark.rdd.compress", "true");
    // Shuffles and tables nobody references any more are removed when the driver's heap is
    // collected; without a collection for 30 minutes (the default) a long night keeps them all.
    conf.setIfMissing("spark.cleaner.periodicGC.interval", "2min");
    // Caching names the cache after the whole plan's text; iterative stages build plans whose text
    // runs to hundreds of megabytes and exhausts the driver. Truncated text is only used for display.
    conf.setIfMissing("spark.sql.maxPlanStringLength", "100000");
    // Delta copies a MERGE's source to disk first unless it reads Delta tables only, in case it changes
    // between the MERGE's two passes. idgraph's sources are stored tables and Delta reads pinned to a
    // version, which cannot change: the copy cost an incremental night about 6 s of its write stage.
    conf.setIfMissing("spark.databricks.delta.merge.materializeSource", "none");
    extraConf.forEach(conf::set);
    return SparkSession.builder().config(conf).getOrCreate();
  }
}
