package io.idgraph.config;

import java.util.Map;

/**
 * Spark properties for the run, applied over the embedded defaults or over what spark-submit set.
 *
 * @param conf property name to value, e.g. {@code spark.sql.shuffle.partitions: "64"} (default none)
 */
public record SparkConfig(Map<String, String> conf) {
  public static final SparkConfig DEFAULTS = new SparkConfig(Map.of());

  public SparkConfig {
    conf = conf == null ? Map.of() : Map.copyOf(conf);
  }
}
