package io.idgraph.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.idgraph.config.BadInputException;
import io.idgraph.config.ConfigLoader;
import io.idgraph.config.HashKeys;
import io.idgraph.config.HashKeys.HashKey;
import io.idgraph.config.LoadedConfig;
import io.idgraph.config.SourceConfig;
import io.idgraph.job.NightlyRun;
import io.idgraph.job.RunContext;
import io.idgraph.job.RunResult;
import io.idgraph.quality.RunMetrics;
import io.idgraph.quality.RunSummary;
import io.idgraph.source.SourceRegistry;
import io.idgraph.spark.SparkSessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code idgraph run}: the nightly job. The config, the hashing key and local input files are checked
 * before Spark starts; any problem is one line naming the file and key, exit code 2.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run the nightly identity-resolution job: sources in, Delta tables out.")
public final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", required = true, description = "Job config (YAML).")
  Path config;

  @Option(
      names = "--input",
      description = "Root that relative source paths resolve against (default: current folder).")
  String input = ".";

  @Option(names = "--output", required = true, description = "Folder (or URI) of the Delta tables.")
  String output;

  @Option(
      names = "--skip-publish-gate",
      description = "Write the night even if a source's records collapsed against the previous run.")
  boolean skipPublishGate;

  @Option(
      names = "--full-rebuild",
      description =
          "Ignore the run manifest and the record state of earlier nights: read every file of every"
              + " source.")
  boolean fullRebuild;

  @Option(
      names = "--metrics-json",
      description = "Also write the run's metrics (counts, stage times) as one JSON object to this file.")
  Path metricsJson;

  @Override
  public Integer call() {
    LoadedConfig loaded = new ConfigLoader(System.getenv()).load(config);
    SourceRegistry registry = SourceRegistry.discover();
    registry.validate(loaded);
    HashKey key = HashKeys.resolve(loaded, System.getenv());
    if (key.demo()) {
      spec.commandLine()
          .getErr()
          .println(
              "idgraph: warning: hashing with the public demo key from "
                  + key.origin()
                  + "; set "
                  + HashKeys.ENV_VAR
                  + " for real data");
    }
    String inputRoot = absoluteIfLocal(input);
    String outputRoot = absoluteIfLocal(output);
    checkLocalInputs(loaded, inputRoot);

    SparkSession spark = SparkSessions.getOrCreate("idgraph run", loaded.job().spark().conf());
    RunContext ctx = RunContext.start(inputRoot, outputRoot, skipPublishGate);
    RunResult result =
        new NightlyRun(spark, loaded, key, registry).run(fullRebuild ? ctx.withFullRebuild() : ctx);
    spec.commandLine()
        .getOut()
        .print(
            result.noop()
                ? RunSummary.nothingNew(result.runId(), result.nothingNewSince(), outputRoot)
                : RunSummary.format(result.metrics(), outputRoot));
    spec.commandLine().getOut().flush();
    if (metricsJson != null && !result.noop()) {
      writeMetrics(result.metrics(), metricsJson);
    }
    return ExitCodes.OK;
  }

  /** The metrics as JSON with snake_case keys, for scripts (scripts/bench). */
  private static void writeMetrics(RunMetrics metrics, Path file) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("run_id", metrics.runId());
    json.put("seconds", Duration.between(metrics.startedAt(), metrics.endedAt()).toMillis() / 1000.0);
    json.put("records_read", metrics.sources().stream().mapToLong(RunMetrics.SourceCounts::read).sum());
    json.put(
        "records_accepted", metrics.sources().stream().mapToLong(RunMetrics.SourceCounts::accepted).sum());
    json.put("identifiers", metrics.identifiersByType().values().stream().mapToLong(Long::longValue).sum());
    json.put("identity_edges", metrics.identityEdges());
    json.put("profiles", metrics.profiles());
    json.put("largest_profile_records", metrics.largestProfileRecords());
    json.put("merges", metrics.merges());
    json.put("clustering", metrics.clustering());
    json.put("stage_seconds", metrics.stageSeconds());
    json.put("sources", metrics.sources());
    try {
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .writeValue(file.toFile(), json);
    } catch (IOException e) {
      throw new BadInputException("Cannot write --metrics-json " + file + ": " + e.getMessage());
    }
  }

  private static String absoluteIfLocal(String path) {
    return path.contains("://") ? path : Path.of(path).toAbsolutePath().normalize().toString();
  }

  /** Fails before Spark starts when a plain local source file is missing. */
  private static void checkLocalInputs(LoadedConfig loaded, String inputRoot) {
    for (SourceConfig source : loaded.job().sources()) {
      if (source.path() == null) {
        continue;
      }
      String path = LoadedConfig.resolveSourcePath(inputRoot, source.path());
      boolean plainLocal = !path.contains("://") && !path.matches(".*[*?\\[{].*");
      if (plainLocal && !Files.exists(Path.of(path))) {
        throw new BadInputException(
            "Cannot read source '" + source.name() + "': no file at " + path);
      }
    }
  }
}
