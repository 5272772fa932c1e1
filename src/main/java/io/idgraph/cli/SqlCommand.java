package io.idgraph.cli;

import io.idgraph.inspect.OutputCatalog;
import io.idgraph.inspect.ResultFormat;
import io.idgraph.inspect.ResultPage;
import io.idgraph.inspect.SqlQuery;
import io.idgraph.config.BadInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code idgraph sql}: one read-only Spark SQL statement over an output's tables, in an embedded
 * Spark session. Every Delta table under {@code --output} is a view named after its folder; see
 * {@link SqlQuery}.
 */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = {
      "Run one read-only Spark SQL query over the output's tables and print the result.",
      "Every Delta table under --output is a view named after its folder (profiles,"
          + " identity_links, record_profiles, ...; tables added later are found too).",
      "Only queries and SHOW / DESCRIBE run; statements that would change a table or the session"
          + " are refused. A query Spark cannot parse or resolve exits 2 with Spark's message."
    })
public final class SqlCommand implements Callable<Integer> {
  /** Rows printed unless --limit says otherwise. */
  static final int DEFAULT_LIMIT = 1000;

  @Spec CommandSpec spec;

  @Mixin OutputOptions options;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "QUERY",
      description =
          "The Spark SQL query (quote it). One that starts with a -- comment goes after a lone --,"
              + " or in --file.")
  String query;

  @Option(
      names = "--file",
      paramLabel = "FILE",
      description = "Read the query from this file instead ('-' reads standard input).")
  Path file;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description =
          "table (aligned text, long values cut), csv (RFC 4180) or json (one object per line)."
              + " Default: ${DEFAULT-VALUE}.")
  String format = "table";

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "Most rows printed (default ${DEFAULT-VALUE}); more are never collected.")
  int limit = DEFAULT_LIMIT;

  @Override
  public Integer call() {
    ResultFormat resultFormat = parseFormat(format);
    String statement = query();
    SparkSession spark = options.spark("sql");
    OutputCatalog catalog = OutputCatalog.open(spark, options.outputRoot());
    ResultPage page = SqlQuery.run(spark, catalog, statement, limit, resultFormat);
    PrintWriter out = spec.commandLine().getOut();
    out.print(resultFormat.render(page));
    out.flush();
    if (page.truncated() && resultFormat != ResultFormat.TABLE) {
      // The note stays off stdout, where it would corrupt the CSV or JSON.
      int printed = page.rows().size() + page.jsonLines().size();
      spec.commandLine().getErr().println("idgraph: (first " + printed + " rows; use --limit)");
    }
    return ExitCodes.OK;
  }

  /** The query from the argument or --file (exactly one), without a trailing semicolon. */
  private String query() {
    if ((query == null) == (file == null)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "Give the query either as an argument or with --file, not both or neither");
    }
    String text = query;
    if (file != null) {
      try {
        text =
            file.toString().equals("-")
                ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                : Files.readString(file);
      } catch (IOException e) {
        throw new BadInputException("Cannot read the query file " + file + ": " + e.getMessage());
      }
    }
    // A query pasted from a .sql file ends with ';', which Spark's parser refuses.
    return text.strip().replaceAll(";+$", "").strip();
  }

  private ResultFormat parseFormat(String value) {
    for (ResultFormat f : ResultFormat.values()) {
      if (f.name().equalsIgnoreCase(value)) {
        return f;
      }
    }
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "--format must be table, csv or json, got '" + value + "'");
  }
}
