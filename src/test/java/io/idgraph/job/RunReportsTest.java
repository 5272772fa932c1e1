package io.idgraph.job;

import static io.idgraph.testing.HeadlessChromium.assertEveryMarkDrawn;
import static org.apache.spark.sql.functions.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.idgraph.cli.IdgraphCli;
import io.idgraph.quality.HtmlReport;
import io.idgraph.quality.ReportQueries;
import io.idgraph.quality.RunReport.SizeBucket;
import io.idgraph.schema.Cols;
import io.idgraph.sink.OutputTables;
import io.idgraph.testing.Fixtures;
import io.idgraph.testing.HeadlessChromium;
import io.idgraph.testing.SharedSpark;
import io.idgraph.testing.SparkTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html from real nights through the CLI on tiny exports (a CRM file, a web folder, scoring
 * off): night 1 a first run, night 2 a scoped incremental night that MERGEs its rows into the tables,
 * night 3 nothing new. Each report's numbers are checked against the tables as the night left them,
 * and chromium draws the real report's charts.
 */
@SparkTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunReportsTest {
  private static final String CRM_HEADER =
      "contact_id,email,phone,first_name,last_name,company,city,country,user_id,created_at,updated_at";

  @TempDir static Path dir;
  private Path in;
  private Path out;
  private Path config;
  private final Night[] nights = new Night[2];
  private String thirdSummary;
  private byte[] reportBeforeThirdNight;
  private FileTime modifiedBeforeThirdNight;

  /** What a night left: its console summary, report, and the facts of its tables the report shows. */
  private record Night(
      String summary,
      String report,
      String runId,
      long profiles,
      long records,
      List<SizeBucket> sizes,
      String largestProfile,
      long merges,
      long stagesTimed) {}

  private static String event(String id, String type, String anonymousId, String userId, String time) {
    return "{\"messageId\":\"" + id + "\",\"type\":\"" + type + "\",\"anonymousId\":\"" + anonymousId
        + "\"" + (userId == null ? "" : ",\"userId\":\"" + userId + "\"") + ",\"timestamp\":\"" + time
        + "\",\"context\":{\"ip\":\"203.0.113.7\"}}";
  }

  @BeforeAll
  void runThreeNights() throws Exception {
    in = Files.createDirectories(dir.resolve("in"));
    out = dir.resolve("out");
    Path web = Files.createDirectories(in.resolve("web"));
    config = Fixtures.crmAndWebFolderJob(dir, "report: {enabled: true}");
    Fixtures.write(in, "crm.csv", CRM_HEADER,
        "C1,ann@shop.com,,Ann,Lee,,,US,u-1,2026-01-01,2026-11-01",
        "C2,bob@mail.com,,Bob,Ray,,,US,,2026-01-01,2026-10-01",
        "C2,bob@mail.com,,Bob,Ray,,,US,,2026-01-01,2026-11-01",
        "C3,not-an-email,,Cy,Ott,,,US,,2026-01-01,2026-11-01",
        "C4,test@example.com,,Dee,Fox,,,US,,2026-01-01,2026-11-01");
    Fixtures.write(web, "day1.jsonl",
        event("m1", "identify", "a-1", "u-1", "2026-11-22T10:00:00Z"),
        event("m2", "page", "a-1", null, "2026-11-22T10:01:00Z"),
        event("m3", "page", "a-2", null, "2026-11-22T11:00:00Z"));
    nights[0] = night();
    Fixtures.write(web, "day2.jsonl",
        event("m4", "page", "a-1", null, "2026-11-23T09:00:00Z"),
        event("m5", "page", "a-3", null, "2026-11-23T09:30:00Z"));
    nights[1] = night();
    Path report = out.resolve(HtmlReport.FILE_NAME);
    reportBeforeThirdNight = Files.readAllBytes(report);
    modifiedBeforeThirdNight = Files.getLastModifiedTime(report);
    thirdSummary = run();
  }

  private String run() {
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    int code =
        IdgraphCli.execute(
            new PrintWriter(stdout, true),
            new PrintWriter(stderr, true),
            "run", "--config", config.toString(), "--input", in.toString(), "--output", out.toString());
    assertThat(code).as("exit code; stderr: %s", stderr).isZero();
    assertThat(stderr.toString()).doesNotContain("could not write the run report");
    return stdout.toString();
  }

  private Night night() throws Exception {
    String summary = run();
    Path report = out.resolve(HtmlReport.FILE_NAME);
    assertThat(report).as("report.html next to the tables").isRegularFile();
    assertThat(out.resolve(OutputTables.PROFILES).resolve("_delta_log")).isDirectory();
    Dataset<Row> profiles = table(OutputTables.PROFILES);
    Row metrics = table(OutputTables.RUN_METRICS).orderBy(col("started_at").desc()).first();
    String runId = metrics.getAs(Cols.RUN_ID);
    long stagesTimed =
        metrics.<String, Double>getJavaMap(metrics.fieldIndex("stage_seconds")).values().stream()
            .filter(s -> s > 0)
            .count();
    return new Night(
        summary,
        Files.readString(report),
        runId,
        profiles.count(),
        table(OutputTables.RECORD_PROFILES).count(),
        ReportQueries.profileSizes(profiles),
        profiles
            .orderBy(col(Cols.RECORD_COUNT).desc(), col(Cols.PROFILE_ID))
            .first()
            .getAs(Cols.PROFILE_ID),
        table(OutputTables.MERGE_HISTORY).where(col(Cols.RUN_ID).equalTo(runId)).count(),
        stagesTimed);
  }

  private Dataset<Row> table(String name) {
    return SharedSpark.session().read().format("delta").load(out.resolve(name).toString());
  }

  private static String card(String html, String id) {
    Matcher m = Pattern.compile("id=\"card-" + id + "\" data-value=\"([^\"]*)\"").matcher(html);
    assertThat(m.find()).as("card %s", id).isTrue();
    return m.group(1);
  }

  private static String section(String html, String id) {
    int start = html.indexOf("<section id=\"" + id + "\">");
    assertThat(start).as("section %s", id).isNotNegative();
    return html.substring(start, html.indexOf("</section>", start));
  }

  private static long nonZero(List<SizeBucket> sizes) {
    return sizes.stream().filter(b -> b.profiles() > 0).count();
  }

  @Test
  void eachNightsReportShowsItsTablesAsWritten() {
    for (Night n : nights) {
      assertThat(n.summary()).contains("report: " + out.resolve(HtmlReport.FILE_NAME));
      String html = n.report();
      assertThat(html).contains(n.runId());
      assertThat(Long.parseLong(card(html, "profiles"))).isEqualTo(n.profiles());
      assertThat(Long.parseLong(card(html, "records"))).isEqualTo(n.records());
      assertThat(Long.parseLong(card(html, "merges"))).isEqualTo(n.merges());
      assertThat(card(html, "review-queue")).as("scoring off").isEmpty();
      assertThat(section(html, "review-queue")).contains("Scoring off");
      assertThat(section(html, "largest-profiles")).contains("<code>" + n.largestProfile() + "</code>");
      String sizes = section(html, "profile-sizes");
      for (SizeBucket b : n.sizes()) {
        assertThat(sizes).contains(">" + String.format(Locale.ROOT, "%,d", b.profiles()) + "</text>");
      }
      assertThat(sizes.split("<rect class=\"bar\"", -1).length - 1).isEqualTo(nonZero(n.sizes()));
      // The blocklisted test@example.com and C3's invalid email, by rule and reason.
      assertThat(section(html, "identity-rules")).contains("<td>blocklist</td>");
      // No raw identifier value anywhere, and nothing to fetch.
      assertThat(html)
          .doesNotContain("ann@shop.com", "bob@mail.com", "not-an-email", "test@example.com", "203.0.113")
          .doesNotContain("http://", "https://", "<script");
    }
    // Night 1: C1 with the web events of u-1 / a-1, Bob, Cy, Dee and visitor a-2.
    assertThat(nights[0].profiles()).isEqualTo(5);
    assertThat(nights[0].records()).isEqualTo(7);
    // Rejections are the night's own: C3's invalid email and C2's older row on night 1 only.
    assertThat(section(nights[0].report(), "rejections"))
        .contains("<td>INVALID_EMAIL</td><td class=\"num\">1</td>")
        .contains("<td>DUPLICATE_SUPERSEDED</td><td class=\"num\">1</td>");
    assertThat(section(nights[1].report(), "rejections")).contains("Nothing rejected.");
  }

  @Test
  void theFirstNightHasNothingToCompareAndTheSecondComparesWithIt() {
    assertThat(section(nights[0].report(), "changes")).contains("First run");
    String changes = section(nights[1].report(), "changes");
    assertThat(changes).contains(nights[0].runId()).doesNotContain("First run");
    assertThat(changes)
        .contains(
            "<td>profiles</td><td class=\"num\">" + nights[0].profiles() + "</td><td class=\"num\">"
                + nights[1].profiles() + "</td>")
        .contains(
            "<td>records accepted</td><td class=\"num\">" + nights[0].records()
                + "</td><td class=\"num\">" + nights[1].records() + "</td><td class=\"num\">"
                + "<span class=\"up\">+2 ");
  }

  @Test
  void aNightWithNothingNewLeavesTheReportAsItWas() throws Exception {
    assertThat(thirdSummary).contains("nothing new since run " + nights[1].runId());
    Path report = out.resolve(HtmlReport.FILE_NAME);
    assertThat(Files.readAllBytes(report)).isEqualTo(reportBeforeThirdNight);
    assertThat(Files.getLastModifiedTime(report)).isEqualTo(modifiedBeforeThirdNight);
  }

  @Test
  void chromiumDrawsTheRealReportsCharts() throws Exception {
    HeadlessChromium chromium = HeadlessChromium.require();
    Night n = nights[1];
    JsonNode marks = chromium.measureChartMarks(n.report(), Files.createTempDirectory(dir, "chromium"));
    assertEveryMarkDrawn(marks, HtmlReport.PROFILE_SIZES_CHART, (int) nonZero(n.sizes()));
    assertThat(n.stagesTimed()).isGreaterThanOrEqualTo(5);
    assertEveryMarkDrawn(marks, HtmlReport.STAGE_TIMINGS_CHART, (int) n.stagesTimed());
    Path page = dir.resolve("night2-report.html");
    Files.writeString(page, n.report());
    chromium.screenshot(
        page,
        Fixtures.repoRoot().resolve("target/report-screenshots/incremental-night-report.png"),
        1280,
        2400,
        Files.createTempDirectory(dir, "chromium"));
  }
}
