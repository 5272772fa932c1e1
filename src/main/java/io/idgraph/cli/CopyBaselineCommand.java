package io.idgraph.cli;

import io.idgraph.config.ConfigLoader;
import io.idgraph.config.LoadedConfig;
import io.idgraph.config.SourceConfig;
import io.idgraph.source.SourceBatch;
import io.idgraph.source.SourceRegistry;
import io.idgraph.spark.SparkSessions;
import io.delta.tables.DeltaTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code idgraph copy-baseline}: reads every source of a config as the job does (the same connectors)
 * and writes each one's rows once to a Delta table, nothing else. The floor for any job on the
 * machine: scripts/bench divides the job's time by this one's.
 */
@Command(
    name = "copy-baseline",
    mixinStandardHelpOptions = true,
    description = "Read every source and write it once to Delta: the floor a run is compared with.")
public final class CopyBaselineCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", required = true, description = "Job config (YAML).")
  Path config;

  @Option(names = "--input", description = "Root that relative source paths resolve against.")
  String input = ".";

  @Option(names = "--output", required = true, description = "Folder for one Delta table per source.")
  Path output;

  @Override
  public Integer call() {
    LoadedConfig loaded = new ConfigLoader(System.getenv()).load(config);
    SourceRegistry registry = SourceRegistry.discover();
    registry.validate(loaded);
    SparkSession spark = SparkSessions.getOrCreate("idgraph copy-baseline", loaded.job().spark().conf());
    String inputRoot = Path.of(input).toAbsolutePath().normalize().toString();
    long start = System.nanoTime();
    List<String> tables = new ArrayList<>();
    for (SourceConfig source : loaded.job().sources()) {
      String path = LoadedConfig.resolveSourcePath(inputRoot, source.path());
      SourceBatch batch = registry.get(source.type()).read(spark, source, path);
      String table = output.resolve(source.name()).toAbsolutePath().toString();
      batch.records().write().format("delta").mode("overwrite").save(table);
      tables.add(table);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    // Counted from each commit's metrics, not by reading the tables back: the copy is the floor.
    long rows = 0;
    for (String table : tables) {
      Row commit = DeltaTable.forPath(spark, table).history(1).first();
      rows += Long.parseLong(commit.<String, String>getJavaMap(commit.fieldIndex("operationMetrics")).get("numOutputRows"));
    }
    spec.commandLine()
        .getOut()
        .printf("idgraph copy-baseline: %d row(s) read and written in %.1f s%n", rows, seconds);
    return ExitCodes.OK;
  }
}
