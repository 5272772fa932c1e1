package io.idgraph.cli;

import io.idgraph.config.BadInputException;
import io.idgraph.config.ConfigLoader;
import io.idgraph.config.LoadedConfig;
import io.idgraph.spark.SparkSessions;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/**
 * Options of the read-only commands over a run's tables ({@code sql}, {@code lookup}, {@code
 * graph}): where the tables are, and the job config. The config is loaded with {@link ConfigLoader}
 * exactly as {@code run} loads it, so {@code IDGRAPH_HASH_KEY}, key files and {@code ${ENV}}
 * references behave the same; commands that hash a value require it, the others accept it and take
 * its {@code spark.conf}.
 */
final class OutputOptions {
  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR",
      description = "Folder (or URI) of the nightly job's Delta tables.")
  String output;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "The nightly job's config (YAML): hashing key, normalize options, spark.conf.")
  Path config;

  private LoadedConfig loaded;

  /** The job config, loaded and validated once, or empty when --config is not given. */
  Optional<LoadedConfig> optionalConfig() {
    if (config == null) {
      return Optional.empty();
    }
    if (loaded == null) {
      loaded = new ConfigLoader(System.getenv()).load(config);
    }
    return Optional.of(loaded);
  }

  /** The job config; {@code why} says what it is needed for when --config is missing. */
  LoadedConfig requiredConfig(String why) {
    return optionalConfig()
        .orElseThrow(() -> new BadInputException("--config is required " + why));
  }

  /** The output folder as an absolute path, or the URI as given. */
  String outputRoot() {
    return output.contains("://")
        ? output
        : Path.of(output).toAbsolutePath().normalize().toString();
  }

  /** The session for {@code command}, with the config's spark.conf when a config is given. */
  SparkSession spark(String command) {
    Map<String, String> conf =
        optionalConfig().map(c -> c.job().spark().conf()).orElse(Map.of());
    return SparkSessions.getOrCreate("idgraph " + command, conf);
  }
}
