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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Five nights through the CLI on tiny exports: a CRM snapshot file and a folder of web event files.
 * Night 2 brings one new web file, night 3 nothing, night 4 a CRM export with a contact deleted and
 * another's email changed, night 5 a full rebuild.
 */
@SparkTest
class IncrementalNightsTest {
  private static final String CRM_HEADER =
      "contact_id,email,phone,first_name,last_name,company,city,country,user_id,created_at,updated_at";

  @TempDir Path dir;
  private Path in;
  private Path out;
  private Path config;

  private String night(String... extra) {
    String[] args = new String[7 + extra.length];
    String[] base = {"run", "--config", config.toString(), "--input", in.toString(), "--output",
        out.toString()};
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    int code = IdgraphCli.execute(new PrintWriter(stdout, true), new PrintWriter(stderr, true), args);
    assertThat(code).as("exit code; stderr: %s", stderr).isZero();
    return stdout.toString();
  }

  private Dataset<Row> table(SparkSession spark, String name) {
    return spark.read().format("delta").load(out.resolve(name).toString());
  }

  private List<Row> manifestOf(SparkSession spark, long sequence) {
    return table(spark, OutputTables.RUN_MANIFEST)
        .where(col("sequence").equalTo(sequence))
        .orderBy("source", "file")
        .select("source", "action", "file", "records")
        .collectAsList();
  }

  private String profileOf(SparkSession spark, String source, String recordId) {
    return table(spark, OutputTables.RECORD_PROFILES)
        .where(col(Cols.SOURCE).equalTo(source).and(col(Cols.RECORD_ID).equalTo(recordId)))
        .select(Cols.PROFILE_ID)
        .as(Encoders.STRING())
        .first();
  }

  private String emailHashOf(SparkSession spark, String recordId) {
    return table(spark, OutputTables.RECORD_PROFILES)
        .where(col(Cols.RECORD_ID).equalTo(recordId))
        .select(explode(col(Cols.IDENTIFIERS)).as("i"))
        .where(col("i.id_type").equalTo("email"))
        .select(col("i.id_hash"))
        .as(Encoders.STRING())
        .first();
  }

  /** Delta commits per table: a night that wrote nothing leaves every count as it was. */
  private Map<String, Long> commits() throws IOException {
    Map<String, Long> out = new TreeMap<>();
    for (String name : OutputTables.ALL) {
      Path log = this.out.resolve(name).resolve("_delta_log");
      if (Files.isDirectory(log)) {
        try (var files = Files.list(log)) {
          out.put(name, files.filter(p -> p.toString().endsWith(".json")).count());
        }
      }
    }
    return out;
  }

  private static String event(String id, String type, String anonymousId, String userId, String time) {
    return "{\"messageId\":\"" + id + "\",\"type\":\"" + type + "\",\"anonymousId\":\"" + anonymousId
        + "\"" + (userId == null ? "" : ",\"userId\":\"" + userId + "\"") + ",\"timestamp\":\"" + time
        + "\",\"context\":{\"ip\":\"203.0.113.7\"}}";
  }

