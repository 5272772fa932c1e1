package io.idgraph.cli;

import static io.idgraph.cli.ForgetFixture.*;
import static org.apache.spark.sql.functions.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.schema.Cols;
import io.idgraph.sink.OutputTables;
import io.idgraph.testing.Fixtures;
import io.idgraph.testing.SparkTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an erasure leaves behind: later nights keep the person out (ERASED rejections), and after
 * Delta VACUUM no file under the output holds her hashes, names or record ids.
 */
@SparkTest
class ForgetAfterwardsTest {
  private static final String LISTING_PARALLELISM = "spark.sql.sources.parallelPartitionDiscovery.parallelism";

  @TempDir Path dir;

  /** A copy of the fixture after forget --email ZELDA_EMAIL. */
  private Path erasedZelda() {
    Path out = ForgetFixture.erased(dir);
    assertThat((String) ForgetFixture.erasure()[1]).contains("Erased 1 profile(s) and 4 record(s)");
    return out;
  }

  @Test
  void laterNightsKeepThePersonOut(SparkSession spark) throws IOException {
    Set<String> hashes = zeldaHashes(ForgetFixture.template());
    Path out = erasedZelda();
    Path in = dir.resolve("in");
    copy(ForgetFixture.input(), in);

    // A full rebuild reads every export again: her CRM contact and her three web events.
    night(in, out, "--full-rebuild");
    String run3 = lastRun(out);
    List<Row> erased =
        table(out, OutputTables.REJECTED_RECORDS)
            .where(col(Cols.RUN_ID).equalTo(run3).and(col(Cols.REASON).equalTo("ERASED")))
            .collectAsList();
    assertThat(erased).hasSize(4);
    assertThat(erased).allSatisfy(r -> assertThat((Object) r.getAs(Cols.RECORD_REF)).isNull());
    assertThat(erased.stream().map(r -> (String) r.getAs(Cols.SOURCE)).toList())
        .containsExactlyInAnyOrder("crm", "web", "web", "web");
    assertNoTrace(out, hashes);
    assertThat(table(out, OutputTables.PROFILES).count()).isEqualTo(2);
    assertThat(table(out, OutputTables.RECORD_PROFILES).count()).isEqualTo(5);
    Row metrics = table(out, OutputTables.RUN_METRICS).where(col(Cols.RUN_ID).equalTo(run3)).first();
    assertThat(metrics.<String, Long>getJavaMap(metrics.fieldIndex("rejections_by_reason")))
        .containsEntry("ERASED", 4L);

    // An incremental night: her browser comes back anonymously (its id was suppressed with her),
    // and Ann's browser visits again.
    Fixtures.write(in.resolve("web"), "day3.jsonl",
        event("ZQ-WEB-0004", "page", "zq-anon-8812", null, "2026-11-22T10:00:00Z", "198.51.100.77"),
        event("ANN-WEB-0004", "page", "ann-anon-1", null, "2026-11-22T11:00:00Z", "203.0.113.7"));
    night(in, out);
    String run4 = lastRun(out);
    assertThat(
            table(out, OutputTables.REJECTED_RECORDS)
                .where(col(Cols.RUN_ID).equalTo(run4).and(col(Cols.REASON).equalTo("ERASED")))
                .count())
        .isEqualTo(1);
    assertNoTrace(out, hashes);
    assertThat(table(out, OutputTables.RECORD_PROFILES).where(col(Cols.RECORD_ID).equalTo("ANN-WEB-0004")).count())
        .isEqualTo(1);
  }

  private static String lastRun(Path out) {
    return table(out, OutputTables.RUN_METRICS)
        .orderBy(col("started_at").desc())
        .select(Cols.RUN_ID)
        .as(Encoders.STRING())
        .first();
  }

