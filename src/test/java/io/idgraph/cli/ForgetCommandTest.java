package io.idgraph.cli;

import static io.idgraph.cli.ForgetFixture.*;
import static org.apache.spark.sql.functions.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.ops.ErasureRequests;
import io.idgraph.schema.Cols;
import io.idgraph.sink.OutputTables;
import io.idgraph.sink.RunCommits;
import io.idgraph.testing.SparkTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code idgraph forget} on a real two-night output ({@link ForgetFixture}): the person leaves every
 * night table, everyone else's rows stay exactly as they were, tombstones and the request remain,
 * bulk requests work, and bad requests change nothing.
 */
@SparkTest
class ForgetCommandTest {
  @TempDir Path dir;

  /** Tables that hold nothing of a person by design (counts, files, model): never touched. */
  private static final List<String> IMPERSONAL =
      List.of(OutputTables.RUN_METRICS, OutputTables.RUN_MANIFEST, OutputTables.MODEL_PARAMETERS);

  private static Object[] forget(Path out, String... args) {
    List<String> all =
        new java.util.ArrayList<>(
            List.of("forget", "--output", out.toString(), "--config", config().toString(),
                "--actor", "dpo.anna", "--reason", "GDPR art. 17, ticket 991"));
    all.addAll(List.of(args));
    return idgraph(all.toArray(String[]::new));
  }

  private static Map<String, Dataset<Row>> snapshot(SparkSession spark, Path out) {
    Map<String, Dataset<Row>> tables = new HashMap<>();
    for (String t : OutputTables.ALL) {
      if (Files.isDirectory(out.resolve(t))) {
        // Time travel to the version now: the rows as they were, whatever the erasure deletes.
        long version =
            io.delta.tables.DeltaTable.forPath(spark, out.resolve(t).toString()).history(1).first().getLong(0);
        tables.put(
            t,
            spark.read().format("delta").option("versionAsOf", version).load(out.resolve(t).toString()));
      }
    }
    return tables;
  }

  private static Column tombstone() {
    return to_json(struct(col("*"))).contains("\"erased\"");
  }

