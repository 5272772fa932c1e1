package io.idgraph.scoring;

import static org.apache.spark.sql.functions.*;

import io.idgraph.normalize.IdType;
import io.idgraph.schema.Cols;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Candidate pairs by blocking, never all pairs: two profiles are compared only if they share a
 * blocking key. Keys: a device fingerprint; an IP /24 on the same day; a campaign in the same ten minutes; a
 * name key (last name and first initial). A key shared by more than {@code maxBlockSize} profiles (an
 * office IP, the most popular laptop, a big campaign) would make pairs quadratically and says little
 * anyway: it is skipped and reported, so the work stays linear in the data.
 */
public final class Blocking {
  public static final String KEY = "block_key";
  public static final String PROFILES = "profiles";
  public static final String A = Cols.PROFILE_A;
  public static final String B = Cols.PROFILE_B;
  public static final String KEYS = "keys";

  private Blocking() {}

  /** (profile_id, block_key) for every key of every record, deduplicated. */
  public static Dataset<Row> keys(Dataset<Row> assigned) {
    String s = Cols.INTERNAL_PREFIX + "s";
    Column day = date_format(col(Cols.EVENT_TIME), "yyyy-MM-dd");
    // Ten-minute windows: a campaign click and a cookie that appears minutes later on another device.
    Column window =
        concat(
            date_format(col(Cols.EVENT_TIME), "yyyy-MM-dd'T'HH:"),
            floor(minute(col(Cols.EVENT_TIME)).divide(10)),
            lit("0"));
    Dataset<Row> signalKeys =
        assigned
            .select(col(Cols.PROFILE_ID), day.as("day"), explode(col(Cols.SIGNALS)).as(s))
            .select(
                col(Cols.PROFILE_ID),
                when(col(s).getField(Cols.SIGNAL_TYPE).equalTo(IdType.FINGERPRINT),
                        concat(lit("fp:"), col(s).getField(Cols.SIGNAL_HASH)))
                    .when(col(s).getField(Cols.SIGNAL_TYPE).equalTo(IdType.IP24).and(col("day").isNotNull()),
                        concat(lit("ip24:"), col(s).getField(Cols.SIGNAL_HASH), lit(":"), col("day")))
                    .as(KEY));
    Column campaign = col(Cols.ATTRIBUTES).getItem("campaign_name");
    Dataset<Row> campaignKeys =
        assigned.select(
            col(Cols.PROFILE_ID),
            when(campaign.isNotNull().and(window.isNotNull()),
                    concat(lit("campaign:"), lower(campaign), lit(":"), window))
                .as(KEY));
    Column first = lower(trim(col(Cols.TRAITS).getItem(Cols.FIRST_NAME)));
    Column last = lower(trim(col(Cols.TRAITS).getItem(Cols.LAST_NAME)));
    Dataset<Row> nameKeys =
        assigned.select(
            col(Cols.PROFILE_ID),
            when(first.notEqual("").and(last.notEqual("")),
                    concat(lit("name:"), last, lit(":"), substring(first, 1, 1)))
                .as(KEY));
    return signalKeys.unionByName(campaignKeys).unionByName(nameKeys).where(col(KEY).isNotNull()).distinct();
  }

  /** Keys held by more than {@code maxBlockSize} profiles: block_key, profiles. */
  public static Dataset<Row> skipped(Dataset<Row> keys, int maxBlockSize) {
    return keys.groupBy(KEY).agg(count(lit(1)).as(PROFILES)).where(col(PROFILES).gt(maxBlockSize));
  }

  /**
   * Distinct candidate pairs (profile_a &lt; profile_b) and the blocking keys they share, from keys
   * held by 2 to {@code maxBlockSize} profiles.
   */
  public static Dataset<Row> candidates(Dataset<Row> keys, int maxBlockSize) {
    Dataset<Row> usable =
        keys.join(skipped(keys, maxBlockSize).select(KEY), new String[] {KEY}, "left_anti");
    Dataset<Row> left = usable.select(col(KEY), col(Cols.PROFILE_ID).as(A));
    Dataset<Row> right = usable.select(col(KEY).as("_k"), col(Cols.PROFILE_ID).as(B));
    return left.join(right, col(KEY).equalTo(col("_k")).and(col(A).lt(col(B))))
        .groupBy(A, B)
        .agg(array_sort(collect_set(col(KEY))).as(KEYS));
  }
}
