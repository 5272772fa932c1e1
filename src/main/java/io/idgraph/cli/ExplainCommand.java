package io.idgraph.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.idgraph.config.BadInputException;
import io.idgraph.explain.ExplainInputs;
import io.idgraph.explain.Explanation;
import io.idgraph.explain.Explanation.End;
import io.idgraph.explain.LinkChain;
import io.idgraph.explain.RecordRef;
import io.idgraph.explain.Scope;
import io.idgraph.sink.OutputTables;
import io.idgraph.sink.RunCommits;
import io.idgraph.spark.SparkSessions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code idgraph explain}: the chain of links that joins two records or two profiles, or why they
 * are apart. Reads record_profiles (required), merge_candidates and link_decisions (each treated as
 * empty when absent), only for the final profiles involved; see {@link LinkChain} for what a chain
 * is.
 */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description =
        "Show the chain of links (shared identifiers, merged scored pairs) that joins two records"
            + " or two profiles, or why they are not joined.")
public final class ExplainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--output", required = true, description = "Folder of the Delta tables.")
  Path output;

  @Option(names = "--config", description = "Job config (accepted for symmetry with run).")
  Path config;

  @Option(
      names = "--record",
      paramLabel = "SOURCE:RECORD_ID",
      description = "A record (split at the first ':'). Give exactly two, or two --profile-id.")
  List<String> records = new ArrayList<>();

  @Option(
      names = "--profile-id",
      paramLabel = "ID",
      description = "A final or deterministic profile id. Give exactly two, or two --record.")
  List<String> profileIds = new ArrayList<>();

  @Option(names = "--json", description = "Also write the explanation as JSON to this file.")
  Path json;

  @Override
  public Integer call() throws Exception {
    List<RecordRef> refs = ends();
    if (config != null && !Files.isRegularFile(config)) {
      throw new BadInputException("Cannot read config " + config + ": no such file");
    }
    Path recordProfilesPath = output.resolve(OutputTables.RECORD_PROFILES);
    if (!isDeltaTable(recordProfilesPath)) {
      throw new BadInputException("No record_profiles Delta table at " + recordProfilesPath);
    }
    SparkSession spark = SparkSessions.getOrCreate("idgraph explain", Map.of());
    // As the last finished night committed them (RunCommits): never half of a night being written.
    Dataset<Row> recordProfiles =
        RunCommits.readCommitted(spark, output.toString(), OutputTables.RECORD_PROFILES)
            .orElseThrow(() -> new BadInputException("No committed night in " + output + " yet"));
    ExplainInputs.requireColumns(
        recordProfiles, recordProfilesPath.toString(), ExplainInputs.RECORD_PROFILES_COLUMNS);
    Optional<Dataset<Row>> candidates =
        optionalTable(spark, OutputTables.MERGE_CANDIDATES, ExplainInputs.MERGE_CANDIDATES_COLUMNS);
    Optional<Dataset<Row>> decisions =
        optionalTable(spark, OutputTables.LINK_DECISIONS, ExplainInputs.LINK_DECISIONS_COLUMNS);

    List<End> ends =
        refs.isEmpty()
            ? List.of(
                ExplainInputs.profile(recordProfiles, profileIds.get(0)),
                ExplainInputs.profile(recordProfiles, profileIds.get(1)))
            : ExplainInputs.records(recordProfiles, refs);
    End a = ends.get(0);
    End b = ends.get(1);
    Scope scope =
        ExplainInputs.collect(
            recordProfiles,
            candidates,
            decisions,
            new TreeSet<>(List.of(a.profileId(), b.profileId())));
    Explanation explanation = LinkChain.explain(a, b, scope);

    PrintWriter out = spec.commandLine().getOut();
    out.print(explanation.format());
    out.flush();
    if (json != null) {
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL)
          .writeValue(json.toFile(), explanation);
    }
    return ExitCodes.OK;
  }

  /** The two records, or none when two profile ids are given; a usage error otherwise. */
  private List<RecordRef> ends() {
    if (!records.isEmpty() && !profileIds.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "Give either two --record or two --profile-id, not both");
    }
    if (!profileIds.isEmpty()) {
      if (profileIds.size() != 2) {
        throw new ParameterException(
            spec.commandLine(), "Give exactly two --profile-id (got " + profileIds.size() + ")");
      }
      return List.of();
    }
    if (records.size() != 2) {
      throw new ParameterException(
          spec.commandLine(),
          "Give exactly two --record SOURCE:RECORD_ID or two --profile-id (got "
              + records.size()
              + " --record)");
    }
    return List.of(RecordRef.parse(records.get(0)), RecordRef.parse(records.get(1)));
  }

  private Optional<Dataset<Row>> optionalTable(
      SparkSession spark, String name, List<String> columns) {
    Path path = output.resolve(name);
    if (!isDeltaTable(path)) {
      return Optional.empty();
    }
    Optional<Dataset<Row>> table = RunCommits.readCommitted(spark, output.toString(), name);
    table.ifPresent(t -> ExplainInputs.requireColumns(t, path.toString(), columns));
    return table;
  }

  private static boolean isDeltaTable(Path path) {
    return Files.isDirectory(path.resolve("_delta_log"));
  }
}