  @Test
  void forgetByEmailRemovesThePersonFromEveryTableAndNothingElse(SparkSession spark) {
    Path template = ForgetFixture.template();
    Set<String> zelda = zeldaTokens(template);
    String zeldaProfile =
        table(template, OutputTables.RECORD_PROFILES)
            .where(col(Cols.RECORD_ID).equalTo("ZQ-CRM-5501"))
            .select(Cols.PROFILE_ID)
            .first()
            .getString(0);
    Map<String, Dataset<Row>> before = snapshot(spark, template);
    // Her unmerge snapshot is there before (the anonymous profile's records merged on night 2).
    assertThat(before.get(OutputTables.MERGE_SNAPSHOTS).where(col(Cols.RECORD_ID).startsWith("ZQ-")).count())
        .isPositive();
    long annSnapshots =
        before.get(OutputTables.MERGE_SNAPSHOTS).where(col(Cols.RECORD_ID).startsWith("ANN-")).count();
    assertThat(annSnapshots).isPositive();

    // forget --email ZELDA_EMAIL on a copy of the template, shared with ForgetAfterwardsTest.
    Path out = ForgetFixture.erased(dir);
    Object[] r = ForgetFixture.erasure();

    assertThat(r[0]).as("stderr: %s", r[2]).isEqualTo(0);
    assertThat((String) r[1]).contains("Erased 1 profile(s) and 4 record(s) under request era_");
    // Exact counts where the fixture fixes them.
    assertThat(before.get(OutputTables.PROFILES).count()).isEqualTo(3);
    assertThat(table(out, OutputTables.PROFILES).count()).isEqualTo(2);
    assertThat(before.get(OutputTables.RECORD_PROFILES).count()).isEqualTo(9);
    assertThat(table(out, OutputTables.RECORD_PROFILES).count()).isEqualTo(5);
    assertThat(table(out, OutputTables.SOURCE_RECORDS).count()).isEqualTo(5);
    assertThat(table(out, OutputTables.PROFILE_EVENTS).where(col(Cols.RECORD_ID).startsWith("ZQ-")).count()).isZero();
    // Every table: the rows that do not name her are exactly as before, and no row names her but
    // the tombstones, which name only her profile id.
    Column hers = mentions(zelda);
    for (String t : before.keySet()) {
      if (IMPERSONAL.contains(t)) {
        continue;
      }
      Dataset<Row> after = table(out, t);
      Dataset<Row> kept = before.get(t).where(not(hers));
      Dataset<Row> afterRows = after.where(not(tombstone()));
      assertThat(afterRows.where(hers).count()).as(t + ": rows naming her").isZero();
      // As JSON: set operations cannot compare map columns.
      Dataset<Row> keptJson = kept.select(to_json(struct(col("*"))));
      Dataset<Row> afterJson = afterRows.select(to_json(struct(col("*"))));
      assertThat(keptJson.exceptAll(afterJson).count()).as(t + ": rows of others lost").isZero();
      assertThat(afterJson.exceptAll(keptJson).count()).as(t + ": rows changed or added").isZero();
      assertThat(after.count())
          .as(t)
          .isEqualTo(before.get(t).count() - before.get(t).where(hers).count() + after.where(tombstone()).count());
    }
    assertThat(before.get(OutputTables.IDENTITY_LINKS).where(hers).count()).isGreaterThanOrEqualTo(5);
    assertThat(before.get(OutputTables.IDENTITY_EDGES).where(hers).count()).isPositive();
    assertThat(before.get(OutputTables.MERGE_HISTORY).where(hers).count()).isPositive();
    assertThat(before.get(OutputTables.PROFILE_ID_CHANGES).where(hers).count()).isPositive();
    // (c) Her unmerge snapshot is gone; Ann's stays.
    assertThat(table(out, OutputTables.MERGE_SNAPSHOTS).where(col(Cols.RECORD_ID).startsWith("ZQ-")).count()).isZero();
    assertThat(table(out, OutputTables.MERGE_SNAPSHOTS).where(col(Cols.RECORD_ID).startsWith("ANN-")).count())
        .isEqualTo(annSnapshots);

    // One tombstone per erased profile, in merge_history and in profile_id_changes.
    List<Row> tomb =
        table(out, OutputTables.MERGE_HISTORY).where(col(Cols.EVENT).equalTo("erased")).collectAsList();
    assertThat(tomb).hasSize(1);
    Row t = tomb.get(0);
    String requestId = t.getAs(Cols.RUN_ID);
    assertThat(requestId).matches("era_[0-9a-f]{16}");
    assertThat((String) t.getAs(Cols.SURVIVING_PROFILE_ID)).isEqualTo(zeldaProfile);
    assertThat(t.<String>getList(t.fieldIndex(Cols.MERGED_PROFILE_IDS))).isEmpty();
    assertThat((String) t.getAs(Cols.ACTOR)).isEqualTo("dpo.anna");
    assertThat((Object) t.getAs(Cols.MERGED_AT)).isNotNull();
    Row change =
        table(out, OutputTables.PROFILE_ID_CHANGES).where(col(Cols.CHANGE_TYPE).equalTo("erased")).first();
    assertThat((String) change.getAs(Cols.OLD_PROFILE_ID)).isEqualTo(zeldaProfile);
    assertThat((Object) change.getAs(Cols.NEW_PROFILE_ID)).isNull();

    // The request: suppressed hashes only (none of her values, not even a hash another table
    // held), the requested email and her other identifiers, applied.
    Dataset<Row> requests = table(out, OutputTables.ERASURE_REQUESTS);
    assertThat(requests.where(lower(to_json(struct(col("*")))).contains("zelda")).count()).isZero();
    assertThat(requests.where(mentions(zelda)).count()).isZero();
    assertThat(requests.where(not(col(ErasureRequests.SUPPRESSED_HASH).rlike("^[0-9a-f]{64}$"))).count()).isZero();
    Row email = requests.where(col(ErasureRequests.ORIGIN).equalTo("requested")).first();
    assertThat(requests.where(col(ErasureRequests.ORIGIN).equalTo("requested")).count()).isEqualTo(1);
    assertThat((String) email.getAs(Cols.ID_TYPE)).isEqualTo("email");
    String emailHash =
        table(template, OutputTables.SOURCE_RECORDS)
            .where(col(Cols.RECORD_ID).equalTo("ZQ-CRM-5501"))
            .select(explode(col(Cols.IDENTIFIERS)).as("i"))
            .where(col("i.id_type").equalTo("email"))
            .select("i.id_hash")
            .as(org.apache.spark.sql.Encoders.STRING())
            .first();
    assertThat((String) email.getAs(ErasureRequests.SUPPRESSED_HASH))
        .isEqualTo(ErasureRequests.suppressedHash("email", emailHash))
        .isEqualTo(org.apache.commons.codec.digest.DigestUtils.sha256Hex("email:" + emailHash));
    assertThat((String) email.getAs(ErasureRequests.REQUEST_ID)).isEqualTo(requestId);
    assertThat((String) email.getAs(ErasureRequests.REQUESTED_BY)).isEqualTo("dpo.anna");
    assertThat((Long) email.getAs(ErasureRequests.PROFILES_ERASED)).isEqualTo(1L);
    assertThat((Long) email.getAs(ErasureRequests.RECORDS_ERASED)).isEqualTo(4L);
    assertThat(
            requests.where(col(ErasureRequests.ORIGIN).equalTo("linked")).select(Cols.ID_TYPE).as(
                org.apache.spark.sql.Encoders.STRING()).collectAsList())
        .contains("phone", "user_id", "anonymous_id", "external_id:crm");
    assertThat(requests.where(col(ErasureRequests.APPLIED_AT).isNull()).count()).isZero();
    // The tables are committed as one state, the erasure's.
    assertThat(RunCommits.last(spark, out.toString()).orElseThrow().kind()).isEqualTo(RunCommits.ERASURE);
    assertThat(out.resolve("_idgraph.lock")).doesNotExist();

    // The same request again: not recorded twice, nothing left to erase.
    Object[] again = forget(out, "--email", ZELDA_EMAIL.toLowerCase());
    assertThat(again[0]).as("stderr: %s", again[2]).isEqualTo(0);
    assertThat((String) again[1]).contains("Erased 0 profile(s)").contains(requestId);
    assertThat(table(out, OutputTables.ERASURE_REQUESTS).count()).isEqualTo(requests.count());
  }

