package io.idgraph.cli;

import io.idgraph.inspect.OutputCatalog;
import io.idgraph.inspect.ResultFormat;
import io.idgraph.inspect.ResultPage;
import io.idgraph.inspect.SqlQuery;
import java.io.PrintWriter;
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

  @Parameters(index = "0", paramLabel = "QUERY", description = "The Spark SQL query (quote it).")
  String query;

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
    SparkSession spark = options.spark("sql");
    OutputCatalog catalog = OutputCatalog.open(spark, options.outputRoot());
    ResultPage page = SqlQuery.run(spark, catalog, query, limit, resultFormat);
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
