package io.idgraph.scoring;

import static io.idgraph.scoring.BlockingAndLevelsTest.assigned;
import static io.idgraph.scoring.BlockingAndLevelsTest.event;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.idgraph.config.ScoringConfig;
import io.idgraph.schema.Cols;
import io.idgraph.testing.SparkTest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * From deterministic profiles to probabilistic links on small fixtures: labels from the deterministic
 * graph, scoring with a model fixed in config (so the arithmetic can be checked by hand), and what
 * becomes of each scored pair.
 */
@SparkTest
class ProbabilisticLinksScenarioTest {
  private static final String HOME = "fingerprint=fp-rare ip24=n24-home ip16=n16-home";
  private static final String OFFICE = "fingerprint=fp-popular ip24=n24-office ip16=n16-office";

  /**
   * known: a signed-in person; reset: the same browser 5 minutes later under a new cookie; four
   * co-workers behind one office IP with the same laptop model, active within minutes of each other;
   * four unrelated profiles that dilute how common each value is.
   */
  private static Dataset<Row> night(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    rows.add(event("known", "k1", "2026-03-01T10:00:00Z", "user_id=u-ann anonymous_id=a-1", HOME, null, null, "Ann", "Lee"));
    rows.add(event("reset", "r1", "2026-03-01T10:05:00Z", "anonymous_id=a-2", HOME, null, null, null, null));
    for (int i = 1; i <= 4; i++) {
      rows.add(event("office" + i, "o" + i, "2026-03-02T09:0" + i + ":00Z", "anonymous_id=a-o" + i, OFFICE,
          null, null, null, null));
    }
    for (int i = 1; i <= 4; i++) {
      rows.add(event("other" + i, "x" + i, "2026-0" + (i + 3) + "-01T00:00:00Z", "anonymous_id=a-x" + i,
          "fingerprint=fp-" + i + " ip24=n24-" + i + " ip16=n16-" + i, null, null, null, null));
    }
    return assigned(spark, rows.toArray(Row[]::new));
  }

