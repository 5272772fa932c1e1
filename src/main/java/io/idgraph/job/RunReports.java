package io.idgraph.job;

import io.idgraph.quality.HtmlReport;
import io.idgraph.quality.ReportQueries;
import io.idgraph.quality.RunMetrics;
import io.idgraph.quality.RunReport;
import io.idgraph.quality.RunReport.RunTotals;
import io.idgraph.sink.OutputTables;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Writes {@code <output>/report.html} ({@link HtmlReport}) at the end of a night that wrote its
 * tables: it reads the tables back from the output folder as they stand after the night's writes (a
 * scoped night's MERGEd tables are seen whole), runs the report's few aggregate queries and writes the
 * page through Hadoop's FileSystem, so hdfs:// and s3a:// outputs work as local ones do.
 *
 * <p>A night that finds nothing new writes no table and does not call this: the report of the last
 * night that ran stays. The report is a by-product: a missing optional table shows as such
 * (merge_candidates with scoring off: "scoring off"), and any failure to build or write it is
 * logged and printed as a warning, never failing a night whose tables are written.
 */
public final class RunReports {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunReports.class);
  private static final int LARGEST = 10;
  private static final int HUBS = 10;

  private RunReports() {}

  /** The report's path under {@code outputRoot}. */
  public static Path path(String outputRoot) {
    return new Path(outputRoot, HtmlReport.FILE_NAME);
  }

  /** Builds and writes the report of tonight's run; returns false (after a warning) if it could not. */
  public static boolean write(SparkSession spark, String outputRoot, RunMetrics metrics) {
    Path path = path(outputRoot);
    try {
      spark.sparkContext().setJobGroup("report", "idgraph: run report", false);
      long start = System.nanoTime();
      String html = HtmlReport.render(build(spark, outputRoot, metrics));
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (OutputStream out = fs.create(path, true)) {
        out.write(html.getBytes(StandardCharsets.UTF_8));
      }
      LOG.info(
          "[{}] report {} written ({} bytes) in {} s",
          metrics.runId(),
          path,
          html.length(),
          String.format("%.1f", (System.nanoTime() - start) / 1e9));
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.warn("[{}] could not write the run report {}", metrics.runId(), path, e);
      System.err.println("idgraph: warning: could not write the run report " + path + ": " + e);
      return false;
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }

  /** The report's content from the tables under {@code outputRoot} and tonight's metrics. */
  public static RunReport build(SparkSession spark, String outputRoot, RunMetrics metrics) {
    String runId = metrics.runId();
    Dataset<Row> profiles = table(spark, outputRoot, OutputTables.PROFILES);
    Dataset<Row> history = table(spark, outputRoot, OutputTables.MERGE_HISTORY);
    Dataset<Row> decisions = table(spark, outputRoot, OutputTables.LINK_DECISIONS);
    Dataset<Row> runMetrics = table(spark, outputRoot, OutputTables.RUN_METRICS);
    // merge_candidates stays behind when scoring is turned off: tonight's metrics say whether it ran.
    Optional<Dataset<Row>> candidates =
        metrics.scoring().isEmpty()
            ? Optional.empty()
            : OutputTables.read(spark, outputRoot, OutputTables.MERGE_CANDIDATES);
    ConcurrentJobs queries = new ConcurrentJobs();
    var sizes = queries.query(() -> ReportQueries.profileSizes(profiles));
    var largest = queries.query(() -> ReportQueries.largestProfiles(profiles, LARGEST));
    var types = queries.query(() -> ReportQueries.profilesByIdentifierTypes(profiles));
    var merges = queries.query(() -> ReportQueries.mergesByMethod(history, runId));
    var hubs = queries.query(() -> ReportQueries.isolatedHubs(decisions, runId, HUBS));
    Supplier<Map<String, Long>> queue =
        queries.query(() -> candidates.map(ReportQueries::candidatesByStatus).orElse(null));
    Supplier<Optional<RunTotals>> previous =
        queries.query(() -> ReportQueries.previousRun(runMetrics, runId, metrics.startedAt()));
    queries.run();
    return new RunReport(
        metrics,
        outputRoot,
        merges.get(),
        queue.get(),
        types.get(),
        sizes.get(),
        largest.get(),
        hubs.get(),
        previous.get().orElse(null));
  }

  private static Dataset<Row> table(SparkSession spark, String outputRoot, String name) {
    return OutputTables.read(spark, outputRoot, name)
        .orElseThrow(() -> new IllegalStateException("table " + name + " missing under " + outputRoot));
  }
}
