package io.idgraph.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

/** Helpers for Spark query plans. */
public final class Plans {
  private Plans() {}

  /**
   * The same rows under a new, one-node plan. Iterative stages build on their own results, and Spark
   * would otherwise carry (re-optimize, and print when caching) a plan that grows with every step.
   * The rows stay in Spark's internal form: going through {@code Dataset.javaRDD} converted every row
   * to a Java Row and back again, for nothing.
   */
  public static Dataset<Row> fresh(Dataset<Row> ds) {
    org.apache.spark.sql.classic.Dataset<Row> classic = (org.apache.spark.sql.classic.Dataset<Row>) ds;
    // Copied: a plan's output iterator may reuse one row object for every row.
    RDD<InternalRow> rows = classic.queryExecution().toRdd().toJavaRDD().map(InternalRow::copy).rdd();
    return classic.sparkSession().internalCreateDataFrame(rows, ds.schema(), false);
  }

  /**
   * The rows of {@code ds} in Spark's internal form, for a task that reads a few primitive columns
   * ({@code getLong(i)}) and lets go of each row at once: the iterator may reuse one row object.
   */
  public static JavaRDD<InternalRow> internalRows(Dataset<Row> ds) {
    return ((org.apache.spark.sql.classic.Dataset<Row>) ds).queryExecution().toRdd().toJavaRDD();
  }

  /**
   * A Dataset over rows already in Spark's internal form (each row its own object, matching {@code
   * schema}): no conversion from Java Rows, which for millions of two-long rows cost more than the
   * work that made them.
   */
  public static Dataset<Row> fromInternalRows(
      SparkSession spark, JavaRDD<InternalRow> rows, StructType schema) {
    return ((org.apache.spark.sql.classic.SparkSession) spark).internalCreateDataFrame(rows.rdd(), schema, false);
  }

  /**
   * Materializes {@code ds} once, as compressed serialized rows on local disk (spark.rdd.compress),
   * with its lineage cut when first computed (an RDD local checkpoint). Unlike a cached plan, which
   * keeps the plan that made it and with it every shuffle upstream alive until it is unpersisted, a
   * stored table leaves its shuffles to Spark's cleaner: at 100k persons the night kept 3.1 GB of
   * shuffle files to its end, about 30 GB at 1M. {@link #release} frees the rows.
   *
   * <p>Disk only, never the heap: a serialized memory-and-disk level reads a block that went to disk
   * back into one heap buffer of the block's size, and at 1M persons under -Xmx4g that allocation ran
   * the JVM out of heap in the normalize stage (BlockManager.maybeCacheDiskBytesInMemory). The
   * operating system's page cache keeps recently written blocks in memory anyway.
   */
  public static Dataset<Row> store(Dataset<Row> ds, String name) {
    JavaRDD<InternalRow> rows = internalRows(ds).map(InternalRow::copy);
    rows.setName(name);
    rows.persist(org.apache.spark.storage.StorageLevel.DISK_ONLY());
    rows.rdd().localCheckpoint();
    Dataset<Row> out = fromInternalRows(ds.sparkSession(), rows, ds.schema());
    synchronized (STORED) {
      STORED.put(out, rows);
    }
    return out;
  }

  /** Frees a table {@link #store} made (no-op for any other Dataset, which it unpersists instead). */
  public static void release(Dataset<Row> ds) {
    JavaRDD<InternalRow> rows;
    synchronized (STORED) {
      rows = STORED.remove(ds);
    }
    if (rows != null) {
      rows.unpersist(false);
    } else {
      ds.unpersist();
    }
  }

  private static final java.util.Map<Dataset<Row>, JavaRDD<InternalRow>> STORED =
      new java.util.IdentityHashMap<>();

  /**
   * Caches {@code ds} (on local disk, for the reason {@link #store} gives) under {@code name} and
   * returns it; {@code unpersist()} frees it as usual. Dataset.persist names each cache after its
   * plan's text, and a plan over other cached plans prints all of theirs too: after a few stages that
   * text runs to hundreds of megabytes per persist (measured: 140 MB in the end-to-end test), built
   * on the driver for nothing. A name costs nothing.
   */
  public static Dataset<Row> cache(Dataset<Row> ds, String name) {
    org.apache.spark.sql.classic.SparkSession session =
        (org.apache.spark.sql.classic.SparkSession) ds.sparkSession();
    session
        .sharedState()
        .cacheManager()
        .cacheQuery(
            (org.apache.spark.sql.classic.Dataset<?>) ds,
            scala.Option.apply(name),
            org.apache.spark.storage.StorageLevel.DISK_ONLY());
    return ds;
  }
}
