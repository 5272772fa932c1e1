package io.idgraph.scoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.schema.Cols;
import io.idgraph.testing.CanonicalRecords;
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
import org.junit.jupiter.api.Test;

/** Profile signals, blocking with its skew guard, and comparison vectors, on real Spark. */
@SparkTest
class BlockingAndLevelsTest {

  /** A web record of a profile: "fingerprint=fp-mac ip24=n24 ip16=n16", campaign, referrer, name. */
  static Row event(
      String profile, String id, String time, String ids, String signals,
      String campaign, String referrer, String first, String last) {
    List<Row> idRows = new ArrayList<>();
    for (String spec : ids.isBlank() ? new String[0] : ids.split("\\s+")) {
      String[] kv = spec.split("=", 2);
      idRows.add(RowFactory.create(kv[0], kv[1]));
    }
    List<Row> signalRows = new ArrayList<>();
    for (String spec : signals.split("\\s+")) {
      String[] kv = spec.split("=", 2);
      signalRows.add(RowFactory.create(kv[0], kv[1]));
    }
    Map<String, String> traits = new HashMap<>();
    if (first != null) {
      traits.put(Cols.FIRST_NAME, first);
      traits.put(Cols.LAST_NAME, last);
    }
    Map<String, String> attributes = new HashMap<>();
    attributes.put("type", "page");
    if (campaign != null) {
      attributes.put("campaign_name", campaign);
    }
    if (referrer != null) {
      attributes.put("referrer", referrer);
    }
    return RowFactory.create(
        "web", id, Timestamp.from(Instant.parse(time)), idRows, traits, signalRows, attributes,
        profile, "web.jsonl");
  }

  static Dataset<Row> assigned(SparkSession spark, Row... rows) {
    // The entity column stands in for the profile id here.
    return CanonicalRecords.of(spark, rows).withColumn(Cols.PROFILE_ID, col(Cols.ENTITY));
  }

  private Dataset<Row> fixture(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    rows.add(event("p1", "m1", "2026-03-01T10:00:00Z", "user_id=u-ann anonymous_id=a-mac",
        "fingerprint=fp-mac ip24=n24-home ip16=n16-home", "spring", "https://www.Google.com/search?q=ann%40x.com",
        "Ann", "Lee"));
    rows.add(event("p1", "m2", "2026-03-01T10:05:00Z", "anonymous_id=a-mac",
        "fingerprint=fp-mac ip24=n24-home ip16=n16-home", null, null, null, null));
    rows.add(event("p2", "m3", "2026-03-01T10:08:00Z", "anonymous_id=a-phone",
        "fingerprint=fp-iphone ip24=n24-home ip16=n16-home", "spring", null, null, null));
    for (int i = 4; i <= 7; i++) {
      rows.add(event("p" + i, "m" + i * 10, "2026-0" + i + "-01T00:00:00Z", "anonymous_id=a-" + i,
          "fingerprint=fp-popular ip24=n24-" + i + " ip16=n16-" + i, null, null, null, null));
    }
    return assigned(spark, rows.toArray(Row[]::new));
  }

  @Test
  void profileSignalsCollectSetsTimesNamesAndOnlyTheReferrerHost(SparkSession spark) {
    Row p1 = ProfileSignals.of(fixture(spark)).where(col(Cols.PROFILE_ID).equalTo("p1")).first();
    assertThat(p1.<String>getList(p1.fieldIndex(ProfileSignals.FINGERPRINTS))).containsExactly("fp-mac");
    assertThat(p1.<String>getList(p1.fieldIndex(ProfileSignals.REFERRERS))).containsExactly("www.google.com");
    assertThat(p1.<String>getList(p1.fieldIndex(ProfileSignals.CAMPAIGNS))).containsExactly("spring");
    assertThat((String) p1.getAs(Cols.FIRST_NAME)).isEqualTo("Ann");
    assertThat((Boolean) p1.getAs(ProfileSignals.IDENTIFIED)).isTrue();
    assertThat(((Timestamp) p1.getAs(Cols.LAST_SEEN)).toInstant()).isEqualTo(Instant.parse("2026-03-01T10:05:00Z"));
    assertThat(p1.<Timestamp>getList(p1.fieldIndex(ProfileSignals.ACTIVITY)))
        .extracting(Timestamp::toInstant)
        .containsExactly(Instant.parse("2026-03-01T10:00:00Z"), Instant.parse("2026-03-01T10:05:00Z"));
  }

  @Test
  void blockingPairsProfilesSharingAKeyAndSkipsKeysHeldByTooMany(SparkSession spark) {
    Dataset<Row> keys = Blocking.keys(fixture(spark));
    assertThat(keys.where(col(Cols.PROFILE_ID).equalTo("p1")).select(Blocking.KEY).collectAsList())
        .extracting(r -> r.getString(0))
        .containsExactlyInAnyOrder(
            "fp:fp-mac", "ip24:n24-home:2026-03-01", "campaign:spring:2026-03-01T10:00", "name:lee:a");
    List<Row> pairs = Blocking.candidates(keys, 3).collectAsList();
    assertThat(pairs).hasSize(1);
    Row pair = pairs.get(0);
    assertThat(pair.getString(0) + "-" + pair.getString(1)).isEqualTo("p1-p2");
    assertThat(pair.<String>getList(2))
        .containsExactly("campaign:spring:2026-03-01T10:00", "ip24:n24-home:2026-03-01");
    Row skipped = Blocking.skipped(keys, 3).first();
    assertThat(skipped.getString(0)).isEqualTo("fp:fp-popular");
    assertThat(skipped.getLong(1)).isEqualTo(4L);
    // With a bigger block limit the popular laptop pairs all four profiles: 6 more pairs.
    assertThat(Blocking.candidates(keys, 4).count()).isEqualTo(7L);
  }

  @Test
  void comparisonVectorOfASecondDeviceOnTheSameHomeNetwork(SparkSession spark) {
    Dataset<Row> assigned = fixture(spark);
    Dataset<Row> levels =
        PairLevels.of(Blocking.candidates(Blocking.keys(assigned), 3), ProfileSignals.of(assigned));
    Row pair = levels.where(col(Blocking.A).equalTo(lit("p1"))).first();
    // different fingerprint, 3 minutes apart, same /24, same campaign, no name on the phone
    assertThat(pair.<Integer>getList(pair.fieldIndex(PairLevels.GAMMA)))
        .containsExactly(1, 0, 0, 0, Comparisons.NULL, Comparisons.NULL);
  }
}
