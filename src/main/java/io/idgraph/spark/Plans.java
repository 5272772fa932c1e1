package io.idgraph.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Helpers for Spark query plans. */
public final class Plans {
  private Plans() {}

  /**
   * The same rows under a new, one-node plan. Iterative stages build on their own results, and Spark
   * would otherwise carry (re-optimize, and print when caching) a plan that grows with every step.
   */
  public static Dataset<Row> fresh(Dataset<Row> ds) {
    return ds.sparkSession().createDataFrame(ds.javaRDD(), ds.schema());
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
