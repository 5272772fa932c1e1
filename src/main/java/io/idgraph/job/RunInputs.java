package io.idgraph.job;

import io.idgraph.config.JobConfig;
import io.idgraph.config.LoadedConfig;
import io.idgraph.config.SourceConfig;
import io.idgraph.job.RunManifest.History;
import io.idgraph.normalize.IdentifierHasher;
import io.idgraph.source.InputFile;
import io.idgraph.source.InputFiles;
import io.idgraph.source.InputSelection;
import io.idgraph.source.InputSelection.Action;
import io.idgraph.source.InputSelection.Decision;
import io.idgraph.source.InputSelection.SourceHistory;
import io.idgraph.source.RawRecords;
import io.idgraph.source.SourceBatch;
import io.idgraph.source.SourceRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a night's input: lists every source's files, reads the run manifest and the record state of
 * earlier nights, and decides per source what to read ({@link InputSelection}); then reads exactly
 * those files. The I/O edge of incremental input; the decisions and the state merge are pure.
 */
public final class RunInputs {
  private static final Logger LOG = LoggerFactory.getLogger(RunInputs.class);

  private RunInputs() {}

  /**
   * Tonight's input plan.
   *
   * @param sequence tonight's run sequence number, in the manifest
   * @param previousState the earlier nights' records ({@code source_records}), or null when tonight
   *     reads everything
   */
  public record Plan(
      Map<String, Decision> decisions,
      Optional<History> history,
      long sequence,
      String configHash,
      Map<String, String> sourceHashes,
      Dataset<Row> previousState,
      boolean fullRebuild) {

    /**
     * True when no source has a new or changed file, the rules/graph/scoring config and the set of
     * sources are those of the last run, and its state is there: the run would rewrite the same tables.
     */
    public boolean nothingNew() {
      if (fullRebuild || history.isEmpty() || previousState == null) {
        return false;
      }
      History h = history.get();
      return decisions.values().stream().allMatch(d -> d.action() == Action.UNCHANGED)
          && configHash.equals(h.configHash())
          && decisions.keySet().equals(h.lastSources());
    }

    /** Configured sources whose earlier records stand tonight (not read whole). */
    public Set<String> keptSources() {
      Set<String> out = new LinkedHashSet<>();
      decisions.forEach((name, d) -> {
        if (d.action() != Action.READ_ALL) {
          out.add(name);
        }
      });
      return out;
    }

    /** Sources read whole because their data changed: compared record by record with the state. */
    public Set<String> snapshotDiff() {
      return sources(Action.READ_ALL);
    }

    /** Append sources with new files: their re-sent records are compared with the state. */
    public Set<String> appendDiff() {
      return sources(Action.READ_NEW);
    }

    private Set<String> sources(Action action) {
      Set<String> out = new LinkedHashSet<>();
      decisions.forEach((name, d) -> {
        if (d.action() == action && d.diff()) {
          out.add(name);
        }
      });
      return out;
    }
  }

  /**
   * Lists the sources and decides what tonight reads. Reads no record, only file listings, the
   * manifest and the state's schema.
   *
   * @param recordColumns the columns normalized records have, to check the state still fits them
   */
  public static Plan plan(
      SparkSession spark,
      JobConfig job,
      RunContext ctx,
      IdentifierHasher hasher,
      List<String> recordColumns) {
    Map<String, List<InputFile>> listings = new HashMap<>();
    Map<String, String> hashes = new LinkedHashMap<>();
    for (SourceConfig source : job.sources()) {
      hashes.put(source.name(), RunManifest.sourceHash(source, job, hasher));
      if (source.fileBased()) {
        listings.put(
            source.name(),
            InputFiles.list(
                spark, source.name(), LoadedConfig.resolveSourcePath(ctx.inputRoot(), source.path())));
      }
    }
    Optional<History> history = RunManifest.read(spark, ctx.outputRoot());
    Dataset<Row> state =
        ctx.fullRebuild()
            ? null
            : RecordState.read(spark, ctx.outputRoot(), recordColumns).orElse(null);
    if (state == null && history.isPresent() && !ctx.fullRebuild()) {
      LOG.warn(
          "[{}] no usable {} table beside the run manifest: every source is read whole",
          ctx.runId(),
          io.idgraph.sink.OutputTables.SOURCE_RECORDS);
    }
    Map<String, SourceHistory> before = history.map(History::sources).orElse(Map.of());
    Map<String, Decision> decisions =
        InputSelection.decide(
            job.sources(), listings, before, hashes, state != null, ctx.fullRebuild());
    return new Plan(
        decisions,
        history,
        RunManifest.nextSequence(spark, ctx.outputRoot(), history),
        RunManifest.configHash(job, hasher),
        hashes,
        state,
        ctx.fullRebuild());
  }

  /** Logs what tonight reads of each source and why. */
  public static void log(String runId, Plan plan) {
    for (Decision d : plan.decisions().values()) {
      LOG.info(
          "[{}] source {} ({}): {} {} of {} file(s): {}",
          runId,
          d.source().name(),
          d.source().effectiveMode(),
          d.action().label(),
          d.files().size(),
          d.listed().size(),
          d.reason());
    }
  }

  /**
   * Reads the files the plan chose, one batch per source read (at least one batch, empty when no
   * source is read tonight). Missing files and columns fail here, before anything is written.
   */
  public static List<SourceBatch> read(
      SparkSession spark, SourceRegistry registry, RunContext ctx, Plan plan) {
    List<SourceBatch> batches = new ArrayList<>();
    for (Decision d : plan.decisions().values()) {
      SourceConfig source = d.source();
      if (d.action() == Action.UNCHANGED) {
        continue;
      }
      String path =
          source.path() == null ? null : LoadedConfig.resolveSourcePath(ctx.inputRoot(), source.path());
      if (!source.fileBased()) {
        batches.add(registry.get(source.type()).read(spark, source, path));
      } else if (!d.files().isEmpty()) {
        batches.add(
            registry
                .get(source.type())
                .readFiles(spark, source, path, d.files().stream().map(InputFile::path).toList()));
      }
    }
    if (batches.isEmpty()) {
      batches.add(
          new SourceBatch(
              spark.createDataFrame(List.of(), RawRecords.SCHEMA),
              spark.createDataFrame(List.of(), RawRecords.REJECTED_SCHEMA)));
    }
    return batches;
  }
}
