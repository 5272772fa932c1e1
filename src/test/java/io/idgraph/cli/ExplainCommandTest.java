package io.idgraph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.testing.SparkTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.apache.commons.codec.digest.DigestUtils;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three final profiles written with the table schemas the nightly job writes. P1 is deterministic
 * profile D1 (crm:c1, crm:c2, web:anon:42, crm:c3) joined to D2 (web:w2, web:w3) by merged pair m1.
 * In D1, crm:c1 reaches web:anon:42 by email then anonymous_id; the phone they share directly is
 * blocklisted, so it must not be the path. P2 (D3: crm:c9) and P3 (D4: web:w9) are apart: pair m2
 * is pending review and the email both hold was refused by the limit rule.
 */
@SparkTest
class ExplainCommandTest {
  private static final String RUN = "r-2024-05-02";
  private static final String OLD_RUN = "r-2024-05-01";
  private static final Timestamp T = Timestamp.valueOf("2024-05-01 10:00:00");

  private static final String EMAIL = hash("email:ann@example.com");
  private static final String ANON = hash("anonymous_id:9f1c");
  private static final String PHONE = hash("phone:+10000000000");
  private static final String DEVICE = hash("device_id:ios-77");
  private static final String SHARED_EMAIL = hash("email:info@shop.example");
  private static final String OTHER_EMAIL = hash("email:bo@example.com");

  @TempDir static Path dir;

