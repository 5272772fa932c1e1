package io.idgraph.testing;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One SparkSession for the whole test JVM: {@code local[2]}, UI off, two shuffle partitions, bound to
 * loopback, Delta installed. Spark stops it in its own shutdown hook.
 */
public final class SharedSpark implements ParameterResolver {
  private static SparkSession session;

  public static synchronized SparkSession session() {
    if (session == null) {
      session =
          SparkSession.builder()
              .master("local[2]")
              .appName("idgraph-tests")
              .config("spark.ui.enabled", "false")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.sql.shuffle.partitions", "2")
              .config("spark.sql.maxPlanStringLength", "100000")
              .config("spark.default.parallelism", "2")
              .config("spark.sql.session.timeZone", "UTC")
              .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
              .config(
                  "spark.sql.catalog.spark_catalog",
                  "org.apache.spark.sql.delta.catalog.DeltaCatalog")
              .config("spark.sql.csv.parser.columnPruning.enabled", "false")
              .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
              .config("spark.databricks.delta.snapshotPartitions", "2")
              .getOrCreate();
      session.sparkContext().setLogLevel("WARN");
    }
    return session;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == SparkSession.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return session();
  }
}