  /** prior 0.05; same fingerprint and same /24 m 0.9 (u by term frequency here); closest activity within 30 min m 0.8, u 0.05. */
  private static ScoringConfig fixedModel() {
    Map<String, List<Double>> m = new HashMap<>();
    Map<String, List<Double>> u = new HashMap<>();
    m.put("fingerprint", List.of(0.9, 0.1));
    u.put("fingerprint", List.of(0.05, 0.95));
    m.put("session_gap", List.of(0.8, 0.1, 0.05, 0.05));
    u.put("session_gap", List.of(0.05, 0.05, 0.1, 0.8));
    m.put("ip_prefix", List.of(0.9, 0.05, 0.05));
    u.put("ip_prefix", List.of(0.01, 0.04, 0.95));
    m.put("referral", List.of(0.4, 0.3, 0.3));
    u.put("referral", List.of(0.2, 0.3, 0.5));
    m.put("name", List.of(0.7, 0.1, 0.1, 0.1));
    u.put("name", List.of(0.01, 0.01, 0.08, 0.9));
    m.put("contact_part", List.of(0.5, 0.3, 0.2));
    u.put("contact_part", List.of(0.01, 0.01, 0.98));
    return new ScoringConfig(true, 0.85, 0.60, 50, 1000, null, new ScoringConfig.FixedModel(0.05, m, u));
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  @Test
  void aResetBrowserMergesWhileOfficeCoworkersWaitForReviewBecauseTheirValuesAreCommon(SparkSession spark) {
    CandidateScoring.Scored scored = CandidateScoring.score(night(spark), fixedModel(), 42);
    try {
      assertThat(scored.trained()).isFalse();
      assertThat(scored.counts()).containsEntry("profiles", 10L).containsEntry("candidates", 7L);
      Map<String, Row> byPair = new HashMap<>();
      for (Row r : scored.pairs().collectAsList()) {
        byPair.put(r.getAs(Blocking.A) + "|" + r.getAs(Blocking.B), r);
      }
      // Two of ten profiles hold the home fingerprint and /24: each agreement weighs log2(0.9 / 0.2).
      Row reset = byPair.get("known|reset");
      double expected = log2(0.05 / 0.95) + 2 * log2(0.9 / 0.2) + log2(0.8 / 0.05);
      assertThat((Double) reset.getAs(ScoringModel.MATCH_WEIGHT)).isCloseTo(expected, within(1e-9));
      assertThat((Double) reset.getAs(ScoringModel.PROBABILITY)).isGreaterThan(0.85);
      assertThat(reset.<String, String>getJavaMap(reset.fieldIndex(CandidateScoring.LEVELS)))
          .containsEntry("fingerprint", "same")
          .containsEntry("session_gap", "within 30 min")
          .containsEntry("ip_prefix", "same /24");
      assertThat(reset.<String>getList(reset.fieldIndex(CandidateScoring.BLOCKING_KEYS)))
          .containsExactly("fingerprint", "ip24_day");
      // Four of ten hold the office values: the same agreements weigh log2(0.9 / 0.4) and the pair
      // lands in the review band instead of merging.
      Row office = byPair.get("office1|office2");
      double officeWeight = log2(0.05 / 0.95) + 2 * log2(0.9 / 0.4) + log2(0.8 / 0.05);
      assertThat((Double) office.getAs(ScoringModel.MATCH_WEIGHT)).isCloseTo(officeWeight, within(1e-9));
      assertThat((Double) office.getAs(ScoringModel.PROBABILITY)).isBetween(0.60, 0.85);
      assertThat(byPair).hasSize(7);
      assertThat(scored.counts()).containsEntry("pairs_above_threshold", 1L);
    } finally {
      io.idgraph.spark.Plans.release(scored.pairs());
    }
  }

  @Test
  void labelsAreCookiesOfOneDeterministicProfileThatShareADeviceKey(SparkSession spark) {
    Dataset<Row> records =
        assigned(
            spark,
            event("p1", "m1", "2026-03-01T10:00:00Z", "user_id=u-ann anonymous_id=a-old", HOME, null, null, null, null),
            event("p1", "m2", "2026-03-01T10:10:00Z", "user_id=u-ann anonymous_id=a-new", HOME, null, null, null, null),
            // p1's phone, seen days later on another network: no device key in common, no label
            event("p1", "m3", "2026-03-09T10:00:00Z", "user_id=u-ann anonymous_id=a-phone",
                "fingerprint=fp-phone ip24=n24-cell ip16=n16-cell", null, null, null, null),
            // someone else on the same home network: never a label
            event("p2", "m4", "2026-03-01T10:05:00Z", "anonymous_id=a-guest", HOME, null, null, null, null));
    List<Row> labels = ScoringModel.labelledPairs(records, 50).collectAsList();
    assertThat(labels).hasSize(1);
    Row label = labels.get(0);
    assertThat(label.getString(0) + " " + label.getString(1)).startsWith("p1|").contains(" p1|");
    assertThat(label.<Integer>getList(label.fieldIndex(PairLevels.GAMMA)).subList(0, 3)).containsExactly(0, 0, 0);
  }

  private static final StructType SCORED =
      new StructType()
          .add(Blocking.A, DataTypes.StringType)
          .add(Blocking.B, DataTypes.StringType)
          .add(CandidateScoring.BLOCKING_KEYS, DataTypes.createArrayType(DataTypes.StringType))
          .add(CandidateScoring.LEVELS, DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType))
          .add(ScoringModel.MATCH_WEIGHT, DataTypes.DoubleType)
          .add(ScoringModel.PROBABILITY, DataTypes.DoubleType)
          .add(ScoringModel.CONTRIBUTIONS, DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType));

  private static Row pair(String a, String b, double p) {
    double w = log2(p / (1 - p));
    return RowFactory.create(a, b, List.of("ip24_day"), Map.of("fingerprint", "same"), w, p,
        Map.of("prior", -10.0, "fingerprint", w + 10.0));
  }

  @Test
  void eachScoredPairEndsMergedRefusedPendingOrAlreadyJoinedAndCarriesItsConfidence(SparkSession spark) {
    Dataset<Row> scored =
        spark.createDataFrame(
            List.of(
                pair("prf_a", "prf_b", 0.97), // merged
                pair("prf_a", "prf_c", 0.90), // above the threshold, but a rule kept c apart
                pair("prf_b", "prf_d", 0.70), // review band, apart: pending
                pair("prf_a", "prf_e", 0.65), // review band, but e joined a through b: already joined
                pair("prf_b", "prf_e", 0.99)),
            SCORED);
    StructType mapSchema =
        new StructType()
            .add(ScoredLinks.DETERMINISTIC_PROFILE_ID, DataTypes.StringType)
            .add(Cols.PROFILE_ID, DataTypes.StringType);
    Dataset<Row> profileMap =
        spark.createDataFrame(
            List.of(
                RowFactory.create("prf_a", "prf_a"),
                RowFactory.create("prf_b", "prf_a"),
                RowFactory.create("prf_e", "prf_a"),
                RowFactory.create("prf_c", "prf_c"),
                RowFactory.create("prf_d", "prf_d")),
            mapSchema);
    StructType refusalSchema =
        new StructType()
            .add(Cols.ID_TYPE, DataTypes.StringType)
            .add(Cols.ID_HASH, DataTypes.StringType)
            .add(Cols.DETAIL, DataTypes.StringType);
    Dataset<Row> refusals =
        spark.createDataFrame(
            List.of(RowFactory.create("probabilistic", "prf_a|prf_c", "would put 2 user_id in one profile (limit 1)")),
            refusalSchema);
    Timestamp at = Timestamp.from(Instant.parse("2026-03-02T02:00:00Z"));
    Dataset<Row> candidates = ScoredLinks.mergeCandidates(scored, profileMap, refusals, 0.85, "run-1", at);
    Map<String, Row> byPair = new HashMap<>();
    for (Row r : candidates.collectAsList()) {
      byPair.put(r.getAs(Blocking.A) + "|" + r.getAs(Blocking.B), r);
    }
    assertThat((String) byPair.get("prf_a|prf_b").getAs(ScoredLinks.STATUS)).isEqualTo(ScoredLinks.MERGED);
    assertThat((String) byPair.get("prf_a|prf_c").getAs(ScoredLinks.STATUS)).isEqualTo(ScoredLinks.REFUSED);
    assertThat((String) byPair.get("prf_a|prf_c").getAs(Cols.REASON)).contains("limit 1");
    assertThat((String) byPair.get("prf_b|prf_d").getAs(ScoredLinks.STATUS)).isEqualTo(ScoredLinks.PENDING);
    assertThat((String) byPair.get("prf_b|prf_d").getAs(Cols.REASON)).isNull();
    assertThat((String) byPair.get("prf_a|prf_e").getAs(ScoredLinks.STATUS)).isEqualTo(ScoredLinks.ALREADY_JOINED);
    assertThat((String) byPair.get("prf_a|prf_b").getAs(Cols.CANDIDATE_ID)).startsWith("cnd_");

    // Records: a holds the email (the anchor, confidence 1); b and e carry their most probable
    // merged pair (b-e, 0.99), not a-b (0.97) nor the 0.65 pair that never merged.
    StructType recordSchema =
        new StructType()
            .add(Cols.PROFILE_ID, DataTypes.StringType)
            .add(ScoredLinks.DETERMINISTIC_PROFILE_ID, DataTypes.StringType)
            .add(Cols.IDENTIFIERS, DataTypes.createArrayType(
                new StructType().add(Cols.ID_TYPE, DataTypes.StringType).add(Cols.ID_HASH, DataTypes.StringType)));
    Dataset<Row> records =
        spark.createDataFrame(
            List.of(
                RowFactory.create("prf_a", "prf_a", List.of(RowFactory.create("email", "h-email"))),
                RowFactory.create("prf_a", "prf_b", List.of(RowFactory.create("anonymous_id", "h-b"))),
                RowFactory.create("prf_a", "prf_b", List.of(RowFactory.create("anonymous_id", "h-b"))),
                RowFactory.create("prf_a", "prf_e", List.of(RowFactory.create("anonymous_id", "h-e"))),
                RowFactory.create("prf_d", "prf_d", List.of(RowFactory.create("anonymous_id", "h-d")))),
            recordSchema);
    Map<String, Double> confidence = new HashMap<>();
    for (Row r : ScoredLinks.withLinkConfidence(records, candidates).collectAsList()) {
      confidence.put(r.getAs(ScoredLinks.DETERMINISTIC_PROFILE_ID), r.getAs(ScoredLinks.LINK_CONFIDENCE));
    }
    assertThat(confidence)
        .containsEntry("prf_a", 1.0)
        .containsEntry("prf_b", 0.99)
        .containsEntry("prf_e", 0.99)
        .containsEntry("prf_d", 1.0);

    List<Row> merges =
        io.idgraph.profile.ProfileTables.probabilisticMerges(candidates, "run-1", at.toInstant(), 30)
            .orderBy(col(ScoringModel.PROBABILITY))
            .collectAsList();
    assertThat(merges).hasSize(2);
    Row merge = merges.get(0);
    assertThat((String) merge.getAs(Cols.METHOD)).isEqualTo("probabilistic");
    assertThat((String) merge.getAs("surviving_profile_id")).isEqualTo("prf_a");
    assertThat(merge.<String>getList(merge.fieldIndex("merged_profile_ids"))).containsExactly("prf_a", "prf_b");
    assertThat(merge.<String>getList(merge.fieldIndex(Cols.SIGNALS))).containsExactly("fingerprint");
    assertThat((String) merge.getAs("reason")).startsWith("probability 0.970").contains("fingerprint");
  }
}
