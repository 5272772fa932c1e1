package io.idgraph.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idgraph.config.BadInputException;
import io.idgraph.testing.SparkTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every check of a manual operation against a small run output ({@link OpsFixture}): the row each
 * accepted request builds, and the reason each refused one gives. "Now" is injected, so the undo
 * window is tested on both sides of its end. Tests that only read share one output (Delta caches
 * its snapshots per path), with three operations already recorded for the duplicate checks; tests
 * that delete a table get a copy of their own.
 */
@SparkTest
class OperationRequestsTest {
  private static final Audit AUDIT = new Audit("alice", "ticket 42");
  private static final Instant NOW = OpsFixture.OPEN_MERGED_AT.plus(Duration.ofHours(2));

  @TempDir static Path sharedDir;
  private static String shared;

  @TempDir Path dir;
  private SparkSession spark;

  /** The output this test works on: the shared one unless it called {@link #own()}. */
  private String out;

  @BeforeAll
  static void sharedOutput(SparkSession spark) {
    shared = OpsFixture.outputWithRecordedOperations(spark, sharedDir).toString();
  }

  @BeforeEach
  void output(SparkSession spark) {
    this.spark = spark;
    out = shared;
  }

  /** Switches this test to an output of its own, which it may change. */
  private void own() {
    out = OpsFixture.output(spark, dir).toString();
  }

  @Test
  void recordedOperationsAreReadBack() {
    assertThat(
            ManualOperations.read(spark, out)
                .select("operation")
                .as(Encoders.STRING())
                .collectAsList())
        .containsExactlyInAnyOrder("unmerge", "block", "approve");
  }

  private OperationRequests at(Instant now) {
    return new OperationRequests(spark, out, now);
  }

  @Test
  void mergeAnchorsEachProfileByItsSmallestRecord() {
    ManualOperation op = at(NOW).merge("P2", "P1", AUDIT);
    assertThat(op.operation()).isEqualTo("merge");
    assertThat(op.profileIds()).containsExactly("P2", "P1");
    assertThat(op.anchorRecords())
        .containsExactly(new AnchorRecord("crm", "c7"), new AnchorRecord("crm", "c1"));
    assertThat(op.requestedAt()).isEqualTo(NOW);
    assertThat(op.actor()).isEqualTo("alice");
    assertThat(op.reason()).isEqualTo("ticket 42");
    assertThat(op.opId()).matches("op_[0-9a-f]{16}");
    assertThat(op.mergeId()).isNull();
    assertThat(op.idType()).isNull();
    assertThat(op.idHash()).isNull();
    assertThat(op.candidateId()).isNull();
  }

  @Test
  void mergeRefusesAMissingProfile() {
    assertThatThrownBy(() -> at(NOW).merge("P1", "P404", AUDIT))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("no profile P404")
        .hasMessageContaining("profiles");
  }

  @Test
  void mergeRefusesTheSameProfileTwice() {
    assertThatThrownBy(() -> at(NOW).merge("P1", "P1", AUDIT))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("two different profiles")
        .hasMessageContaining("P1 twice");
  }

  @Test
  void unmergeWithinTheWindowIsRecorded() {
    ManualOperation op = at(NOW).unmerge("mrg_open", 30, AUDIT);
    assertThat(op.operation()).isEqualTo("unmerge");
    assertThat(op.mergeId()).isEqualTo("mrg_open");
    assertThat(op.profileIds()).isEmpty();
    assertThat(op.anchorRecords()).isEmpty();
    assertThat(op.candidateId()).isNull();
  }

  @Test
  void unmergeRefusesAnUnknownMerge() {
    assertThatThrownBy(() -> at(NOW).unmerge("mrg_nope", 30, AUDIT))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("no merge mrg_nope in")
        .hasMessageContaining("merge_history");
  }

  @Test
  void unmergeRefusesOnceTheWindowClosed() {
    Instant justBefore = OpsFixture.OPEN_UNTIL.minusSeconds(1);
    assertThat(at(justBefore).unmerge("mrg_open", 30, AUDIT).mergeId()).isEqualTo("mrg_open");

    Instant justAfter = OpsFixture.OPEN_UNTIL.plusSeconds(1);
    assertThatThrownBy(() -> at(justAfter).unmerge("mrg_open", 30, AUDIT))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("merge mrg_open was made at " + OpsFixture.OPEN_MERGED_AT)
        .hasMessageContaining("its undo window closed at " + OpsFixture.OPEN_UNTIL)
        .hasMessageContaining("(history.reversible_days = 30)");
    assertThatThrownBy(() -> at(NOW).unmerge("mrg_closed", 30, AUDIT))
        .hasMessageContaining("undo window closed at 2024-01-31T10:00:00Z");
  }

  @Test
  void unmergeRefusesAMergeWithoutSnapshot() {
    assertThatThrownBy(() -> at(NOW).unmerge("mrg_first_night", 30, AUDIT))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("formed a new profile from source records on their first night")
        .hasMessageContaining("no earlier profile to restore")
        .hasMessageContaining("block")
        .hasMessageContaining("rules.do_not_link_pairs");
  }

  @Test
  void unmergeTreatsAMissingSnapshotTableAsEmpty() throws Exception {
    own();
    deleteTree(Path.of(out, "merge_snapshots"));
    assertThatThrownBy(() -> at(NOW).unmerge("mrg_open", 30, AUDIT))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("no earlier profile to restore");
  }