  @BeforeAll
  static void writeTables(SparkSession spark) {
    StructType ids =
        new StructType().add("id_type", DataTypes.StringType).add("id_hash", DataTypes.StringType);
    StructType signals =
        new StructType()
            .add("signal_type", DataTypes.StringType)
            .add("signal_hash", DataTypes.StringType);
    StructType recordProfiles =
        new StructType()
            .add("source", DataTypes.StringType)
            .add("record_id", DataTypes.StringType)
            .add("profile_id", DataTypes.StringType)
            .add("deterministic_profile_id", DataTypes.StringType)
            .add("event_time", DataTypes.TimestampType)
            .add("identifiers", DataTypes.createArrayType(ids))
            .add("signals", DataTypes.createArrayType(signals))
            .add("run_id", DataTypes.StringType);
    write(
        spark,
        "record_profiles",
        recordProfiles,
        List.of(
            record("crm", "c1", "P1", "D1", id("email", EMAIL), id("phone", PHONE)),
            record("crm", "c2", "P1", "D1", id("email", EMAIL), id("anonymous_id", ANON)),
            record("web", "anon:42", "P1", "D1", id("anonymous_id", ANON), id("phone", PHONE)),
            record("crm", "c3", "P1", "D1", id("email", EMAIL)),
            record("web", "w2", "P1", "D2", id("device_id", DEVICE)),
            record("web", "w3", "P1", "D2", id("device_id", DEVICE)),
            record("crm", "c9", "P2", "D3", id("email", SHARED_EMAIL), id("email", OTHER_EMAIL)),
            record("web", "w9", "P3", "D4", id("email", SHARED_EMAIL))));

    StructType candidates =
        new StructType()
            .add("run_id", DataTypes.StringType)
            .add("candidate_id", DataTypes.StringType)
            .add("profile_a", DataTypes.StringType)
            .add("profile_b", DataTypes.StringType)
            .add("probability", DataTypes.DoubleType)
            .add("match_weight", DataTypes.DoubleType)
            .add(
                "contributions",
                DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType))
            .add("levels", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType))
            .add("blocking_keys", DataTypes.createArrayType(DataTypes.StringType))
            .add("status", DataTypes.StringType)
            .add("profile_id", DataTypes.StringType)
            .add("reason", DataTypes.StringType)
            .add("created_at", DataTypes.TimestampType);
    Map<String, String> levels =
        Map.of("fingerprint", "same", "session_gap", "within 30 min", "ip_prefix", "same /24");
    write(
        spark,
        "merge_candidates",
        candidates,
        List.of(
            candidate(
                RUN,
                "m1",
                "D1",
                "D2",
                0.9815,
                5.73,
                Map.of(
                    "fingerprint", 9.61, "session_gap", 4.02, "ip_prefix", 2.30, "prior", -10.20),
                levels,
                "merged",
                "P1",
                null),
            candidate(
                RUN,
                "m2",
                "D3",
                "D4",
                0.640,
                0.83,
                Map.of("fingerprint", 9.61, "session_gap", -2.58, "prior", -6.20),
                Map.of("fingerprint", "same", "session_gap", "more"),
                "pending",
                "P2",
                null),
            candidate(
                OLD_RUN,
                "m0",
                "D3",
                "D4",
                0.41,
                -0.52,
                Map.of("prior", -0.52),
                Map.of(),
                "refused",
                "P2",
                "stale row of an earlier run")));

    StructType decisions =
        new StructType()
            .add("rule", DataTypes.StringType)
            .add("id_type", DataTypes.StringType)
            .add("id_hash", DataTypes.StringType)
            .add("records", DataTypes.LongType)
            .add("degree", DataTypes.LongType)
            .add("detail", DataTypes.StringType)
            .add("run_id", DataTypes.StringType);
    write(
        spark,
        "link_decisions",
        decisions,
        List.of(
            RowFactory.create(
                "blocklist",
                "phone",
                PHONE,
                2L,
                null,
                "junk value on the blocklist; never an identifier",
                RUN),
            RowFactory.create(
                "limit",
                "email",
                SHARED_EMAIL,
                2L,
                2L,
                "more than 1 user_id per profile; kept from 1 group",
                RUN),
            RowFactory.create(
                "hub_isolation",
                "email",
                SHARED_EMAIL,
                2L,
                40L,
                "stale decision of an earlier run",
                OLD_RUN)));
  }

  @Test
  void twoRecordsOfOneDeterministicProfileAreJoinedByEmailThenAnonymousId() {
    Result r = explain("--record", "crm:c1", "--record", "web:anon:42");

    assertThat(r.code).as(r.err).isZero();
    assertThat(r.out)
        .contains("  A  record crm:c1 (final profile P1, deterministic profile D1)\n")
        .contains("  B  record web:anon:42 (final profile P1, deterministic profile D1)\n")
        .contains(
            "  1. deterministic  crm:c1 -> crm:c2  via email " + EMAIL.substring(0, 12) + "\n")
        .contains(
            "  2. deterministic  crm:c2 -> web:anon:42  via anonymous_id "
                + ANON.substring(0, 12)
                + "\n")
        .doesNotContain(PHONE.substring(0, 12))
        .doesNotContain("  3. ")
        .endsWith("joined by 2 links: 2 deterministic, 0 probabilistic\n");
  }

  @Test
  void recordsOfTwoDeterministicProfilesAreJoinedByAMergedPair() {
    Path json = dir.resolve("explain.json");
    Result r = explain("--record", "crm:c1", "--record", "web:w3", "--json", json.toString());

    assertThat(r.code).as(r.err).isZero();
    assertThat(r.out)
        .contains("note: crm:c1 stands for its deterministic profile D1 (4 records)")
        .contains("note: web:w3 stands for its deterministic profile D2 (2 records)")
        .contains(
            "  1. probabilistic  D1 -> D2  probability 0.982, match weight 5.73"
                + " (candidate m1; blocked on fingerprint, ip24_day)\n"
                + "       prior -10.20, fingerprint +9.61 (same), session_gap +4.02 (within 30"
                + " min), ip_prefix +2.30 (same /24)\n")
        .doesNotContain("  2. ")
        .endsWith(
            "joined by 1 link: 0 deterministic, 1 probabilistic (lowest probability 0.982)\n");
    assertThat(json)
        .content()
        .contains("\"method\" : \"probabilistic\"")
        .contains("\"candidateId\" : \"m1\"")
        .contains("\"comparison\" : \"fingerprint\"")
        .contains("\"joined\" : true");

    Result profiles = explain("--profile-id", "D2", "--profile-id", "P1");
    assertThat(profiles.code).as(profiles.err).isZero();
    assertThat(profiles.out)
        .contains("  A  deterministic profile D2 (in final profile P1)\n")
        .contains("  B  final profile P1\n")
        .endsWith(
            "joined: deterministic profile D2 is part of final profile P1, no links needed\n");
  }

  @Test
  void profilesInDifferentFinalProfilesAreNotJoinedAndSayWhy() {
    Result r = explain("--profile-id", "P2", "--profile-id", "D4");

    assertThat(r.code).as(r.err).isZero();
    assertThat(r.out)
        .contains("  A  final profile P2\n")
        .contains("  B  deterministic profile D4 (in final profile P3)\n")
        .contains(
            "note: A is in final profile P2, B in final profile P3: no chain of links joins them")
        .contains(
            "  - scored pair D3 - D4 is in the review queue at probability 0.640"
                + " (match weight 0.83)\n"
                + "      fingerprint +9.61 (same), prior -6.20, session_gap -2.58 (more)\n")
        .contains(
            "  - email "
                + SHARED_EMAIL.substring(0, 12)
                + " is held by 1 record of A's final profile and 1 of B's; refused by limit (more"
                + " than 1 user_id per profile; kept from 1 group)\n")
        .doesNotContain("stale")
        .doesNotContain(OTHER_EMAIL.substring(0, 12))
        .doesNotContain(" 1. ")
        .endsWith("not joined: 1 scored pair in the review queue, 1 shared identifier refused\n");
  }

  @Test
  void badInputExitsWithCodeTwoAndSaysWhat() {
    Result unknown = explain("--record", "crm:c1", "--record", "crm:nope");
    assertThat(unknown.code).isEqualTo(ExitCodes.BAD_CONFIG_OR_INPUT);
    assertThat(unknown.err).contains("Unknown record 'crm:nope'");

    Result one = explain("--record", "crm:c1");
    assertThat(one.code).isEqualTo(ExitCodes.BAD_CONFIG_OR_INPUT);
    assertThat(one.err).contains("Give exactly two --record");

    Result both = explain("--record", "crm:c1", "--record", "crm:c2", "--profile-id", "P1");
    assertThat(both.code).isEqualTo(ExitCodes.BAD_CONFIG_OR_INPUT);
    assertThat(both.err).contains("not both");

    Result noColon = explain("--record", "crm", "--record", "crm:c2");
    assertThat(noColon.code).isEqualTo(ExitCodes.BAD_CONFIG_OR_INPUT);
    assertThat(noColon.err).contains("Cannot read record 'crm'");

    Result unknownProfile = explain("--profile-id", "P1", "--profile-id", "P404");
    assertThat(unknownProfile.code).isEqualTo(ExitCodes.BAD_CONFIG_OR_INPUT);
    assertThat(unknownProfile.err).contains("Unknown profile id 'P404'");

    Path none = dir.resolve("none");
    Result noTable =
        run("explain", "--output", none.toString(), "--record", "crm:c1", "--record", "crm:c2");
    assertThat(noTable.code).isEqualTo(ExitCodes.BAD_CONFIG_OR_INPUT);
    assertThat(noTable.err)
        .contains("No record_profiles Delta table at " + none.resolve("record_profiles"));

    Result noConfig =
        explain(
            "--config",
            dir.resolve("no.yaml").toString(),
            "--record",
            "crm:c1",
            "--record",
            "crm:c2");
    assertThat(noConfig.code).isEqualTo(ExitCodes.BAD_CONFIG_OR_INPUT);
    assertThat(noConfig.err).contains("no.yaml");
  }

  private record Result(int code, String out, String err) {}

  private static Result explain(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "explain";
    all[1] = "--output";
    all[2] = dir.toString();
    System.arraycopy(args, 0, all, 3, args.length);
    return run(all);
  }

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = IdgraphCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  private static void write(SparkSession spark, String table, StructType schema, List<Row> rows) {
    spark.createDataFrame(rows, schema).write().format("delta").save(dir.resolve(table).toString());
  }

  private static Row record(
      String source, String recordId, String profile, String deterministic, Row... identifiers) {
    return RowFactory.create(
        source,
        recordId,
        profile,
        deterministic,
        T,
        List.of(identifiers),
        List.of(RowFactory.create("fingerprint", hash("fp:" + recordId))),
        RUN);
  }

  private static Row id(String type, String hash) {
    return RowFactory.create(type, hash);
  }

  private static Row candidate(
      String run,
      String id,
      String a,
      String b,
      double probability,
      double matchWeight,
      Map<String, Double> contributions,
      Map<String, String> levels,
      String status,
      String profile,
      String reason) {
    return RowFactory.create(
        run,
        id,
        a,
        b,
        probability,
        matchWeight,
        contributions,
        levels,
        List.of("fingerprint", "ip24_day"),
        status,
        profile,
        reason,
        T);
  }

  private static String hash(String value) {
    return DigestUtils.sha256Hex(value);
  }
}
