package io.idgraph.job;

import static org.apache.spark.sql.functions.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.cli.IdgraphCli;
import io.idgraph.schema.Cols;
import io.idgraph.sink.OutputTables;
import io.idgraph.testing.Fixtures;
import io.idgraph.testing.SparkTest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scoped incremental night gives the tables a full rebuild of the same night gives. Night 1: four
 * CRM contacts and web visits of two of them. Night 2: one new web file with a visit of Ann, run twice
 * from a copy of night 1's output: incrementally (only Ann's profile is recomputed) and with
 * --full-rebuild. Night 3 re-sends the CRM export unchanged: nothing is recomputed.
 */
@SparkTest
class ScopedNightsTest {
  private static final String CRM_HEADER =
      "contact_id,email,phone,first_name,last_name,company,city,country,user_id,created_at,updated_at";

  @TempDir Path dir;

  private static String night(Path config, Path in, Path out, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of("run", "--config", config.toString(), "--input", in.toString(), "--output", out.toString()));
    args.addAll(List.of(extra));
    StringWriter stderr = new StringWriter();
    StringWriter stdout = new StringWriter();
    int code =
        IdgraphCli.execute(new PrintWriter(stdout, true), new PrintWriter(stderr, true), args.toArray(String[]::new));
    assertThat(code).as("exit code; stderr: %s", stderr).isZero();
    return stdout.toString();
  }

  private static String event(String id, String type, String anonymousId, String userId, String time) {
    return "{\"messageId\":\"" + id + "\",\"type\":\"" + type + "\",\"anonymousId\":\"" + anonymousId
        + "\"" + (userId == null ? "" : ",\"userId\":\"" + userId + "\"") + ",\"timestamp\":\"" + time
        + "\",\"context\":{\"ip\":\"203.0.113.7\"}}";
  }

  private static Dataset<Row> table(SparkSession spark, Path out, String name) {
    return spark.read().format("delta").load(out.resolve(name).toString());
  }

  /** The table without run_id, maps as sorted JSON (set operations cannot compare maps). */
  private static Dataset<Row> comparable(SparkSession spark, Path out, String name) {
    Dataset<Row> t = table(spark, out, name).drop(Cols.RUN_ID);
    List<Column> columns = new ArrayList<>();
    for (StructField f : t.schema().fields()) {
      columns.add(
          f.dataType() instanceof MapType
              ? to_json(array_sort(map_entries(col(f.name())))).as(f.name())
              : col(f.name()));
    }
    return t.select(columns.toArray(Column[]::new));
  }

  /** Each named table holds the same rows (run ids aside) under both outputs. */
  private static void assertSameTables(SparkSession spark, Path scoped, Path rebuilt, String... names) {
    for (String name : names) {
      Dataset<Row> a = comparable(spark, scoped, name);
      Dataset<Row> b = comparable(spark, rebuilt, name);
      assertThat(a.count()).as(name).isEqualTo(b.count());
      assertThat(a.exceptAll(b).collectAsList()).as(name + " scoped but not rebuilt").isEmpty();
      assertThat(b.exceptAll(a).collectAsList()).as(name + " rebuilt but not scoped").isEmpty();
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  @Test
  void scopedNightEqualsAFullRebuildOfTheSameNight(SparkSession spark) throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path web = Files.createDirectories(in.resolve("web"));
    Path scoped = dir.resolve("scoped");
    Path rebuilt = dir.resolve("rebuilt");
    Path config =
        Fixtures.crmAndWebFolderJob(dir);
    Fixtures.write(in, "crm.csv", CRM_HEADER,
        "C1,ann@shop.com,,Ann,Lee,,,US,u-1,2026-01-01,2026-11-01",
        "C2,bob@mail.com,,Bob,Ray,,,US,u-2,2026-01-01,2026-11-01",
        "C3,cy@mail.com,,Cy,Ott,,,US,,2026-01-01,2026-11-01",
        "C4,dee@mail.com,,Dee,Fox,,,US,,2026-01-01,2026-11-01");
    Fixtures.write(web, "day1.jsonl",
        event("m1", "identify", "a-1", "u-1", "2026-11-22T10:00:00Z"),
        event("m2", "page", "a-1", null, "2026-11-22T10:01:00Z"),
        event("m3", "identify", "b-1", "u-2", "2026-11-22T11:00:00Z"),
        event("m4", "page", "z-9", null, "2026-11-22T12:00:00Z"));
    night(config, in, scoped);
    String night1 = table(spark, scoped, OutputTables.RUN_METRICS).select(Cols.RUN_ID).as(Encoders.STRING()).first();
    copy(scoped, rebuilt);

    // Night 2: a new visit of Ann's browser, and a new anonymous visitor.
    Fixtures.write(web, "day2.jsonl",
        event("m5", "page", "a-1", null, "2026-11-23T09:00:00Z"),
        event("m6", "page", "n-1", null, "2026-11-23T09:30:00Z"));
    night(config, in, scoped);
    night(config, in, rebuilt, "--full-rebuild");

    assertSameTables(spark, scoped, rebuilt, OutputTables.RECORD_PROFILES, OutputTables.PROFILES,
        OutputTables.IDENTITY_LINKS, OutputTables.IDENTITY_EDGES, OutputTables.SOURCE_RECORDS,
        OutputTables.PROFILE_EVENTS);
    Dataset<Row> profiles = table(spark, scoped, OutputTables.PROFILES);
    assertThat(profiles.count()).isEqualTo(6);
    // Only Ann's profile and the new visitor's were recomputed: the others keep night 1's rows.
    Dataset<Row> records = table(spark, scoped, OutputTables.RECORD_PROFILES);
    String ann =
        records.where(col(Cols.RECORD_ID).equalTo("C1")).select(Cols.PROFILE_ID).as(Encoders.STRING()).first();
    assertThat(records.where(col(Cols.RECORD_ID).equalTo("m5")).select(Cols.PROFILE_ID).as(Encoders.STRING()).first())
        .isEqualTo(ann);
    assertThat(
            records.where(col(Cols.RUN_ID).equalTo(night1)).select(Cols.RECORD_ID).as(Encoders.STRING())
                .collectAsList())
        .containsExactlyInAnyOrder("C2", "m3", "C3", "C4", "m4");
    Row metrics = table(spark, scoped, OutputTables.RUN_METRICS).orderBy(col("started_at").desc()).first();
    assertThat((Long) metrics.getAs("profiles")).isEqualTo(6L);

    // Night 3: the CRM export is written again with the same rows. It is read (its file changed), but
    // no record changed: the scope is empty and every table keeps its rows.
    Dataset<Row> beforeNight3 = comparable(spark, scoped, OutputTables.RECORD_PROFILES).cache();
    beforeNight3.count();
    Path crm = in.resolve("crm.csv");
    Files.writeString(crm, Files.readString(crm));
    Files.setLastModifiedTime(crm, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    night(config, in, scoped);
    assertThat(table(spark, scoped, OutputTables.RUN_METRICS).count()).as("night 3 ran").isEqualTo(3);
    Dataset<Row> afterNight3 = comparable(spark, scoped, OutputTables.RECORD_PROFILES);
    assertThat(afterNight3.exceptAll(beforeNight3).count()).isZero();
    assertThat(beforeNight3.exceptAll(afterNight3).count()).isZero();
    assertThat(table(spark, scoped, OutputTables.PROFILES).count()).isEqualTo(6);
    assertThat(table(spark, scoped, OutputTables.PROFILE_ID_CHANGES).count()).isZero();
    beforeNight3.unpersist();
  }

  /**
   * A scoped night re-checks for hubs only the identifiers its new records carry; every other identifier
   * keeps last night's verdict. Night 1: browser a-old is shared by four user ids (a hub with
   * hub_threshold 2), browser a-new by two (not yet). Night 2 brings a third user id on a-new: it
   * becomes a hub, and the scoped night isolates it (and still a-old) exactly as a full rebuild does.
   */
  @Test
  void aHubBornOnAScopedNightIsIsolatedAsInAFullRebuild(SparkSession spark) throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path web = Files.createDirectories(in.resolve("web"));
    Path scoped = dir.resolve("scoped");
    Path rebuilt = dir.resolve("rebuilt");
    Path config = Fixtures.crmAndWebFolderJob(dir, "rules: {hub_threshold: 2}");
    Fixtures.write(in, "crm.csv", CRM_HEADER, "C1,ann@shop.com,,Ann,Lee,,,US,u-1,2026-01-01,2026-11-01");
    Fixtures.write(web, "day1.jsonl",
        event("m1", "identify", "a-old", "u-4", "2026-11-22T10:00:00Z"),
        event("m2", "identify", "a-old", "u-5", "2026-11-22T10:01:00Z"),
        event("m3", "identify", "a-old", "u-6", "2026-11-22T10:02:00Z"),
        event("m7", "identify", "a-old", "u-7", "2026-11-22T10:03:00Z"),
        event("m4", "identify", "a-new", "u-1", "2026-11-22T11:00:00Z"),
        event("m5", "identify", "a-new", "u-2", "2026-11-22T11:01:00Z"));
    night(config, in, scoped);
    String night1 = table(spark, scoped, OutputTables.RUN_METRICS).select(Cols.RUN_ID).as(Encoders.STRING()).first();
    copy(scoped, rebuilt);
    String tonightsHubs = "rule = 'hub_isolation' AND run_id = (SELECT max(run_id) FROM decisions)";
    Fixtures.write(web, "day2.jsonl", event("m6", "identify", "a-new", "u-3", "2026-11-23T09:00:00Z"));
    night(config, in, scoped);
    night(config, in, rebuilt, "--full-rebuild");

    assertSameTables(spark, scoped, rebuilt, OutputTables.RECORD_PROFILES, OutputTables.PROFILES,
        OutputTables.IDENTITY_LINKS, OutputTables.IDENTITY_EDGES);
    for (Path out : List.of(scoped, rebuilt)) {
      table(spark, out, OutputTables.LINK_DECISIONS).createOrReplaceTempView("decisions");
      List<Row> hubs =
          spark.sql("SELECT id_type, records, degree FROM decisions WHERE " + tonightsHubs + " ORDER BY records")
              .collectAsList();
      assertThat(hubs).as("%s: tonight's hubs", out.getFileName()).hasSize(2);
      assertThat(hubs.get(0).getLong(1)).as("a-new: three records").isEqualTo(3L);
      assertThat(hubs.get(0).getLong(2)).as("a-new: three user ids").isEqualTo(3L);
      assertThat(hubs.get(1).getLong(1)).as("a-old, untouched tonight: four records").isEqualTo(4L);
    }
    // a-new links nothing any more: Ann's contact and her event stay linked by u-1 alone; u-2, u-3 and
    // the four users of a-old are profiles of their own.
    Dataset<Row> records = table(spark, scoped, OutputTables.RECORD_PROFILES);
    assertThat(records.select(Cols.PROFILE_ID).distinct().count()).isEqualTo(7);
    // The night was scoped: a-old's records were not recomputed, yet its hub verdict is tonight's too.
    assertThat(
            records.where(col(Cols.RUN_ID).equalTo(night1)).select(Cols.RECORD_ID).as(Encoders.STRING())
                .collectAsList())
        .contains("m1", "m2", "m3", "m7");
  }

  /**
   * A re-read CRM snapshot normalizes only its new and changed rows: the others keep their stored
   * records, so a contact's invalid phone, logged on night 1, is not logged again on night 2. The
   * night still gives the tables a full rebuild gives.
   */
  @Test
  void unchangedSnapshotRowsAreNotNormalizedAgain(SparkSession spark) throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path web = Files.createDirectories(in.resolve("web"));
    Path scoped = dir.resolve("scoped");
    Path rebuilt = dir.resolve("rebuilt");
    Path config = Fixtures.crmAndWebFolderJob(dir);
    String ann = "C1,ann@shop.com,,Ann,Lee,,,US,u-1,2026-01-01,2026-11-01";
    String bob = "C2,bob@mail.com,not-a-phone,Bob,Ray,,,US,u-2,2026-01-01,2026-11-01";
    String cy = "C3,cy@mail.com,,Cy,Ott,,,US,,2026-01-01,2026-11-01";
    String eve = "C5,eve@mail.com,,Eve,Orr,,,US,,2026-01-01,2026-11-01";
    Fixtures.write(in, "crm.csv", CRM_HEADER, ann, bob, cy, eve);
    Fixtures.write(web, "day1.jsonl", event("m1", "identify", "a-1", "u-1", "2026-11-22T10:00:00Z"));
    night(config, in, scoped);
    assertThat(rejectedRefs(spark, scoped)).containsExactly("C2");
    copy(scoped, rebuilt);

    // Night 2: Cy's email changed, Dee is new, Eve was deleted, Ann and Bob are sent again unchanged.
    Fixtures.write(in, "crm.csv", CRM_HEADER, ann, bob,
        "C3,cy@newmail.com,,Cy,Ott,,,US,,2026-01-01,2026-11-20", "C4,dee@mail.com,,Dee,Fox,,,US,,2026-01-01,2026-11-20");
    Files.setLastModifiedTime(
        in.resolve("crm.csv"), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    night(config, in, scoped);
    night(config, in, rebuilt, "--full-rebuild");

    // Bob's row was not normalized again: his phone is not rejected twice (the rebuild logs it again).
    assertThat(rejectedRefs(spark, scoped)).containsExactly("C2");
    assertThat(rejectedRefs(spark, rebuilt)).containsExactly("C2", "C2");
    assertSameTables(spark, scoped, rebuilt, OutputTables.SOURCE_RECORDS, OutputTables.RECORD_PROFILES,
        OutputTables.PROFILES, OutputTables.IDENTITY_LINKS);
    Dataset<Row> changes = table(spark, scoped, OutputTables.RECORD_CHANGES);
    assertThat(changes.select(Cols.RECORD_ID, RecordState.CHANGE).collectAsList())
        .extracting(Row::toString)
        .containsExactlyInAnyOrder(
            "[C3," + RecordState.IDENTIFIERS_CHANGED + "]",
            "[C4," + RecordState.ADDED_RECORD + "]",
            "[C5," + RecordState.DELETED + "]");
    // The unchanged rows count among the export's accepted records in the manifest.
    table(spark, scoped, OutputTables.RUN_MANIFEST).createOrReplaceTempView("manifest");
    assertThat(
            spark.sql("SELECT records FROM manifest WHERE source = 'crm' ORDER BY sequence DESC LIMIT 1")
                .as(Encoders.LONG())
                .first())
        .isEqualTo(4L);
  }

  private static List<String> rejectedRefs(SparkSession spark, Path out) {
    List<String> refs =
        table(spark, out, OutputTables.REJECTED_RECORDS)
            .where(col(Cols.SOURCE).equalTo("crm"))
            .select(Cols.RECORD_REF)
            .as(Encoders.STRING())
            .collectAsList();
    return refs.stream().sorted().toList();
  }
}
