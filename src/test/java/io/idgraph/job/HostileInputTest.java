package io.idgraph.job;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.cli.IdgraphCli;
import io.idgraph.schema.Cols;
import io.idgraph.sink.OutputTables;
import io.idgraph.testing.Fixtures;
import io.idgraph.testing.HostileExports;
import io.idgraph.testing.HostileExports.HostileFile;
import io.idgraph.testing.HostileExports.ValueReject;
import io.idgraph.testing.SharedSpark;
import io.idgraph.testing.SparkTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real nightly job on {@link HostileExports} (issue 8): nothing crashes, every good row is
 * accepted with its values decoded as written, every bad row or value is in rejected_records with
 * its reason, and no row is silently dropped. Times follow the README: ISO-8601 with or without
 * offset, a date alone, or epoch milliseconds; anything else is rejected, the record kept.
 */
@SparkTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {
  /** Reasons that reject a whole row (the others reject one value of an accepted row). */
  private static final Set<String> WHOLE_ROW =
      Set.of("MALFORMED_ROW", "INVALID_JSON", "MISSING_RECORD_ID", "UNDECODABLE_TEXT");

  @TempDir static Path input;
  @TempDir static Path output;
  private List<HostileFile> files;
  private int exitCode;
  private String stderr;
  /** "source/file" → accepted record ids (record_profiles). */
  private final Map<String, Set<String>> accepted = new HashMap<>();
  /** "source:record_id" → the accepted record (source_records). */
  private final Map<String, Row> records = new HashMap<>();
  private List<Row> rejected;
  /** "source:record_id" → its profile's first_name. */
  private final Map<String, String> profileFirstNames = new HashMap<>();

  @BeforeAll
  void runTheNightOnHostileExports(SparkSession spark) {
    files = HostileExports.write(input);
    Path config = HostileExports.config(input, files);
    StringWriter err = new StringWriter();
    exitCode =
        IdgraphCli.execute(
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            "run", "--config", config.toString(), "--input", input.toString(),
            "--output", output.toString());
    stderr = err.toString();
    if (exitCode != 0) {
      return;
    }
    // Accepted: a record with a profile; its file (record_profiles has none) from source_records.
    for (Row r :
        table(spark, OutputTables.RECORD_PROFILES)
            .select(Cols.SOURCE, Cols.RECORD_ID)
            .join(
                table(spark, OutputTables.SOURCE_RECORDS)
                    .select(Cols.SOURCE, Cols.RECORD_ID, Cols.FILE, Cols.TRAITS, Cols.EVENT_TIME),
                new String[] {Cols.SOURCE, Cols.RECORD_ID})
            .select(Cols.SOURCE, Cols.FILE, Cols.RECORD_ID, Cols.TRAITS, Cols.EVENT_TIME)
            .collectAsList()) {
      accepted.computeIfAbsent(r.getString(0) + "/" + r.getString(1), k -> new HashSet<>()).add(r.getString(2));
      records.put(r.getString(0) + ":" + r.getString(2), r);
    }
    rejected =
        table(spark, OutputTables.REJECTED_RECORDS)
            .select(Cols.SOURCE, Cols.RECORD_REF, Cols.FILE, Cols.FIELD, Cols.REASON)
            .collectAsList();
    for (Row r :
        table(spark, OutputTables.RECORD_PROFILES)
            .join(table(spark, OutputTables.PROFILES), Cols.PROFILE_ID)
            .select(col(Cols.SOURCE), col(Cols.RECORD_ID), col(Cols.FIRST_NAME))
            .collectAsList()) {
      profileFirstNames.put(r.getString(0) + ":" + r.getString(1), r.getString(2));
    }
  }

  private static Dataset<Row> table(SparkSession spark, String name) {
    return spark.read().format("delta").load(output.resolve(name).toString());
  }

  private List<Row> rejectedOf(HostileFile f) {
    return rejected.stream()
        .filter(r -> r.getString(0).equals(f.source()) && f.file().equals(r.getString(2)))
        .toList();
  }

  @Test
  void theNightSucceedsDespiteHostileFiles() {
    // Every hostile file here can be read row by row, so the preferred behaviour holds: bad rows are
    // quarantined and the night goes on (a file that is not text at all: see the test below).
    assertThat(exitCode).as(stderr).isZero();
  }

  @Test
  void everyGoodRowIsAcceptedAndNoOtherIs() {
    assertThat(exitCode).as(stderr).isZero();
    SoftAssertions soft = new SoftAssertions();
    for (HostileFile f : files) {
      soft.assertThat(accepted.getOrDefault(f.source() + "/" + f.file(), Set.of()))
          .as("accepted records of %s", f.file())
          .containsExactlyInAnyOrderElementsOf(f.good());
    }
    soft.assertAll();
  }

  @Test
  void everyBadRowIsRejectedWithItsReason() {
    assertThat(exitCode).as(stderr).isZero();
    SoftAssertions soft = new SoftAssertions();
    for (HostileFile f : files) {
      List<Row> whole = rejectedOf(f).stream().filter(r -> WHOLE_ROW.contains(r.getString(4))).toList();
      Map<String, String> withId = new TreeMap<>();
      Map<String, Integer> withoutId = new TreeMap<>();
      for (Row r : whole) {
        // A row without a usable id is counted by reason; one with an id is named.
        if (r.isNullAt(1) || !f.bad().containsKey(r.getString(1))) {
          withoutId.merge(r.getString(4), 1, Integer::sum);
        } else {
          withId.put(r.getString(1), r.getString(4));
        }
      }
      soft.assertThat(withId).as("rows of %s rejected whole, by id", f.file()).isEqualTo(new TreeMap<>(f.bad()));
      if (f.rowsInFile() >= 0) {
        soft.assertThat(withoutId)
            .as("rows of %s rejected whole without an id", f.file())
            .isEqualTo(new TreeMap<>(f.badWithoutId()));
      } else {
        // Random bytes: no row is accepted (checked above), and at least one is quarantined.
        soft.assertThat(whole).as("quarantined rows of %s", f.file()).isNotEmpty();
      }
      Map<String, Integer> superseded = new TreeMap<>();
      for (Row r : rejectedOf(f)) {
        if (r.getString(4).equals("DUPLICATE_SUPERSEDED")) {
          superseded.merge(r.getString(1), 1, Integer::sum);
        }
      }
      soft.assertThat(superseded).as("superseded duplicates of %s", f.file()).isEqualTo(new TreeMap<>(f.superseded()));
    }
    Set<String> files = this.files.stream().map(f -> f.source() + "/" + f.file()).collect(Collectors.toSet());
    for (Row r : rejected) {
      soft.assertThat(files).as("the file of rejected row %s", r).contains(r.getString(0) + "/" + r.getString(2));
    }
    soft.assertAll();
  }

  @Test
  void everyBadValueIsRejectedWithItsFieldAndReason() {
    assertThat(exitCode).as(stderr).isZero();
    SoftAssertions soft = new SoftAssertions();
    for (HostileFile f : files) {
      List<ValueReject> actual = new ArrayList<>();
      for (Row r : rejectedOf(f)) {
        String reason = r.getString(4);
        if (!WHOLE_ROW.contains(reason) && !reason.equals("DUPLICATE_SUPERSEDED")) {
          actual.add(new ValueReject(r.getString(1), r.getString(3), reason));
        }
      }
      soft.assertThat(actual)
          .as("values rejected in %s", f.file())
          .containsExactlyInAnyOrderElementsOf(f.valueRejects());
    }
    soft.assertAll();
  }

  @Test
  void noRowIsSilentlyDropped() {
    assertThat(exitCode).as(stderr).isZero();
    SoftAssertions soft = new SoftAssertions();
    for (HostileFile f : files) {
      if (f.rowsInFile() < 0) {
        continue;
      }
      long rows =
          accepted.getOrDefault(f.source() + "/" + f.file(), Set.of()).size()
              + rejectedOf(f).stream()
                  .filter(r -> WHOLE_ROW.contains(r.getString(4)) || r.getString(4).equals("DUPLICATE_SUPERSEDED"))
                  .count();
      soft.assertThat(rows).as("accepted + rejected rows of %s", f.file()).isEqualTo(f.rowsInFile());
    }
    soft.assertAll();
  }

  @Test
  void runMetricsCountEveryRowReadAndEveryRowRejectedWhole() {
    assertThat(exitCode).as(stderr).isZero();
    SoftAssertions soft = new SoftAssertions();
    Row metrics = table(SharedSpark.session(), OutputTables.RUN_METRICS).select("sources").first();
    for (Row s : metrics.<Row>getList(0)) {
      String source = s.getString(0);
      long whole = rejected.stream()
          .filter(r -> r.getString(0).equals(source) && WHOLE_ROW.contains(r.getString(4)))
          .count();
      long superseded = rejected.stream()
          .filter(r -> r.getString(0).equals(source) && r.getString(4).equals("DUPLICATE_SUPERSEDED"))
          .count();
      long acceptedRows = records.keySet().stream().filter(k -> k.startsWith(source + ":")).count();
      soft.assertThat(s.getLong(3)).as("rows of %s rejected whole", source).isEqualTo(whole);
      soft.assertThat(s.getLong(1)).as("rows of %s read", source).isEqualTo(acceptedRows + whole + superseded);
    }
    soft.assertAll();
  }

  @Test
  void valuesAreDecodedAsWritten() {
    assertThat(exitCode).as(stderr).isZero();
    SoftAssertions soft = new SoftAssertions();
    for (HostileFile f : files) {
      for (Map.Entry<String, Map<String, String>> e : f.traits().entrySet()) {
        String key = f.source() + ":" + e.getKey();
        Row record = records.get(key);
        soft.assertThat(record).as("accepted record %s", key).isNotNull();
        if (record == null) {
          continue;
        }
        Map<String, String> traits = record.getJavaMap(3);
        soft.assertThat(traits).as("traits of %s", key).containsAllEntriesOf(e.getValue());
        String firstName = e.getValue().get(Cols.FIRST_NAME);
        if (firstName != null) {
          // The name survives into the profile as written (each of these records is a profile alone).
          soft.assertThat(profileFirstNames.get(key)).as("profile first_name of %s", key).isEqualTo(firstName);
        }
      }
    }
    soft.assertAll();
  }

  @Test
  void hugeFieldsAreKeptWholeWhereTheyAreTraits() {
    assertThat(exitCode).as(stderr).isZero();
    Map<String, String> company = records.get("crm:G01").getJavaMap(3);
    assertThat(company.get(Cols.COMPANY)).hasSize(HostileExports.HUGE);
    Map<String, String> web = records.get("web:E10").getJavaMap(3);
    assertThat(web.get(Cols.LAST_NAME)).hasSize(HostileExports.HUGE);
  }

  @Test
  void timesAreParsedOrRejectedByTheReadmeRules() {
    assertThat(exitCode).as(stderr).isZero();
    SoftAssertions soft = new SoftAssertions();
    for (HostileFile f : files) {
      for (Map.Entry<String, String> e : f.times().entrySet()) {
        String key = f.source() + ":" + e.getKey();
        Row record = records.get(key);
        soft.assertThat(record).as("accepted record %s", key).isNotNull();
        if (record == null) {
          continue;
        }
        String actual = record.isNullAt(4) ? "null" : record.getTimestamp(4).toInstant().toString();
        soft.assertThat(actual).as("event_time of %s", key).isEqualTo(e.getValue());
      }
    }
    soft.assertAll();
  }

  /**
   * A CSV export that is not text at all (random bytes) has no header naming the export's columns.
   * Quarantining its "rows" and going on would, for a snapshot source like the CRM, read as every
   * contact deleted tonight; so the night stops before writing anything, with exit 2 and a one-line
   * message naming the source and file, as for any export missing its columns. At 2 a.m. that is the
   * safe choice: yesterday's tables stay, and the message says which file to look at.
   */
  @Test
  void aCsvFileOfRandomBytesStopsTheNightNamingTheFile(@TempDir Path dir, @TempDir Path out) {
    HostileExports.writeRandomCsv(dir);
    Path config =
        Fixtures.write(
            dir,
            "random.yaml",
            "hashing: {key_file: " + Fixtures.repoRoot().resolve("jobs/demo.key").toAbsolutePath() + ", demo_key: true}",
            "sources:",
            "  - {name: crm, type: crm, path: crm_random.csv, default_region: US}",
            "spark: {conf: {spark.sql.shuffle.partitions: \"2\"}}");
    StringWriter err = new StringWriter();
    int code =
        IdgraphCli.execute(
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            "run", "--config", config.toString(), "--input", dir.toString(), "--output", out.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("Cannot read source 'crm'")
        .contains("crm_random.csv")
        .doesNotContain("\tat ");
    assertThat(out.resolve(OutputTables.RECORD_PROFILES)).doesNotExist();
  }

  static String describe(List<Row> rows) {
    return rows.stream().map(Row::toString).collect(Collectors.joining("\n"));
  }
}
