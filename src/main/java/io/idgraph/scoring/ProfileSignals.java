package io.idgraph.scoring;

import static org.apache.spark.sql.functions.*;

import io.idgraph.normalize.IdType;
import io.idgraph.schema.Cols;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What probabilistic scoring knows about each deterministic profile: its device fingerprints and IP
 * prefixes (hashed, as the normalizer stores them), when it was active, its campaigns and referring
 * sites, its most recent name, and whether it is identified (holds an email, phone, user id or
 * external id). One row per profile. Pure function of records that carry their profile id.
 */
public final class ProfileSignals {
  public static final String FINGERPRINTS = "fingerprints";
  public static final String IP24S = "ip24s";
  public static final String IP16S = "ip16s";
  public static final String CAMPAIGNS = "campaigns";
  public static final String REFERRERS = "referrers";
  public static final String IDENTIFIED = "identified";
  private static final String SHARED = Cols.INTERNAL_PREFIX + "shared";
  public static final String EMAIL_LOCALS = "email_locals";
  public static final String PHONE_TAILS = "phone_tails";
  /** Distinct event times, sorted, at most {@link #MAX_ACTIVITY} (the most recent). */
  public static final String ACTIVITY = "activity";
  static final int MAX_ACTIVITY = 500;

  private ProfileSignals() {}

  private static Column signalsOf(String type) {
    return filter(col(Cols.SIGNALS), s -> s.getField(Cols.SIGNAL_TYPE).equalTo(type));
  }

  private static Column hashes(String type) {
    return array_distinct(
        flatten(collect_set(transform(signalsOf(type), s -> s.getField(Cols.SIGNAL_HASH)))));
  }

  /** Referrer host only: paths and query strings can carry identifiers and never reach scoring. */
  static Column referrerHost(Column referrer) {
    return lower(
        regexp_extract(coalesce(referrer, lit("")), "^[a-zA-Z][a-zA-Z0-9+.-]*://([^/?#:]+)", 1));
  }

  public static Dataset<Row> of(Dataset<Row> assigned) {
    Column name =
        when(
            col(Cols.TRAITS).getItem(Cols.FIRST_NAME).isNotNull()
                .and(col(Cols.TRAITS).getItem(Cols.LAST_NAME).isNotNull()),
            struct(
                col(Cols.EVENT_TIME).as("t"),
                col(Cols.TRAITS).getItem(Cols.FIRST_NAME).as(Cols.FIRST_NAME),
                col(Cols.TRAITS).getItem(Cols.LAST_NAME).as(Cols.LAST_NAME)));
    Column host = referrerHost(col(Cols.ATTRIBUTES).getItem("referrer"));
    Column identified =
        exists(
            col(Cols.IDENTIFIERS),
            id ->
                id.getField(Cols.ID_TYPE).isin(IdType.EMAIL, IdType.PHONE, IdType.USER_ID)
                    .or(id.getField(Cols.ID_TYPE).startsWith(IdType.EXTERNAL_ID_PREFIX)));
    return assigned
        .groupBy(Cols.PROFILE_ID)
        .agg(
            hashes(IdType.FINGERPRINT).as(FINGERPRINTS),
            hashes(IdType.IP24).as(IP24S),
            hashes(IdType.IP16).as(IP16S),
            hashes(IdType.EMAIL_LOCAL).as(EMAIL_LOCALS),
            hashes(IdType.PHONE_TAIL).as(PHONE_TAILS),
            min(Cols.EVENT_TIME).as(Cols.FIRST_SEEN),
            max(Cols.EVENT_TIME).as(Cols.LAST_SEEN),
            array_sort(collect_set(col(Cols.ATTRIBUTES).getItem("campaign_name"))).as(CAMPAIGNS),
            array_sort(collect_set(when(host.notEqual(""), host))).as(REFERRERS),
            max(name).as("name"),
            max(identified).as(IDENTIFIED),
            array_sort(collect_set(col(Cols.EVENT_TIME))).as("_times"))
        .select(
            col(Cols.PROFILE_ID),
            col(FINGERPRINTS),
            col(IP24S),
            col(IP16S),
            col(EMAIL_LOCALS),
            col(PHONE_TAILS),
            col(Cols.FIRST_SEEN),
            col(Cols.LAST_SEEN),
            col(CAMPAIGNS),
            col(REFERRERS),
            col("name").getField(Cols.FIRST_NAME).as(Cols.FIRST_NAME),
            col("name").getField(Cols.LAST_NAME).as(Cols.LAST_NAME),
            col(IDENTIFIED),
            // A profile with years of events keeps its latest ones: resets and new devices are recent.
            when(size(col("_times")).gt(MAX_ACTIVITY),
                    slice(col("_times"), -MAX_ACTIVITY, MAX_ACTIVITY))
                .otherwise(col("_times"))
                .as(ACTIVITY));
  }

  /** Values of {@code column} (a set of hashes per profile) held by more than {@code maxProfiles} profiles. */
  public static Dataset<Row> sharedValues(Dataset<Row> signals, String column, long maxProfiles) {
    return signals
        .select(explode(col(column)).as(SHARED))
        .groupBy(SHARED)
        .count()
        .where(col("count").gt(maxProfiles))
        .select(SHARED);
  }

  /**
   * Removes {@code shared} values (from {@link #sharedValues}) from {@code column}. An IP /24 that
   * hundreds of profiles were seen from is an office, a campus or a carrier's NAT: two people behind it
   * share it as easily as one person does, so it is no evidence, whatever its frequency weight.
   */
  public static Dataset<Row> withoutShared(Dataset<Row> signals, String column, Dataset<Row> shared) {
    String p = Cols.INTERNAL_PREFIX + "p";
    Dataset<Row> kept =
        signals
            .select(col(Cols.PROFILE_ID).as(p), explode(col(column)).as(SHARED))
            .join(shared, new String[] {SHARED}, "left_anti")
            .groupBy(p)
            .agg(array_sort(collect_set(col(SHARED))).as(SHARED));
    return signals
        .join(kept, col(Cols.PROFILE_ID).equalTo(col(p)), "left")
        .withColumn(column, coalesce(col(SHARED), array().cast("array<string>")))
        .drop(p, SHARED);
  }
}