  @Test
  void unmergeRefusesADuplicate() {
    assertThatThrownBy(() -> at(NOW).unmerge("mrg_undone", 30, AUDIT))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("an unmerge of mrg_undone is already recorded")
        .hasMessageContaining("by bob");
  }

  @Test
  void blockLooksTheTypeUpByHash() {
    ManualOperation op = at(NOW).block(null, OpsFixture.EMAIL_HASH, AUDIT);
    assertThat(op.operation()).isEqualTo("block");
    assertThat(op.idType()).isEqualTo("email");
    assertThat(op.idHash()).isEqualTo(OpsFixture.EMAIL_HASH);
    assertThat(op.profileIds()).isEmpty();
    assertThat(op.anchorRecords()).isEmpty();
    // Seen under one type in two profiles: still one type.
    assertThat(at(NOW).block(null, OpsFixture.DEVICE_HASH, AUDIT).idType()).isEqualTo("device_id");
  }

  @Test
  void blockRefusesAnUnknownOrAmbiguousHashWithoutType() {
    String unknown = "d".repeat(64);
    assertThatThrownBy(() -> at(NOW).block(null, unknown, AUDIT))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("no identifier with hash " + unknown)
        .hasMessageContaining("--id-type");
    assertThatThrownBy(() -> at(NOW).block(null, OpsFixture.AMBIGUOUS_HASH, AUDIT))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("several types (phone, user_id)");
    // With the type given, a hash the last run never saw can be blocked ahead of time.
    assertThat(at(NOW).block("user_id", unknown, AUDIT).idType()).isEqualTo("user_id");
  }

  @Test
  void blockRefusesADuplicate() {
    assertThatThrownBy(() -> at(NOW).block("user_id", OpsFixture.BLOCKED_HASH, AUDIT))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("a block of user_id eeeeeeeeeeee… is already recorded")
        .hasMessageContaining("by bob");
    // The same hash under another type is another identifier.
    assertThat(at(NOW).block("email", OpsFixture.BLOCKED_HASH, AUDIT).idType()).isEqualTo("email");
  }

  @Test
  void approveAnchorsBothDeterministicProfiles() {
    ManualOperation op = at(NOW).review("approve", "cand_pending", AUDIT);
    assertThat(op.operation()).isEqualTo("approve");
    assertThat(op.candidateId()).isEqualTo("cand_pending");
    assertThat(op.profileIds()).containsExactly("D1", "D2");
    assertThat(op.anchorRecords())
        .containsExactly(new AnchorRecord("crm", "c1"), new AnchorRecord("crm", "c7"));
    ManualOperation refused = at(NOW).review("approve", "cand_refused", AUDIT);
    assertThat(refused.anchorRecords())
        .containsExactly(new AnchorRecord("crm", "c1"), new AnchorRecord("web", "w1"));
  }

  @Test
  void rejectIsForPendingAndMergedPairs() {
    ManualOperation op = at(NOW).review("reject", "cand_merged", AUDIT);
    assertThat(op.profileIds()).containsExactly("D3", "D4");
    assertThat(op.anchorRecords())
        .containsExactly(new AnchorRecord("web", "w1"), new AnchorRecord("web", "w2"));
    assertThat(at(NOW).review("reject", "cand_pending", AUDIT).operation()).isEqualTo("reject");
  }

  @Test
  void reviewRefusesTheWrongStatus() {
    assertThatThrownBy(() -> at(NOW).review("approve", "cand_merged", AUDIT))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("candidate cand_merged is merged")
        .hasMessageContaining("approve applies only to pending or refused candidates");
    assertThatThrownBy(() -> at(NOW).review("reject", "cand_refused", AUDIT))
        .hasMessageContaining("reject applies only to merged or pending candidates");
    assertThatThrownBy(() -> at(NOW).review("approve", "cand_joined", AUDIT))
        .hasMessageContaining("is already_joined");
  }

  @Test
  void reviewRefusesAnUnknownCandidate() {
    assertThatThrownBy(() -> at(NOW).review("approve", "cand_nope", AUDIT))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("no candidate cand_nope in")
        .hasMessageContaining("review --list");
  }

  @Test
  void reviewRefusesTheSameDecisionTwiceButAllowsAChange() {
    assertThatThrownBy(() -> at(NOW).review("approve", "cand_pending2", AUDIT))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("candidate cand_pending2 is already approved")
        .hasMessageContaining("by bob");
    assertThat(at(NOW).review("reject", "cand_pending2", AUDIT).operation()).isEqualTo("reject");
  }

  @Test
  void pendingListsTheMostProbableFirst() {
    List<Row> pending = at(NOW).pending(50);
    assertThat(pending)
        .extracting(r -> r.getString(0))
        .containsExactly("cand_pending2", "cand_pending");
    assertThat(pending.get(0).getDouble(1)).isEqualTo(0.81);
    assertThat(pending.get(0).getString(2)).isEqualTo("D2");
    assertThat(pending.get(0).getString(3)).isEqualTo("D4");
    assertThat(at(NOW).pending(1)).hasSize(1);
  }

  @Test
  void aMissingTableIsNamed() throws Exception {
    own();
    deleteTree(Path.of(out, "profiles"));
    assertThatThrownBy(() -> at(NOW).merge("P1", "P2", AUDIT))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("No profiles Delta table at " + Path.of(out, "profiles"));
  }

  @Test
  void blankActorOrReasonIsRefused() {
    assertThatThrownBy(() -> new Audit("  ", "why"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("--actor is required");
    assertThatThrownBy(() -> new Audit("alice", null))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("--reason is required");
  }

  private static void deleteTree(Path root) throws Exception {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