  @Test
  void bulkRequestsFromACsvEraseTwoPeople(SparkSession spark) throws Exception {
    Path out = ForgetFixture.output(dir);
    Path csv = dir.resolve("requests.csv");
    Files.writeString(csv, "id_type,value\nemail,ANN.LEE@leemail.org\nphone," + BOB_PHONE + "\n");
    Object[] r = forget(out, "--requests", csv.toString());
    assertThat(r[0]).as("stderr: %s", r[2]).isEqualTo(0);
    assertThat((String) r[1]).contains("Erased 2 profile(s) and 5 record(s)");
    List<String> left =
        table(out, OutputTables.RECORD_PROFILES).select(Cols.RECORD_ID).as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList();
    assertThat(left).containsExactlyInAnyOrderElementsOf(ZELDA_RECORDS);
    assertThat(table(out, OutputTables.PROFILES).count()).isEqualTo(1);
    assertThat(table(out, OutputTables.MERGE_HISTORY).where(col(Cols.EVENT).equalTo("erased")).count()).isEqualTo(2);
    assertThat(
            table(out, OutputTables.ERASURE_REQUESTS)
                .where(col(ErasureRequests.ORIGIN).equalTo("requested"))
                .select(ErasureRequests.REQUEST_ID)
                .distinct()
                .count())
        .isEqualTo(1);
  }

  @Test
  void aRequestTableWithoutSuppressedHashesIsRefusedByName(SparkSession spark) {
    Path out = ForgetFixture.output(dir);
    // As a development build wrote it: the identifier's hash itself.
    spark.sql("SELECT 'era_0000000000000000' AS request_id, 'email' AS id_type, 'ab12' AS id_hash")
        .write()
        .format("delta")
        .save(out.resolve(OutputTables.ERASURE_REQUESTS).toString());
    Object[] r = forget(out, "--email", ANN_EMAIL);
    assertThat(r[0]).isEqualTo(ExitCodes.BAD_CONFIG_OR_INPUT);
    assertThat((String) r[2]).contains("erasure_requests has no column suppressed_hash");
    assertThat(table(out, OutputTables.PROFILES).count()).isEqualTo(3);
    assertThat(out.resolve("_idgraph.lock")).doesNotExist();
  }

  @Test
  void aBadValueIsRefusedAndNothingIsWritten() throws Exception {
    Path out = ForgetFixture.output(dir);
    Object[] r = forget(out, "--email", "not-an-email");
    assertThat(r[0]).isEqualTo(ExitCodes.BAD_CONFIG_OR_INPUT);
    assertThat((String) r[2]).contains("not a valid email");
    assertThat(out.resolve(OutputTables.ERASURE_REQUESTS)).doesNotExist();

    Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, "id_type,value\nemail,ann.lee@leemail.org\nphone,12\nfax,12345\n");
    Object[] bulk = forget(out, "--requests", csv.toString());
    assertThat(bulk[0]).isEqualTo(ExitCodes.BAD_CONFIG_OR_INPUT);
    assertThat((String) bulk[2])
        .contains("2 row(s) cannot be hashed")
        .contains("INVALID_PHONE")
        .contains("UNKNOWN_ID_TYPE")
        .doesNotContain("12345");
    assertThat(out.resolve(OutputTables.ERASURE_REQUESTS)).doesNotExist();

    Path noColumns = dir.resolve("cols.csv");
    Files.writeString(noColumns, "type,email\nemail,a@b.example\n");
    Object[] cols = forget(out, "--requests", noColumns.toString());
    assertThat(cols[0]).isEqualTo(ExitCodes.BAD_CONFIG_OR_INPUT);
    assertThat((String) cols[2]).contains("column 'id_type' missing");

    Object[] none = forget(out);
    assertThat(none[0]).isEqualTo(ExitCodes.BAD_CONFIG_OR_INPUT);
    assertThat(out.resolve(OutputTables.ERASURE_REQUESTS)).doesNotExist();
  }
}