  /** No current-state row holds her record ids or identifier hashes. */
  private static void assertNoTrace(Path out, Set<String> hashes) {
    Set<String> tokens = new LinkedHashSet<>(hashes);
    tokens.addAll(ZELDA_RECORDS);
    for (String t :
        List.of(OutputTables.PROFILES, OutputTables.IDENTITY_LINKS, OutputTables.RECORD_PROFILES,
            OutputTables.PROFILE_EVENTS, OutputTables.IDENTITY_EDGES, OutputTables.SOURCE_RECORDS,
            OutputTables.REJECTED_RECORDS, OutputTables.RECORD_CHANGES, OutputTables.LINK_DECISIONS)) {
      assertThat(table(out, t).where(mentions(tokens)).count()).as(t).isZero();
    }
  }

  @Test
  void afterVacuumNoFileUnderTheOutputHoldsThePerson(SparkSession spark) throws IOException {
    Set<String> hashes = zeldaHashes(ForgetFixture.template());
    String annHash =
        table(ForgetFixture.template(), OutputTables.SOURCE_RECORDS)
            .where(col(Cols.RECORD_ID).equalTo("ANN-CRM-1001"))
            .select(explode(col(Cols.IDENTIFIERS)).as("i"))
            .where(col("i.id_type").equalTo("email"))
            .select("i.id_hash")
            .as(Encoders.STRING())
            .first();
    Path out = erasedZelda();

    spark.conf().set("spark.databricks.delta.retentionDurationCheck.enabled", "false");
    // VACUUM lists a table's files with this many tasks (default 10,000): minutes per table in
    // local mode, as README "Right to erasure" says.
    spark.conf().set(LISTING_PARALLELISM, "2");
    try (Stream<Path> tables = Files.list(out)) {
      for (Path t : tables.filter(p -> Files.isDirectory(p.resolve("_delta_log"))).toList()) {
        spark.sql("VACUUM delta.`" + t + "` RETAIN 0 HOURS");
      }
    } finally {
      spark.conf().unset("spark.databricks.delta.retentionDurationCheck.enabled");
      spark.conf().unset(LISTING_PARALLELISM);
    }

    Set<String> values = new LinkedHashSet<>(ZELDA_WORDS);
    values.addAll(ZELDA_RECORDS);
    values.addAll(List.of("quixmail", "zq-anon-8812"));
    List<String> found = new ArrayList<>();
    boolean annInBytes = false;
    boolean annInRows = false;
    int parquetFiles = 0;
    java.util.Map<Path, List<String>> parquetByFolder = new java.util.TreeMap<>();
    List<Path> files;
    try (Stream<Path> all = Files.walk(out)) {
      files = all.filter(Files::isRegularFile).toList();
    }
    // The suppression list (erasure_requests) included: it holds hashes of her hashes.
    Set<String> wanted = new LinkedHashSet<>(values);
    wanted.addAll(hashes);
    for (Path f : files) {
      String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
      for (String v : wanted) {
        if (bytes.contains(v)) {
          found.add(out.relativize(f) + " (bytes): " + v);
        }
      }
      annInBytes |= bytes.contains(annHash);
      if (f.getFileName().toString().endsWith(".parquet")) {
        parquetFiles++;
        parquetByFolder.computeIfAbsent(f.getParent(), k -> new ArrayList<>()).add(f.toString());
      }
    }
    // Through the Parquet reader too, a folder at a time: compressed pages need not hold a value's
    // bytes as they are.
    for (var folder : parquetByFolder.entrySet()) {
      for (String row :
          spark.read()
              .option("mergeSchema", "true")
              .parquet(folder.getValue().toArray(String[]::new))
              .select(to_json(struct(col("*"))))
              .as(Encoders.STRING())
              .collectAsList()) {
        for (String v : wanted) {
          if (row.contains(v)) {
            found.add(out.relativize(folder.getKey()) + " (rows): " + v);
          }
        }
        annInRows |= row.contains(annHash);
      }
    }
    assertThat(parquetFiles).isGreaterThan(10);
    assertThat(parquetByFolder.keySet()).anyMatch(f -> f.endsWith(OutputTables.ERASURE_REQUESTS));
    assertThat(found).isEmpty();
    // The scan can fail: another person's hash is there, in the bytes and in the rows.
    assertThat(annInBytes).isTrue();
    assertThat(annInRows).isTrue();
  }
}
