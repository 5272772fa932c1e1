package io.idgraph.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.idgraph.config.BadInputException;
import io.idgraph.quality.EvaluationResult;
import io.idgraph.quality.PairwiseEvaluation;
import io.idgraph.quality.ThresholdChart;
import io.idgraph.quality.ThresholdRow;
import io.idgraph.quality.ThresholdSweep;
import io.idgraph.schema.Cols;
import io.idgraph.sink.OutputTables;
import io.idgraph.spark.SparkSessions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code idgraph evaluate}: pairwise precision/recall of a run's record_profiles against truth. When the
 * run wrote merge_candidates and record_profiles has deterministic_profile_id, it also writes the
 * threshold table ({@link ThresholdSweep}) as CSV and its chart ({@link ThresholdChart}) as SVG, by
 * default to {@code <output>/evaluation/thresholds.csv} and {@code .svg}; otherwise it says why not
 * in one line and still succeeds.
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Compare a run's record-to-profile map with ground truth (source,record_id,person_id), and",
      "write precision/recall over merge thresholds (CSV and SVG chart) when the run scored pairs."
    })
public final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--output", required = true, description = "Folder of the Delta tables.")
  Path output;

  @Option(names = "--truth", required = true, description = "CSV: source,record_id,person_id.")
  Path truth;

  @Option(names = "--config", description = "Job config (accepted for symmetry with run).")
  Path config;

  @Option(names = "--json", description = "Also write the result as JSON to this file.")
  Path json;

  @Option(
      names = "--thresholds-csv",
      description = "Threshold table (default <output>/evaluation/thresholds.csv).")
  Path thresholdsCsv;

  @Option(
      names = "--chart",
      description = "Chart of the threshold table, SVG (default <output>/evaluation/thresholds.svg).")
  Path chart;

  @Option(
      names = "--merge-threshold",
      defaultValue = "0.85",
      description = "Merge threshold the run used, marked on the chart (default 0.85).")
  double mergeThreshold;

  @Override
  public Integer call() throws Exception {
    if (!Files.isReadable(truth)) {
      throw new BadInputException("Cannot read truth file " + truth);
    }
    if (config != null && !Files.isRegularFile(config)) {
      throw new BadInputException("Cannot read config " + config + ": no such file");
    }
    if (!(mergeThreshold > 0 && mergeThreshold <= 1)) {
      throw new BadInputException(
          "Cannot draw the threshold chart: --merge-threshold " + mergeThreshold
              + " is not in (0, 1]");
    }
    Path table = output.resolve(OutputTables.RECORD_PROFILES);
    if (!Files.isDirectory(table.resolve("_delta_log"))) {
      throw new BadInputException("No record_profiles Delta table at " + table);
    }
    SparkSession spark = SparkSessions.getOrCreate("idgraph evaluate", Map.of());
    Dataset<Row> truthRows =
        spark.read().option("header", "true").option("inferSchema", "false").csv(truth.toString());
    List<String> columns = Arrays.asList(truthRows.columns());
    for (String required : List.of(Cols.SOURCE, Cols.RECORD_ID, Cols.PERSON_ID)) {
      if (!columns.contains(required)) {
        throw new BadInputException(
            "Truth file " + truth + ": column '" + required + "' missing (columns: "
                + String.join(", ", columns) + ")");
      }
    }
    Dataset<Row> recordProfiles = spark.read().format("delta").load(table.toString());
    PrintWriter out = spec.commandLine().getOut();
    Candidates candidates = candidates(spark, recordProfiles);
    EvaluationResult result = PairwiseEvaluation.evaluate(recordProfiles, truthRows);
    out.print(result.format());
    List<Row> worst =
        PairwiseEvaluation.overMergedProfiles(recordProfiles, truthRows).limit(10).collectAsList();
    if (!worst.isEmpty()) {
      out.println("most over-merged profiles (persons, records):");
      for (Row r : worst) {
        out.printf("  %s  %d persons, %d records%n", r.getString(0), r.getLong(1), r.getLong(2));
      }
    }
    out.flush();
    if (json != null) {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), result);
    }
    if (candidates.table() == null) {
      out.println("threshold table skipped: " + candidates.skipped());
      out.flush();
    } else {
      thresholds(spark, recordProfiles, candidates.table(), truthRows, out);
    }
    return ExitCodes.OK;
  }

  /** The merge_candidates table, or null and why the threshold table is skipped. */
  private record Candidates(Dataset<Row> table, String skipped) {}

  /**
   * Checked before anything is evaluated, so a malformed merge_candidates table fails the command
   * before it prints results.
   */
  private Candidates candidates(SparkSession spark, Dataset<Row> recordProfiles) {
    Path table = output.resolve(OutputTables.MERGE_CANDIDATES);
    if (!Files.isDirectory(table.resolve("_delta_log"))) {
      return new Candidates(
          null, "no merge_candidates table at " + table + " (probabilistic scoring off?)");
    }
    if (!Arrays.asList(recordProfiles.columns()).contains(Cols.DETERMINISTIC_PROFILE_ID)) {
      return new Candidates(
          null,
          "record_profiles has no deterministic_profile_id column (written by an older idgraph)");
    }
    Dataset<Row> candidates = spark.read().format("delta").load(table.toString());
    List<String> columns = Arrays.asList(candidates.columns());
    for (String required : List.of(Cols.PROFILE_A, Cols.PROFILE_B, Cols.PROBABILITY, Cols.STATUS)) {
      if (!columns.contains(required)) {
        throw new BadInputException(
            "Cannot compute the threshold table: column '" + required + "' missing in " + table
                + " (columns: " + String.join(", ", columns) + ")");
      }
    }
    return new Candidates(candidates, null);
  }

  private void thresholds(
      SparkSession spark,
      Dataset<Row> recordProfiles,
      Dataset<Row> candidates,
      Dataset<Row> truthRows,
      PrintWriter out)
      throws IOException {
    spark.sparkContext().setJobGroup("thresholds", "idgraph evaluate: threshold sweep", false);
    List<ThresholdRow> rows;
    try {
      rows = ThresholdSweep.sweep(recordProfiles, candidates, truthRows);
    } finally {
      spark.sparkContext().clearJobGroup();
    }
    if (rows.isEmpty()) {
      out.println("threshold table skipped: merge_candidates holds no scored pair of this run");
      out.flush();
      return;
    }
    Path folder = output.resolve("evaluation");
    Path csvFile = thresholdsCsv != null ? thresholdsCsv : folder.resolve("thresholds.csv");
    Path svgFile = chart != null ? chart : folder.resolve("thresholds.svg");
    write(csvFile, ThresholdSweep.csv(rows));
    write(svgFile, ThresholdChart.svg(rows, mergeThreshold));
    out.println("threshold table written to " + csvFile);
    out.println("threshold chart written to " + svgFile);
    out.flush();
  }

  private static void write(Path file, String content) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, content);
  }
}
