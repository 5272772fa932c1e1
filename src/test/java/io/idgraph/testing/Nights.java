package io.idgraph.testing;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.cli.IdgraphCli;
import io.idgraph.schema.Cols;
import io.idgraph.sink.OutputTables;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Consecutive nightly runs on one output folder through the CLI, as a scheduler runs them, remembering
 * after each night which profile every record ("source:record_id") was in and the night's run id.
 */
public final class Nights {
  private final Path config;
  private final Path input;
  private final Path output;
  private final List<Map<String, String>> profiles = new ArrayList<>();
  private final List<String> runIds = new ArrayList<>();

  public Nights(Path config, Path input, Path output) {
    this.config = config;
    this.input = input;
    this.output = output;
  }

  /** Runs one night and fails the test unless it exits 0. */
  public void run() {
    StringWriter err = new StringWriter();
    int code =
        IdgraphCli.execute(
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            "run", "--config", config.toString(), "--input", input.toString(), "--output", output.toString());
    assertThat(code).as("night %d: %s", profiles.size() + 1, err).isZero();
    Map<String, String> ids = new HashMap<>();
    for (Row r :
        table(OutputTables.RECORD_PROFILES).select(Cols.SOURCE, Cols.RECORD_ID, Cols.PROFILE_ID).collectAsList()) {
      ids.put(r.getString(0) + ":" + r.getString(1), r.getString(2));
    }
    profiles.add(ids);
    runIds.add(
        table(OutputTables.RUN_METRICS).orderBy(col("started_at").desc()).select(Cols.RUN_ID).first().getString(0));
  }

  /** Record ("source:record_id") → profile id after night {@code night} (0-based). */
  public Map<String, String> profiles(int night) {
    return profiles.get(night);
  }

  public String runId(int night) {
    return runIds.get(night);
  }

  public Dataset<Row> table(String name) {
    return SharedSpark.session().read().format("delta").load(output.resolve(name).toString());
  }
}
