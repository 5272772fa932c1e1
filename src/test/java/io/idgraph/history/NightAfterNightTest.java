package io.idgraph.history;

import static org.apache.spark.sql.functions.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.cli.IdgraphCli;
import io.idgraph.schema.Cols;
import io.idgraph.sink.OutputTables;
import io.idgraph.testing.Fixtures;
import io.idgraph.testing.Nights;
import io.idgraph.testing.SparkTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nights on one output folder, through the CLI as a scheduler runs it:
 *
 * <ol>
 *   <li>Night 1: Ann (CRM + her logged-in browser), Bob, Carol (CRM only), Dan and Eve (two CRM
 *       contacts sharing a gateway phone, so one profile), and an anonymous visitor V browsing before
 *       Carol's contact was created.
 *   <li>Night 2: V signs up as Carol. Carol's id survives (a known profile beats an earlier anonymous
 *       one) and V is logged as merged.
 *   <li>Night 3, after admin operations: merge Ann and Bob; unmerge night 2's merge; block the gateway
 *       phone.
 * </ol>
 */
@SparkTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NightAfterNightTest {
  @TempDir static Path in;
  @TempDir static Path out;
  private Nights nights;
  private Path config;

  private static final String CRM_HEADER =
      "contact_id,email,phone,first_name,last_name,company,city,country,user_id,created_at,updated_at";

  @BeforeAll
  void threeNights() throws Exception {
    config =
        Fixtures.write(
            in,
            "job.yaml",
            "hashing: {key_file: demo.key, demo_key: true}",
            "sources:",
            "  - {name: crm, type: crm, path: crm.csv, default_region: US}",
            "  - {name: web, type: web, path: web.jsonl, default_region: US}",
            "scoring: {enabled: false}",
            "history: {max_merge_ratio: 0}",
            "report: {enabled: false}",
            "spark: {conf: {spark.sql.shuffle.partitions: \"2\"}}");
    Files.copy(Fixtures.repoRoot().resolve("jobs/demo.key"), in.resolve("demo.key"));
    nights = new Nights(config, in, out);
    List<String> crm =
        new ArrayList<>(
            List.of(
                CRM_HEADER,
                "C1,ann@example.com,,Ann,Lee,,,US,u1,2026-01-01T00:00:00Z,",
                "C2,bob@example.com,,Bob,Ray,,,US,u2,2026-01-02T00:00:00Z,",
                "C3,carol@example.com,,Carol,Diaz,,,US,u3,2026-03-01T00:00:00Z,",
                "C4,dan@example.com,+1 201 555 0100,Dan,Fox,,,US,,2026-01-04T00:00:00Z,",
                "C5,eve@example.com,+1 201 555 0100,Eve,Fox,,,US,,2026-01-05T00:00:00Z,"));
    List<String> web =
        new ArrayList<>(
            List.of(
                event("w1", "track", "a-ann", "u1", "2026-02-01T10:00:00Z", ""),
                event("w2", "page", "a-v", null, "2026-02-10T10:00:00Z", ""),
                event("w3", "page", "a-v", null, "2026-02-11T10:00:00Z", "")));
    Files.write(in.resolve("crm.csv"), crm);
    Files.write(in.resolve("web.jsonl"), web);
    nights.run();

    web.add(event("w4", "identify", "a-v", "u3", "2026-03-02T10:00:00Z", "carol@example.com"));
    Files.write(in.resolve("web.jsonl"), web);
    nights.run();

    Map<String, String> n2 = nights.profiles(1);
    String merge2 =
        nights.table(OutputTables.MERGE_HISTORY)
            .where(col(Cols.RUN_ID).equalTo(nights.runId(1)).and(col(Cols.EVENT).equalTo("merge")))
            .select(Cols.MERGE_ID)
            .first()
            .getString(0);
    String ann = n2.get("crm:C1");
    String bob = n2.get("crm:C2");
    admin("merge", "--profile-id", ann, "--profile-id", bob, "--actor", "alice", "--reason", "one person, two accounts");
    admin("unmerge", "--merge-id", merge2, "--actor", "alice", "--reason", "V is Carol's flatmate");
    admin("block", "--phone", "+1 201 555 0100", "--actor", "bob", "--reason", "gateway phone");
    nights.run();
  }

  private static String event(String id, String type, String anon, String user, String ts, String email) {
    return "{\"messageId\":\"" + id + "\",\"type\":\"" + type + "\",\"anonymousId\":\"" + anon + "\""
        + (user == null ? "" : ",\"userId\":\"" + user + "\"")
        + ",\"timestamp\":\"" + ts + "\""
        + (email.isEmpty() ? "" : ",\"traits\":{\"email\":\"" + email + "\"}")
        + "}";
  }

  /** An admin operation through the CLI, as an operator types it. */
  private void admin(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--output", out.toString(), "--config", config.toString()));
    StringWriter err = new StringWriter();
    StringWriter stdout = new StringWriter();
    int code =
        IdgraphCli.execute(new PrintWriter(stdout, true), new PrintWriter(err, true), all.toArray(String[]::new));
    assertThat(code).as("%s: %s", args[0], err).isZero();
    assertThat(stdout.toString()).contains("next");
  }

  @Test
  void aPersonWhoseRecordsDidNotChangeKeepsTheId() {
    assertThat(nights.profiles(1).get("crm:C1")).isEqualTo(nights.profiles(0).get("crm:C1"));
    assertThat(nights.profiles(1).get("web:w1")).isEqualTo(nights.profiles(0).get("crm:C1"));
    assertThat(nights.profiles(1).get("crm:C2")).isEqualTo(nights.profiles(0).get("crm:C2"));
    assertThat(nights.profiles(1).get("crm:C5")).isEqualTo(nights.profiles(0).get("crm:C4"));
    assertThat(nights.table(OutputTables.PROFILE_ID_CHANGES).where(col(Cols.RUN_ID).equalTo(nights.runId(0))).count())
        .isZero();
  }

  @Test
  void aVisitorWhoSignsUpKeepsHistoryUnderTheKnownProfilesId() {
    String carol = nights.profiles(0).get("crm:C3");
    String visitor = nights.profiles(0).get("web:w2");
    assertThat(visitor).isNotEqualTo(carol);
    assertThat(nights.profiles(1).get("web:w2")).isEqualTo(carol);
    assertThat(nights.profiles(1).get("web:w3")).isEqualTo(carol);
    assertThat(nights.profiles(1).get("web:w4")).isEqualTo(carol);

    List<Row> changes =
        nights.table(OutputTables.PROFILE_ID_CHANGES)
            .where(col(Cols.RUN_ID).equalTo(nights.runId(1)))
            .select(Cols.OLD_PROFILE_ID, Cols.NEW_PROFILE_ID, Cols.CHANGE_TYPE)
            .collectAsList();
    assertThat(changes).containsExactly(RowFactory.create(visitor, carol, "merged"));
    Map<String, Long> counted =
        nights.table(OutputTables.RUN_METRICS)
            .where(col(Cols.RUN_ID).equalTo(nights.runId(1)))
            .select("id_changes")
            .first()
            .getJavaMap(0);
    assertThat(counted)
        .containsEntry("previous_profiles", 5L)
        .containsEntry("kept", 4L)
        .containsEntry("merged", 1L)
        .containsEntry("split", 0L);
    Row merge =
        nights.table(OutputTables.MERGE_HISTORY)
            .where(col(Cols.RUN_ID).equalTo(nights.runId(1)))
            .select(Cols.SURVIVING_PROFILE_ID, Cols.MERGED_PROFILE_IDS, Cols.METHOD, Cols.SIGNALS, Cols.ACTOR, Cols.EVENT)
            .first();
    assertThat(merge.getString(0)).isEqualTo(carol);
    assertThat(merge.<String>getList(1)).containsExactlyInAnyOrder(carol, visitor);
    assertThat(merge.getString(2)).isEqualTo("deterministic");
    assertThat(merge.<String>getList(3)).contains("anonymous_id", "user_id");
    assertThat(merge.getString(4)).isEqualTo("system");
    // The merge keeps the pre-merge membership an unmerge restores.
    assertThat(
            nights.table(OutputTables.MERGE_SNAPSHOTS)
                .where(col(Cols.RUN_ID).equalTo(nights.runId(1)))
                .where(col(Cols.PROFILE_ID).equalTo(visitor))
                .count())
        .isEqualTo(2);
  }

  @Test
  void aManualMergeJoinsTwoProfilesAndRecordsTheAdmin() {
    String ann = nights.profiles(1).get("crm:C1");
    String bob = nights.profiles(1).get("crm:C2");
    assertThat(nights.profiles(2).get("crm:C1")).isEqualTo(ann);
    assertThat(nights.profiles(2).get("crm:C2")).isEqualTo(ann);
    Row merge =
        nights.table(OutputTables.MERGE_HISTORY)
            .where(col(Cols.RUN_ID).equalTo(nights.runId(2)).and(col(Cols.METHOD).equalTo("manual")))
            .where(col(Cols.EVENT).equalTo("merge"))
            .select(Cols.SURVIVING_PROFILE_ID, Cols.MERGED_PROFILE_IDS, Cols.ACTOR, Cols.REASON)
            .first();
    assertThat(merge.getString(0)).isEqualTo(ann);
    assertThat(merge.<String>getList(1)).containsExactlyInAnyOrder(ann, bob);
    assertThat(merge.getString(2)).isEqualTo("alice");
    assertThat(merge.getString(3)).contains("one person, two accounts");
  }

  @Test
  void anUnmergeRestoresThePreMergeProfilesWithTheirIdsAndRecords() {
    Map<String, String> before = nights.profiles(0);
    Map<String, String> after = nights.profiles(2);
    for (String record : List.of("crm:C3", "web:w2", "web:w3")) {
      assertThat(after.get(record)).as(record).isEqualTo(before.get(record));
    }
    // The sign-up event, new since the merge, stays with the merge's surviving profile.
    assertThat(after.get("web:w4")).isEqualTo(before.get("crm:C3"));
    assertThat(
            nights.table(OutputTables.PROFILE_ID_CHANGES)
                .where(col(Cols.RUN_ID).equalTo(nights.runId(2)).and(col(Cols.CHANGE_TYPE).equalTo("unmerged")))
                .select(Cols.OLD_PROFILE_ID, Cols.NEW_PROFILE_ID)
                .collectAsList())
        .containsExactly(RowFactory.create(before.get("crm:C3"), before.get("web:w2")));
    Row split =
        nights.table(OutputTables.MERGE_HISTORY)
            .where(col(Cols.RUN_ID).equalTo(nights.runId(2)).and(col(Cols.EVENT).equalTo("split")))
            .where(array_contains(col(Cols.MERGED_PROFILE_IDS), before.get("crm:C3")))
            .select(Cols.METHOD, Cols.ACTOR, Cols.SPLIT_PROFILE_IDS)
            .first();
    assertThat(split.getString(0)).isEqualTo("manual");
    assertThat(split.getString(1)).isEqualTo("alice");
    assertThat(split.<String>getList(2)).containsExactlyInAnyOrder(before.get("crm:C3"), before.get("web:w2"));
  }

  @Test
  void blockingASharedPhoneSplitsTheProfileAndLogsTheSplit() {
    String shared = nights.profiles(1).get("crm:C4");
    assertThat(nights.profiles(1).get("crm:C5")).isEqualTo(shared);
    String dan = nights.profiles(2).get("crm:C4");
    String eve = nights.profiles(2).get("crm:C5");
    assertThat(dan).isNotEqualTo(eve);
    // One part keeps the id: the one holding most of the old profile's records, ties by cluster key.
    assertThat(List.of(dan, eve)).contains(shared);
    List<Row> changes =
        nights.table(OutputTables.PROFILE_ID_CHANGES)
            .where(col(Cols.RUN_ID).equalTo(nights.runId(2)).and(col(Cols.OLD_PROFILE_ID).equalTo(shared)))
            .select(Cols.NEW_PROFILE_ID, Cols.CHANGE_TYPE)
            .collectAsList();
    assertThat(changes).containsExactly(RowFactory.create(dan.equals(shared) ? eve : dan, "split"));
    assertThat(
            nights.table(OutputTables.MERGE_HISTORY)
                .where(col(Cols.RUN_ID).equalTo(nights.runId(2)).and(col(Cols.EVENT).equalTo("split")))
                .where(array_contains(col(Cols.MERGED_PROFILE_IDS), shared))
                .count())
        .isEqualTo(1);
    assertThat(
            nights.table(OutputTables.LINK_DECISIONS)
                .where(col(Cols.RUN_ID).equalTo(nights.runId(2)).and(col(Cols.ID_TYPE).equalTo("phone")))
                .where(col("detail").contains("admin"))
                .count())
        .isEqualTo(1);
  }
}