  @Test
  void nightsReadOnlyWhatIsNewSkipWhenNothingIsAndFollowSnapshotDeletesAndChanges(SparkSession spark)
      throws IOException {
    in = Files.createDirectories(dir.resolve("in"));
    out = dir.resolve("out");
    Path web = Files.createDirectories(in.resolve("web"));
    config =
        Fixtures.crmAndWebFolderJob(dir);
    Fixtures.write(in, "crm.csv", CRM_HEADER,
        "C1,ann@shop.com,,Ann,Lee,,,US,u-1,2026-01-01,2026-11-01",
        "C2,bob@mail.com,,Bob,Ray,,,US,,2026-01-01,2026-11-01",
        "C3,cy@mail.com,,Cy,Ott,,,US,,2026-01-01,2026-11-01");
    Fixtures.write(web, "day1.jsonl",
        event("m1", "identify", "a-1", "u-1", "2026-11-22T10:00:00Z"),
        event("m2", "page", "a-1", null, "2026-11-22T10:01:00Z"));

    // Night 1 reads everything.
    night();
    assertThat(manifestOf(spark, 1)).extracting(r -> r.getString(0) + " " + r.getString(1) + " " + r.getLong(3))
        .containsExactly("crm read_all 3", "web read_all 2");
    String oldEmail = emailHashOf(spark, "C1");

    // Night 2: one new web file; the CRM snapshot is unchanged and not read.
    Fixtures.write(web, "day2.jsonl", event("m3", "page", "a-1", null, "2026-11-23T09:00:00Z"));
    night();
    List<Row> night2 = manifestOf(spark, 2);
    assertThat(night2).extracting(r -> r.getString(0) + " " + r.getString(1))
        .containsExactly("crm unchanged", "web read_new");
    assertThat(night2.get(1).getString(2)).endsWith("web/day2.jsonl");
    assertThat(night2.get(1).getLong(3)).isEqualTo(1);
    assertThat(table(spark, OutputTables.RECORD_PROFILES).count()).isEqualTo(6);
    assertThat(table(spark, OutputTables.SOURCE_RECORDS).count()).isEqualTo(6);
    assertThat(profileOf(spark, "web", "m3")).isEqualTo(profileOf(spark, "crm", "C1"));
    // The publish gate compares the state's totals, so a one-record night does not trip it.
    Row metrics = table(spark, OutputTables.RUN_METRICS).orderBy(col("started_at").desc()).first();
    assertThat(metrics.<Row>getList(metrics.fieldIndex("sources")))
        .extracting(s -> s.getString(0) + "=" + s.getLong(2))
        .containsExactlyInAnyOrder("crm=3", "web=3");
    String night2Run = metrics.getAs(Cols.RUN_ID);

    // Night 3: the same input again writes nothing at all.
    Map<String, Long> before = commits();
    String summary = night();
    assertThat(summary).contains("nothing new since run " + night2Run);
    assertThat(commits()).isEqualTo(before);

    // Night 4: C2 deleted from the CRM export, C1's email changed.
    String ann = profileOf(spark, "crm", "C1");
    String bob = profileOf(spark, "crm", "C2");
    Fixtures.write(in, "crm.csv", CRM_HEADER,
        "C1,ann.lee@newjob.com,,Ann,Lee,,,US,u-1,2026-01-01,2026-11-23",
        "C3,cy@mail.com,,Cy,Ott,,,US,,2026-01-01,2026-11-01");
    night();
    assertThat(manifestOf(spark, 3)).extracting(r -> r.getString(0) + " " + r.getString(1))
        .containsExactly("crm read_all", "web unchanged");
    assertThat(table(spark, OutputTables.RECORD_PROFILES).where(col(Cols.RECORD_ID).equalTo("C2")).count())
        .isZero();
    assertThat(emailHashOf(spark, "C1")).isNotEqualTo(oldEmail);
    assertThat(table(spark, OutputTables.IDENTITY_LINKS).where(col(Cols.ID_HASH).equalTo(oldEmail)).count())
        .isZero();
    assertThat(profileOf(spark, "web", "m3")).isEqualTo(profileOf(spark, "crm", "C1"));
    Dataset<Row> changes = table(spark, OutputTables.RECORD_CHANGES);
    assertThat(changes.where(col(Cols.RECORD_ID).equalTo("C2")).select("change").as(Encoders.STRING())
            .collectAsList())
        .containsExactly("deleted");
    Row changed = changes.where(col(Cols.RECORD_ID).equalTo("C1")).first();
    assertThat((String) changed.getAs("change")).isEqualTo("identifiers_changed");
    assertThat(changed.<Row>getList(changed.fieldIndex("retired_identifiers")))
        .extracting(r -> r.getString(0) + ":" + r.getString(1))
        .containsExactly("email:" + oldEmail);
    assertThat(changes.count()).isEqualTo(2);
    // Ann keeps her profile id through the new email; Bob's profile, left without records, is deleted.
    assertThat(profileOf(spark, "crm", "C1")).isEqualTo(ann);
    assertThat(
            table(spark, OutputTables.PROFILE_ID_CHANGES)
                .where(col(Cols.OLD_PROFILE_ID).equalTo(bob))
                .select(Cols.CHANGE_TYPE)
                .as(Encoders.STRING())
                .collectAsList())
        .containsExactly("deleted");
    List<Row> beforeRebuild =
        table(spark, OutputTables.RECORD_PROFILES).select(Cols.SOURCE, Cols.RECORD_ID, Cols.PROFILE_ID).collectAsList();

    // Night 5: --full-rebuild reads every file again.
    night("--full-rebuild");
    assertThat(manifestOf(spark, 4)).extracting(r -> r.getString(0) + " " + r.getString(1) + " " + r.getLong(3))
        .containsExactly("crm read_all 2", "web read_all 2", "web read_all 1");
    assertThat(table(spark, OutputTables.RECORD_PROFILES).count()).isEqualTo(5);
    // ... and keeps every profile id.
    assertThat(
            table(spark, OutputTables.RECORD_PROFILES).select(Cols.SOURCE, Cols.RECORD_ID, Cols.PROFILE_ID).collectAsList())
        .containsExactlyInAnyOrderElementsOf(beforeRebuild);
  }
}
