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
}
