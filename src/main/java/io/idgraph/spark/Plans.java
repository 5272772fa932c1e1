package io.idgraph.spark;

import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;

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
   * Caches {@code ds} (memory, spilling to disk) under {@code name} and returns it; {@code
   * unpersist()} frees it as usual. Dataset.persist names each cache after its plan's text, and a
   * plan over other cached plans prints all of theirs too: after a few stages that text runs to
   * hundreds of megabytes per persist (measured: 140 MB in the end-to-end test), built on the driver
   * for nothing. A name costs nothing.
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
            org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    return ds;
  }
}
