package io.idgraph.history;

import static org.apache.spark.sql.functions.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.schema.Cols;
import io.idgraph.sink.OutputTables;
import io.idgraph.testing.Fixtures;
import io.idgraph.testing.Nights;
import io.idgraph.testing.SharedSpark;
import io.idgraph.testing.SparkTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The review queue over two nights. Two pairs of anonymous browsers share a device fingerprint and a
 * network; the model is fixed so that the evidence weighs nothing and every candidate scores the
 * prior, 0.7: both pairs wait in merge_candidates as pending. An admin approves the first and rejects
 * the second; on night 2 the merge threshold drops to 0.65, so without the rejection the second pair
 * would merge too.
 */
@SparkTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReviewQueueTest {
  @TempDir static Path in;
  @TempDir static Path out;
  private Nights nights;
  private Path config;
  private String approved;
  private String rejected;

  private static final String FLAT_MODEL =
      "model: {prior: 0.7,"
          + " m: {fingerprint: [0.5, 0.5], session_gap: [0.25, 0.25, 0.25, 0.25], ip_prefix: [0.5, 0.25, 0.25],"
          + " referral: [0.2, 0.3, 0.5], name: [0.25, 0.25, 0.25, 0.25], contact_part: [0.2, 0.3, 0.5]},"
          + " u: {fingerprint: [0.5, 0.5], session_gap: [0.25, 0.25, 0.25, 0.25], ip_prefix: [0.5, 0.25, 0.25],"
          + " referral: [0.2, 0.3, 0.5], name: [0.25, 0.25, 0.25, 0.25], contact_part: [0.2, 0.3, 0.5]}}";

  @BeforeAll
  void twoNights() throws Exception {
    Files.copy(Fixtures.repoRoot().resolve("jobs/demo.key"), in.resolve("demo.key"));
    Files.write(
        in.resolve("web.jsonl"),
        List.of(
            visit("w1", "a-1", "10.0.1.5", "Firefox/1", "2026-02-01T10:00:00Z"),
            visit("w2", "a-2", "10.0.1.6", "Firefox/1", "2026-02-01T10:05:00Z"),
            visit("w3", "a-3", "10.0.2.5", "Safari/2", "2026-02-02T10:00:00Z"),
            visit("w4", "a-4", "10.0.2.6", "Safari/2", "2026-02-02T10:05:00Z")));
    config = writeConfig(0.85);
    nights = new Nights(config, in, out);
    nights.run();
    Dataset<Row> queue = nights.table(OutputTables.MERGE_CANDIDATES);
    assertThat(queue.where(col(Cols.STATUS).equalTo("pending")).count()).isEqualTo(2);
    approved = candidateOf("web:w1");
    rejected = candidateOf("web:w3");
    Files.createDirectories(out.resolve(io.idgraph.ops.ManualOperations.TABLE));
    SharedSpark.session()
        .createDataFrame(
            List.of(
                review("op_a", "approve", approved, "web", "w1", "web", "w2"),
                review("op_r", "reject", rejected, "web", "w3", "web", "w4")),
            io.idgraph.ops.ManualOperations.schema())
        .write().format("delta").mode("append").save(out.resolve(io.idgraph.ops.ManualOperations.TABLE).toString());
    config = writeConfig(0.65);
    nights.run();
  }

  private Path writeConfig(double threshold) {
    return Fixtures.write(
        in,
        "job.yaml",
        "hashing: {key_file: demo.key, demo_key: true}",
        "sources:",
        "  - {name: web, type: web, path: web.jsonl, default_region: US}",
        "scoring: {merge_threshold: " + threshold + ", review_floor: 0.6, " + FLAT_MODEL + "}",
        "history: {max_merge_ratio: 0}",
        "report: {enabled: false}",
        "spark: {conf: {spark.sql.shuffle.partitions: \"2\"}}");
  }

  private static String visit(String id, String anon, String ip, String agent, String ts) {
    return "{\"messageId\":\"" + id + "\",\"type\":\"page\",\"anonymousId\":\"" + anon + "\",\"timestamp\":\""
        + ts + "\",\"context\":{\"ip\":\"" + ip + "\",\"userAgent\":\"" + agent
        + "\",\"locale\":\"en-US\",\"timezone\":\"Europe/Berlin\",\"screen\":{\"width\":1280,\"height\":800}}}";
  }

  private String candidateOf(String record) {
    String det =
        nights.table(OutputTables.RECORD_PROFILES)
            .where(concat_ws(":", col(Cols.SOURCE), col(Cols.RECORD_ID)).equalTo(record))
            .select(Cols.DETERMINISTIC_PROFILE_ID)
            .first()
            .getString(0);
    return nights.table(OutputTables.MERGE_CANDIDATES)
        .where(col(Cols.PROFILE_A).equalTo(det).or(col(Cols.PROFILE_B).equalTo(det)))
        .select(Cols.CANDIDATE_ID)
        .first()
        .getString(0);
  }

  private static Row review(String id, String op, String candidate, String sa, String ra, String sb, String rb) {
    return RowFactory.create(
        id, op, Timestamp.from(Instant.now()), "carol", "checked the sessions",
        scala.jdk.javaapi.CollectionConverters.asScala(List.<String>of()).toSeq(),
        scala.jdk.javaapi.CollectionConverters.asScala(
                List.of(RowFactory.create(sa, ra), RowFactory.create(sb, rb)))
            .toSeq(),
        null, null, null, candidate);
  }

  @Test
  void anApprovedPairIsMergedByTheAdmin() {
    assertThat(nights.profiles(0).get("web:w1")).isNotEqualTo(nights.profiles(0).get("web:w2"));
    assertThat(nights.profiles(1).get("web:w1")).isEqualTo(nights.profiles(1).get("web:w2"));
    assertThat(
            nights.table(OutputTables.MERGE_CANDIDATES)
                .where(col(Cols.CANDIDATE_ID).equalTo(approved))
                .select(Cols.STATUS)
                .first()
                .getString(0))
        .isEqualTo("approved");
    Row merge =
        nights.table(OutputTables.MERGE_HISTORY)
            .where(col(Cols.METHOD).equalTo("manual"))
            .select(Cols.ACTOR, Cols.SURVIVING_PROFILE_ID)
            .first();
    assertThat(merge.getString(0)).isEqualTo("carol");
    assertThat(merge.getString(1)).isEqualTo(nights.profiles(1).get("web:w1"));
  }

  @Test
  void aRejectedPairStaysApartEvenAboveTheThreshold() {
    assertThat(nights.profiles(1).get("web:w3")).isNotEqualTo(nights.profiles(1).get("web:w4"));
    assertThat(nights.profiles(1).get("web:w3")).isEqualTo(nights.profiles(0).get("web:w3"));
    assertThat(
            nights.table(OutputTables.MERGE_CANDIDATES)
                .where(col(Cols.CANDIDATE_ID).equalTo(rejected))
                .select(Cols.STATUS, Cols.PROBABILITY)
                .first())
        .satisfies(r -> {
          assertThat(r.getString(0)).isEqualTo("rejected");
          assertThat(r.getDouble(1)).isGreaterThanOrEqualTo(0.65);
        });
  }
}
