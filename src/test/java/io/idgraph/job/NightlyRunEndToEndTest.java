package io.idgraph.job;

import static org.apache.spark.sql.functions.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.cli.IdgraphCli;
import io.idgraph.schema.Cols;
import io.idgraph.sink.OutputTables;
import io.idgraph.testing.Fixtures;
import io.idgraph.testing.LogCapture;
import io.idgraph.testing.PiiScan;
import io.idgraph.testing.SparkTest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the whole job once on sample-data/ through the CLI, as README command 1 does, and checks named
 * scenarios from sample-data/scenarios.properties against the Delta outputs.
 */
@SparkTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NightlyRunEndToEndTest {
  @TempDir static Path out;
  @TempDir static Path off;
  @TempDir static Path gate;
  @TempDir static Path metricsDir;
  private Path metricsJson;
  private final Properties scenarios = new Properties();
  private String summary;
  /** Everything the sample night logged at INFO, and printed to stderr. */
  private String logText;
  private int exitCode;

  @BeforeAll
  void runTheJobOnSampleData() throws IOException {
    Path sample = Fixtures.repoRoot().resolve("sample-data");
    try (Reader r = Files.newBufferedReader(sample.resolve("scenarios.properties"))) {
      scenarios.load(r);
    }
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    metricsJson = metricsDir.resolve("metrics.json");
    // The run as the README's command runs it, report included; its log at INFO is kept for the PII scan.
    Path config =
        Fixtures.write(
            metricsDir, "local.yaml", Files.readString(localConfig(metricsDir, "local.yaml", c -> c))
                .replace("report: {enabled: false}", ""));
    try (LogCapture log = new LogCapture()) {
      exitCode =
          IdgraphCli.execute(
              new PrintWriter(stdout, true),
              new PrintWriter(stderr, true),
              "run",
              "--config",
              config.toString(),
              "--input",
              sample.toString(),
              "--output",
              out.toString(),
              "--metrics-json",
              metricsJson.toString());
      logText = log.text() + stderr;
    }
    System.err.print(stderr);
    summary = stdout.toString();
  }

  /**
   * jobs/local.yaml as the README runs it, edited by {@code edit}, with the sizes of a test: two
   * shuffle partitions (the shared session has two cores) and no run report (RunReportsTest covers it).
   */
  private static Path localConfig(Path dir, String name, java.util.function.UnaryOperator<String> edit)
      throws IOException {
    String config =
        edit.apply(Files.readString(Fixtures.repoRoot().resolve("jobs/local.yaml")))
            .replace("key_file: demo.key", "key_file: " + Fixtures.repoRoot().resolve("jobs/demo.key"))
            .replace("spark.sql.shuffle.partitions: \"8\"", "spark.sql.shuffle.partitions: \"2\"");
    assertThat(config).contains("spark.sql.shuffle.partitions: \"2\"").doesNotContain("\nreport:");
    return Fixtures.write(dir, name, config, "report: {enabled: false}");
  }

  private Dataset<Row> table(SparkSession spark, String name) {
    return spark.read().format("delta").load(out.resolve(name).toString());
  }

  private String profileOf(SparkSession spark, String source, String recordId) {
    List<Row> rows =
        table(spark, OutputTables.RECORD_PROFILES)
            .where(col(Cols.SOURCE).equalTo(source).and(col(Cols.RECORD_ID).equalTo(recordId)))
            .select(Cols.PROFILE_ID)
            .collectAsList();
    assertThat(rows).as("record %s/%s has exactly one profile", source, recordId).hasSize(1);
    return rows.get(0).getString(0);
  }

  @Test
  void writesEveryTableAndPrintsTheSummary(SparkSession spark) {
    assertThat(exitCode).isZero();
    for (String name : OutputTables.ALL) {
      assertThat(out.resolve(name).resolve("_delta_log")).as(name).isDirectory();
    }
    assertThat(summary)
        .contains("crm", "email", "web", "support", "profiles:", "merges:", "largest profile")
        .contains("tables written under " + out);
    Row metrics = table(spark, OutputTables.RUN_METRICS).first();
    assertThat((Long) metrics.getAs("profiles")).isPositive();
    assertThat(summary).contains((String) metrics.getAs(Cols.RUN_ID));
  }

  @Test
  void theTimelineHoldsEveryRecordsEventsUnderItsProfile(SparkSession spark) {
    Dataset<Row> events = table(spark, OutputTables.PROFILE_EVENTS);
    Dataset<Row> records = table(spark, OutputTables.RECORD_PROFILES);
    // Every record has an event, and every event sits under its record's profile.
    assertThat(
            records
                .join(events, new String[] {Cols.SOURCE, Cols.RECORD_ID}, "left_anti")
                .where(col(Cols.SOURCE).notEqual("email")) // a subscriber without times has none
                .count())
        .isZero();
    assertThat(
            events
                .join(
                    records.select(col(Cols.SOURCE), col(Cols.RECORD_ID), col(Cols.PROFILE_ID).as("_p")),
                    new String[] {Cols.SOURCE, Cols.RECORD_ID})
                .where(col(Cols.PROFILE_ID).notEqual(col("_p")))
                .count())
        .isZero();
    assertThat(events.select("event_type").distinct().collectAsList())
        .extracting(r -> r.getString(0))
        .contains("page", "track", "identify", "email_opened", "ticket_created", "contact_created");
    // One query finds people who did things in several sources: here, a pricing view, an opened
    // e-mail and a support ticket, all under one profile.
    long segment =
        spark
            .sql(
                "SELECT profile_id FROM delta.`" + out.resolve(OutputTables.PROFILE_EVENTS) + "`"
                    + " GROUP BY profile_id"
                    + " HAVING count_if(page_path = '/pricing') > 0"
                    + " AND count_if(event_type = 'email_opened') > 0"
                    + " AND count_if(event_type = 'ticket_created') > 0")
            .count();
    assertThat(segment).isPositive();
  }

  @Test
  void metricsJsonCarriesTheRunMetrics(SparkSession spark) throws IOException {
    Row metrics = table(spark, OutputTables.RUN_METRICS).first();
    com.fasterxml.jackson.databind.JsonNode json =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(metricsJson.toFile());
    assertThat(json.get("run_id").asText()).isEqualTo(metrics.getAs(Cols.RUN_ID));
    assertThat(json.get("profiles").asLong()).isEqualTo((Long) metrics.getAs("profiles"));
    assertThat(json.get("identity_edges").asLong()).isEqualTo((Long) metrics.getAs("identity_edges"));
    assertThat(json.get("records_accepted").asLong())
        .isEqualTo(table(spark, OutputTables.RECORD_PROFILES).count());
    assertThat(json.get("stage_seconds").has("components")).isTrue();
    // Stages follow each other without gaps: their times add up to (nearly all of) the run.
    double staged = 0;
    for (com.fasterxml.jackson.databind.JsonNode s : json.get("stage_seconds")) {
      staged += s.asDouble();
    }
    assertThat(staged).isGreaterThan(0.8 * json.get("seconds").asDouble());
    assertThat(json.get("sources").get(0).has("values_dropped")).isTrue();
    // The clustering's own counts: every tier with bridges ran connected components at least once.
    com.fasterxml.jackson.databind.JsonNode clustering = json.get("clustering");
    assertThat(clustering.get("tiers_merged").asLong()).isPositive();
    assertThat(clustering.get("components_runs").asLong())
        .isGreaterThanOrEqualTo(clustering.get("tiers_merged").asLong());
    assertThat(clustering.get("largest_components_graph_edges").asLong()).isPositive();
    java.util.Map<String, Long> stored = metrics.getJavaMap(metrics.fieldIndex("clustering"));
    assertThat(stored).containsEntry("tiers_merged", clustering.get("tiers_merged").asLong());
    assertThat(summary).contains("clustering: tiers_merged ");
  }

  /**
   * The whole night with every connected-components call kept distributed (contraction rounds, no
   * driver finish) partitions the records exactly as the default night, whose small graphs are
   * finished on the driver. Profile ids carry the run id, so partitions are compared by a label of
   * each profile's own: its least record.
   */
  @Test
  void aNightWithoutDriverFinishGivesTheSameProfiles(SparkSession spark, @TempDir Path dir)
      throws IOException {
    Path yaml =
        localConfig(dir, "distributed.yaml", c -> c.replaceAll("driver_finish_max_edges: \\d+", "driver_finish_max_edges: 0"));
    assertThat(Files.readString(yaml)).contains("driver_finish_max_edges: 0");
    Path distributedOut = dir.resolve("out");
    Path json = dir.resolve("metrics.json");
    int code =
        IdgraphCli.execute(
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(System.err, true),
            "run", "--config", yaml.toString(),
            "--input", Fixtures.repoRoot().resolve("sample-data").toString(),
            "--output", distributedOut.toString(),
            "--metrics-json", json.toString());
    assertThat(code).isZero();
    com.fasterxml.jackson.databind.JsonNode clustering =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile()).get("clustering");
    assertThat(clustering.get("contraction_rounds").asLong()).as("distributed rounds ran").isPositive();

    Dataset<Row> expected = partition(table(spark, OutputTables.RECORD_PROFILES));
    Dataset<Row> actual =
        partition(spark.read().format("delta").load(distributedOut.resolve(OutputTables.RECORD_PROFILES).toString()));
    assertThat(expected.count()).isPositive();
    assertThat(expected.exceptAll(actual).count()).isZero();
    assertThat(actual.exceptAll(expected).count()).isZero();
  }

  /** (source, record_id, label): the label is the least source|record_id of the record's profile. */
  private static Dataset<Row> partition(Dataset<Row> recordProfiles) {
    Dataset<Row> keyed =
        recordProfiles.select(
            col(Cols.SOURCE), col(Cols.RECORD_ID), col(Cols.PROFILE_ID),
            concat_ws("|", col(Cols.SOURCE), col(Cols.RECORD_ID)).as("_key"));
    return keyed
        .join(keyed.groupBy(Cols.PROFILE_ID).agg(min("_key").as("_label")), Cols.PROFILE_ID)
        .select(Cols.SOURCE, Cols.RECORD_ID, "_label");
  }

  @Test
  void everyAcceptedRecordMapsToExactlyOneProfile(SparkSession spark) {
    Dataset<Row> rp = table(spark, OutputTables.RECORD_PROFILES);
    assertThat(rp.count()).isEqualTo(rp.select(Cols.SOURCE, Cols.RECORD_ID).distinct().count());
    Dataset<Row> truth =
        spark.read().option("header", "true")
            .csv(Fixtures.repoRoot().resolve("sample-data/truth.csv").toString());
    Dataset<Row> rejectedWhole =
        table(spark, OutputTables.REJECTED_RECORDS)
            .where(col(Cols.REASON).isin("MALFORMED_ROW", "INVALID_JSON", "MISSING_RECORD_ID"))
            .select(col(Cols.SOURCE), col(Cols.RECORD_REF).as(Cols.RECORD_ID));
    // Every record of the ground truth is either in a profile or rejected whole: nothing vanished.
    long unaccounted =
        truth.select(Cols.SOURCE, Cols.RECORD_ID)
            .distinct()
            .except(rp.select(Cols.SOURCE, Cols.RECORD_ID))
            .except(rejectedWhole)
            .count();
    assertThat(unaccounted).isZero();
  }

  @Test
  void anonymousSessionBeforeSignupJoinsTheCustomer(SparkSession spark) {
    assertThat(profileOf(spark, "web", scenarios.getProperty("anonymous_before_signup.message_id")))
        .isEqualTo(
            profileOf(spark, "crm", scenarios.getProperty("anonymous_before_signup.contact_id")));
  }

  @Test
  void crmContactAndTicketFromItsEmailAreOneProfile(SparkSession spark) {
    assertThat(profileOf(spark, "crm", scenarios.getProperty("crm_and_ticket.contact_id")))
        .isEqualTo(profileOf(spark, "support", scenarios.getProperty("crm_and_ticket.ticket_id")));
  }

  @Test
  void laptopAndPhoneJoinedByUserId(SparkSession spark) {
    String[] ids = scenarios.getProperty("laptop_and_phone.message_ids").split(",");
    assertThat(profileOf(spark, "web", ids[0].trim()))
        .isEqualTo(profileOf(spark, "web", ids[1].trim()));
  }

  @Test
  void sharedBrowserKeepsTwoUserIdsApartAndRecordsTheRefusal(SparkSession spark) {
    assertThat(profileOf(spark, "web", scenarios.getProperty("shared_browser.message_id_a")))
        .isNotEqualTo(profileOf(spark, "web", scenarios.getProperty("shared_browser.message_id_b")));
    Dataset<Row> limits =
        table(spark, OutputTables.LINK_DECISIONS)
            .where(col(Cols.RULE).equalTo("limit").and(col(Cols.ID_TYPE).equalTo("anonymous_id")));
    assertThat(limits.count()).isPositive();
    Row first = limits.first();
    assertThat((String) first.getAs("detail")).contains("more than 1 user_id");
    assertThat((Long) first.getAs("degree")).isPositive();
    assertThat(summary).contains("limit");
    // No profile holds two user ids.
    assertThat(
            table(spark, OutputTables.IDENTITY_LINKS)
                .where(col(Cols.ID_TYPE).equalTo("user_id"))
                .groupBy(Cols.PROFILE_ID)
                .count()
                .where(col("count").gt(1))
                .count())
        .isZero();
  }

  private Row recordProfile(SparkSession spark, String source, String recordId) {
    return table(spark, OutputTables.RECORD_PROFILES)
        .where(col(Cols.SOURCE).equalTo(source).and(col(Cols.RECORD_ID).equalTo(recordId)))
        .first();
  }

  @Test
  void aResetCookieJoinsItsPersonThroughAProbabilisticLinkThatIsRecordedAndExplained(SparkSession spark) {
    String reset = scenarios.getProperty("cookie_reset.message_id");
    String signedIn = scenarios.getProperty("cookie_reset.signed_in_message_id");
    Row resetRecord = recordProfile(spark, "web", reset);
    Row signedInRecord = recordProfile(spark, "web", signedIn);
    // No identifier joins them, only the scored pair.
    String resetPart = resetRecord.getAs(Cols.DETERMINISTIC_PROFILE_ID);
    String signedInPart = signedInRecord.getAs(Cols.DETERMINISTIC_PROFILE_ID);
    assertThat(resetPart).isNotEqualTo(signedInPart);
    String profile = signedInRecord.getAs(Cols.PROFILE_ID);
    assertThat((String) resetRecord.getAs(Cols.PROFILE_ID)).isEqualTo(profile);

    Row candidate =
        table(spark, OutputTables.MERGE_CANDIDATES)
            .where(col(Cols.PROFILE_A).isin(resetPart, signedInPart).and(col(Cols.PROFILE_B).isin(resetPart, signedInPart)))
            .first();
    assertThat((String) candidate.getAs(Cols.STATUS)).isEqualTo("merged");
    double probability = candidate.getAs(Cols.PROBABILITY);
    assertThat(probability).isGreaterThanOrEqualTo(0.85);
    assertThat(candidate.<String, Double>getJavaMap(candidate.fieldIndex("contributions")))
        .containsKeys("prior", "fingerprint", "ip_prefix", "session_gap");

    Row link =
        table(spark, OutputTables.IDENTITY_LINKS)
            .where(col(Cols.PROFILE_ID).equalTo(profile).and(col(Cols.LINK_METHOD).equalTo("probabilistic")))
            .first();
    assertThat((Double) link.getAs(Cols.CONFIDENCE)).isEqualTo(probability);
    assertThat(link.<String, Double>getJavaMap(link.fieldIndex("link_signals"))).containsKey("fingerprint");
    assertThat(
            table(spark, OutputTables.MERGE_HISTORY)
                .where(col(Cols.METHOD).equalTo("probabilistic")
                    .and(col("surviving_profile_id").equalTo(profile))
                    .and(array_contains(col("merged_profile_ids"), resetPart)))
                .count())
        .isEqualTo(1);
    Dataset<Row> parameters = table(spark, OutputTables.MODEL_PARAMETERS);
    assertThat(parameters.count()).isEqualTo(20); // the prior and 19 comparison levels
    assertThat(parameters.where(col("comparison").equalTo("prior")).first().<Double>getAs("m")).isBetween(0.0, 1.0);
    assertThat(summary).contains("probabilistic scoring").contains("pairs_above_threshold");

    StringWriter explained = new StringWriter();
    int code =
        IdgraphCli.execute(new PrintWriter(explained, true), new PrintWriter(System.err, true), "explain",
            "--output", out.toString(), "--record", "web:" + reset, "--record", "web:" + signedIn);
    assertThat(code).isZero();
    assertThat(explained.toString()).contains("probabilistic").contains("fingerprint");
  }

  @Test
  void withScoringDisabledTheResetCookieStaysAnAnonymousProfile(SparkSession spark) throws IOException {
    Path config = localConfig(off, "no-scoring.yaml", c -> c.replace("\n  enabled: true", "\n  enabled: false"));
    Path output = off.resolve("out");
    int code =
        IdgraphCli.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(System.err, true), "run",
            "--config", config.toString(), "--input", Fixtures.repoRoot().resolve("sample-data").toString(),
            "--output", output.toString());
    assertThat(code).isZero();
    Dataset<Row> rp = spark.read().format("delta").load(output.resolve(OutputTables.RECORD_PROFILES).toString());
    List<Row> rows =
        rp.where(col(Cols.RECORD_ID).isin(
                scenarios.getProperty("cookie_reset.message_id"),
                scenarios.getProperty("cookie_reset.signed_in_message_id")))
            .select(Cols.PROFILE_ID)
            .distinct()
            .collectAsList();
    assertThat(rows).hasSize(2);
    assertThat(output.resolve(OutputTables.MERGE_CANDIDATES)).doesNotExist();
    assertThat(
            spark.read().format("delta").load(output.resolve(OutputTables.IDENTITY_LINKS).toString())
                .where(col(Cols.LINK_METHOD).equalTo("probabilistic")).count())
        .isZero();
  }

  @Test
  void aCollapsedExportStopsTheNightBeforeAnyWriteUnlessTheGateIsSkipped(SparkSession spark) throws IOException {
    // Yesterday's output, copied so this test's nights do not change what the others read.
    Path output = gate.resolve("out");
    try (var files = Files.walk(out)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.copy(p, output.resolve(out.relativize(p).toString()));
      }
    }
    // Tonight the CRM export arrives cut to a third.
    Path input = gate.resolve("in");
    Files.createDirectories(input);
    try (var files = Files.list(Fixtures.repoRoot().resolve("sample-data"))) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.copy(p, input.resolve(p.getFileName().toString()));
      }
    }
    // The CRM export is a snapshot (the full truth each night), so a cut file shrinks the state; an
    // append source's short file would only add records.
    List<String> crm = Files.readAllLines(input.resolve("crm_contacts.csv"));
    Files.write(input.resolve("crm_contacts.csv"), crm.subList(0, crm.size() / 3));
    String metrics = output.resolve(OutputTables.RUN_METRICS).toString();
    long runsBefore = spark.read().format("delta").load(metrics).count();
    long profilesVersion =
        io.delta.tables.DeltaTable.forPath(spark, output.resolve(OutputTables.PROFILES).toString())
            .history().count();

    StringWriter err = new StringWriter();
    String[] args = {"run", "--config", localConfig(gate, "local.yaml", c -> c).toString(),
        "--input", input.toString(), "--output", output.toString()};
    int code = IdgraphCli.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args);
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("publish gate").contains("source 'crm'").contains("--skip-publish-gate");
    assertThat(spark.read().format("delta").load(metrics).count()).isEqualTo(runsBefore);
    assertThat(io.delta.tables.DeltaTable.forPath(spark, output.resolve(OutputTables.PROFILES).toString())
            .history().count())
        .isEqualTo(profilesVersion);

    String[] skip = java.util.Arrays.copyOf(args, args.length + 1);
    skip[args.length] = "--skip-publish-gate";
    assertThat(IdgraphCli.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(System.err, true), skip))
        .isZero();
    assertThat(spark.read().format("delta").load(metrics).count()).isEqualTo(runsBefore + 1);
  }

  @Test
  void junkEmailsDoNotMergeDifferentPeopleAndAreRecorded(SparkSession spark) {
    String[] contacts = scenarios.getProperty("junk_email.contact_ids").split(",");
    assertThat(contacts.length).isGreaterThanOrEqualTo(2);
    List<String> profiles = new ArrayList<>();
    for (String contact : contacts) {
      profiles.add(profileOf(spark, "crm", contact));
    }
    assertThat(profiles).doesNotHaveDuplicates();
    Dataset<Row> decisions = table(spark, OutputTables.LINK_DECISIONS);
    assertThat(decisions.where(col(Cols.RULE).equalTo("blocklist").and(col(Cols.ID_TYPE).equalTo("email"))).count())
        .isPositive();
    assertThat(summary).contains("kept from linking").contains("blocklist");
  }

  @Test
  void profilesHaveStatesAndMergesAreRecorded(SparkSession spark) {
    List<String> states =
        table(spark, OutputTables.PROFILES).select(Cols.STATE).distinct().as(
            org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertThat(states).contains("known", "unified", "anonymous");
    assertThat(table(spark, OutputTables.MERGE_HISTORY).where(col(Cols.METHOD).equalTo("deterministic")).count())
        .isPositive();
    assertThat(table(spark, OutputTables.REJECTED_RECORDS).select(Cols.REASON).distinct()
            .as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
        .contains("MALFORMED_ROW", "INVALID_JSON", "DUPLICATE_SUPERSEDED", "INVALID_EMAIL",
            "UNPARSEABLE_TIMESTAMP");
  }

  @Test
  void noRawEmailPhoneOrIpIsInAnyTableTheLogOrTheReportAndTheHashKeyNowhere(SparkSession spark)
      throws IOException {
    PiiScan pii = PiiScan.ofExports(Fixtures.repoRoot().resolve("sample-data"), "US");
    assertThat(pii.emailCount()).as(pii.sizes()).isGreaterThan(100);
    assertThat(pii.phoneCount()).as(pii.sizes()).isGreaterThan(100);
    assertThat(pii.ipCount()).as(pii.sizes()).isGreaterThan(100);
    // The scan finds what is there: the exports themselves.
    assertThat(pii.foundIn(Files.readString(Fixtures.repoRoot().resolve("sample-data/crm_contacts.csv"))))
        .hasSizeGreaterThan(100);
    String key = Files.readString(Fixtures.repoRoot().resolve("jobs/demo.key")).strip();
    String keyHex = java.util.HexFormat.of().formatHex(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));

    Map<String, String> texts = new java.util.LinkedHashMap<>();
    for (String name : OutputTables.ALL) {
      // Sample-sized tables: small enough to scan as text on the driver.
      texts.put("table " + name,
          String.join("\n", table(spark, name).select(to_json(struct(col("*")))).as(Encoders.STRING()).collectAsList()));
    }
    texts.put("the run's log", logText);
    texts.put("the summary", summary);
    texts.put("report.html", Files.readString(out.resolve("report.html")));
    assertThat(logText).contains("stage normalize done").contains("INFO org.apache.spark");
    assertThat(texts.get("report.html")).contains("idgraph run report");
    for (var text : texts.entrySet()) {
      assertThat(pii.foundIn(text.getValue())).as("raw identifiers in %s", text.getKey()).isEmpty();
      assertThat(text.getValue()).as("the hashing key in %s", text.getKey()).doesNotContain(key, keyHex);
    }
  }
}
