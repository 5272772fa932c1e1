package io.idgraph.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.idgraph.config.BadInputException;
import io.idgraph.quality.EvaluationResult;
import io.idgraph.quality.PairwiseEvaluation;
import io.idgraph.schema.Cols;
import io.idgraph.sink.OutputTables;
import io.idgraph.spark.SparkSessions;
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

/** {@code idgraph evaluate}: pairwise precision/recall of a run's record_profiles against truth. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = "Compare a run's record-to-profile map with ground truth (source,record_id,person_id).")
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

  @Override
  public Integer call() throws Exception {
    if (!Files.isReadable(truth)) {
      throw new BadInputException("Cannot read truth file " + truth);
    }
    if (config != null && !Files.isRegularFile(config)) {
      throw new BadInputException("Cannot read config " + config + ": no such file");
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
    EvaluationResult result = PairwiseEvaluation.evaluate(recordProfiles, truthRows);
    PrintWriter out = spec.commandLine().getOut();
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
    return ExitCodes.OK;
  }
}
