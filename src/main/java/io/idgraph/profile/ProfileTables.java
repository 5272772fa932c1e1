package io.idgraph.profile;

import static org.apache.spark.sql.functions.*;

import io.idgraph.config.SurvivorshipConfig;
import io.idgraph.normalize.IdType;
import io.idgraph.schema.Cols;
import io.idgraph.scoring.ScoredLinks;
import io.idgraph.scoring.ScoringModel;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Builds the profile-level output tables from records that carry their profile id. Pure functions; the
 * column sets match {@link io.idgraph.sink.OutputTables}.
 *
 * <p>Survivorship: each trait takes the value its configured strategy picks among the profile's
 * non-empty values (default most recent), and {@code trait_sources} says which record it came from;
 * see {@link Survivorship}. State: {@code known} when the profile holds an identifier that names a
 * person (email, phone, user id, external id), {@code anonymous} when it holds only anonymous ids, device ids or push
 * endpoints, {@code unified} when it holds both (a known person with anonymous history).
 */
public final class ProfileTables {
  /** Profile traits, in column order; email_consent comes from the email tool's subscriber status. */
  public static final List<String> TRAITS =
      List.of(
          Cols.FIRST_NAME, Cols.LAST_NAME, Cols.COMPANY, Cols.CITY, Cols.COUNTRY, Cols.EMAIL_CONSENT);

  private static final String ID = Cols.INTERNAL_PREFIX + "id";
  private static final String PID = Cols.INTERNAL_PREFIX + "profile_id";
  private static final String TPID = Cols.INTERNAL_PREFIX + "trait_profile_id";

  private ProfileTables() {}

  /**
   * source, record_id, profile_id, deterministic_profile_id (the profile from deterministic links
   * alone, before probabilistic links joined some), event_time, identifiers (hashed), signals,
   * run_id: every accepted record exactly once.
   */
  public static Dataset<Row> recordProfiles(Dataset<Row> records, String runId) {
    return records.select(
        col(Cols.SOURCE),
        col(Cols.RECORD_ID),
        col(Cols.PROFILE_ID),
        deterministicProfileId(records).as(ScoredLinks.DETERMINISTIC_PROFILE_ID),
        col(Cols.EVENT_TIME),
        col(Cols.IDENTIFIERS),
        col(Cols.SIGNALS),
        lit(runId).as(Cols.RUN_ID));
  }

  private static boolean has(Dataset<Row> records, String column) {
    return java.util.Arrays.asList(records.columns()).contains(column);
  }

  private static Column deterministicProfileId(Dataset<Row> records) {
    return has(records, ScoredLinks.DETERMINISTIC_PROFILE_ID)
        ? col(ScoredLinks.DETERMINISTIC_PROFILE_ID)
        : col(Cols.PROFILE_ID);
  }

  /**
   * One row per identifier of a profile, with when and where it was seen and how it is linked:
   * link_method deterministic (confidence 1) for identifiers of the profile's anchor part, probabilistic
   * with the link's probability (confidence) and per-signal contributions (link_signals) for
   * identifiers that joined through a scored pair (see {@link ScoredLinks#withLinkConfidence}).
   */
  public static Dataset<Row> identityLinks(Dataset<Row> records, String runId) {
    Column confidence =
        has(records, ScoredLinks.LINK_CONFIDENCE)
            ? coalesce(col(ScoredLinks.LINK_CONFIDENCE), lit(1.0))
            : lit(1.0);
    Column signals =
        has(records, ScoredLinks.LINK_SIGNALS)
            ? col(ScoredLinks.LINK_SIGNALS)
            : lit(null).cast("map<string,double>");
    return records
        .select(
            col(Cols.PROFILE_ID),
            col(Cols.SOURCE),
            col(Cols.EVENT_TIME),
            struct(confidence.as("c"), signals.as("s")).as("_link"),
            explode(col(Cols.IDENTIFIERS)).as(ID))
        .groupBy(
            col(Cols.PROFILE_ID),
            col(ID).getField(Cols.ID_TYPE).as(Cols.ID_TYPE),
            col(ID).getField(Cols.ID_HASH).as(Cols.ID_HASH))
        .agg(
            min(Cols.EVENT_TIME).as(Cols.FIRST_SEEN),
            max(Cols.EVENT_TIME).as(Cols.LAST_SEEN),
            count(lit(1)).as(Cols.RECORD_COUNT),
            array_sort(collect_set(Cols.SOURCE)).as(Cols.SOURCES),
            max_by(col("_link"), col("_link").getField("c")).as("_link"))
        .withColumn(
            Cols.LINK_METHOD,
            when(col("_link").getField("c").lt(1.0), lit("probabilistic")).otherwise(lit("deterministic")))
        .withColumn(Cols.CONFIDENCE, col("_link").getField("c"))
        .withColumn(ScoredLinks.LINK_SIGNALS, col("_link").getField("s"))
        .drop("_link")
        .withColumn(Cols.RUN_ID, lit(runId));
  }

  /**
   * One row per profile: state, identifier counts by type, surviving traits (by {@code survivorship})
   * with their trait_sources, span, sources.
   */
  public static Dataset<Row> profiles(
      Dataset<Row> records, Dataset<Row> links, SurvivorshipConfig survivorship, String runId) {
    Dataset<Row> fromRecords =
        records
            .groupBy(Cols.PROFILE_ID)
            .agg(
                min(Cols.EVENT_TIME).as(Cols.FIRST_SEEN),
                max(Cols.EVENT_TIME).as(Cols.LAST_SEEN),
                array_sort(collect_set(Cols.SOURCE)).as(Cols.SOURCES),
                count(lit(1)).as(Cols.RECORD_COUNT));
    Dataset<Row> traits =
        Survivorship.survivingTraits(records, survivorship).withColumnRenamed(Cols.PROFILE_ID, TPID);

    Column known = col(Cols.ID_TYPE).isin(IdType.EMAIL, IdType.PHONE, IdType.USER_ID)
        .or(col(Cols.ID_TYPE).startsWith(IdType.EXTERNAL_ID_PREFIX));
    Column anonymous =
        col(Cols.ID_TYPE).isin(IdType.ANONYMOUS_ID, IdType.DEVICE_ID, IdType.PUSH_ENDPOINT);
    Dataset<Row> byType =
        links
            .withColumnRenamed(Cols.PROFILE_ID, PID)
            .groupBy(PID, Cols.ID_TYPE)
            .agg(count(lit(1)).as("n"), max(known).as("k"), max(anonymous).as("a"))
            .groupBy(PID)
            .agg(
                map_from_entries(array_sort(collect_list(struct(col(Cols.ID_TYPE), col("n")))))
                    .as(Cols.IDENTIFIER_COUNTS),
                max("k").as("_known"),
                max("a").as("_anonymous"));
    Column state =
        when(col("_known").and(col("_anonymous")), lit("unified"))
            .when(col("_known"), lit("known"))
            .otherwise(lit("anonymous"));
    Column[] out = new Column[TRAITS.size() + 9];
    out[0] = col(Cols.PROFILE_ID);
    out[1] = state.as(Cols.STATE);
    out[2] =
        coalesce(col(Cols.IDENTIFIER_COUNTS), map().cast("map<string,bigint>"))
            .as(Cols.IDENTIFIER_COUNTS);
    for (int i = 0; i < TRAITS.size(); i++) {
      out[3 + i] = col(TRAITS.get(i));
    }
    int k = 3 + TRAITS.size();
    out[k] =
        coalesce(col(Cols.TRAIT_SOURCES), map().cast(Survivorship.TRAIT_SOURCES_TYPE))
            .as(Cols.TRAIT_SOURCES);
    out[k + 1] = col(Cols.FIRST_SEEN);
    out[k + 2] = col(Cols.LAST_SEEN);
    out[k + 3] = col(Cols.SOURCES);
    out[k + 4] = col(Cols.RECORD_COUNT);
    out[k + 5] = lit(runId).as(Cols.RUN_ID);
    return fromRecords
        .join(byType, col(Cols.PROFILE_ID).equalTo(col(PID)), "left")
        .join(traits, col(Cols.PROFILE_ID).equalTo(col(TPID)), "left")
        .withColumn("_known", coalesce(col("_known"), lit(false)))
        .withColumn("_anonymous", coalesce(col("_anonymous"), lit(false)))
        .select(out);
  }

  /**
   * One deterministic merge per deterministic profile that joins two or more source entities (a CRM
   * contact, a subscriber, a user id, an anonymous id, a ticket requester), surviving as the profile
   * it is part of. On a first run the merged "profiles" are those entities; signals are the
   * identifier types that two or more of them share. Probabilistic merges are added by {@link
   * #probabilisticMerges}.
   */
  public static Dataset<Row> mergeHistory(
      Dataset<Row> records, String runId, Instant mergedAt, int reversibleDays) {
    Column part = deterministicProfileId(records);
    Dataset<Row> entities =
        records
            .groupBy(part.as("_part"))
            .agg(
                max(col(Cols.PROFILE_ID)).as(Cols.PROFILE_ID),
                array_sort(collect_set(Cols.ENTITY)).as("merged"))
            .where(size(col("merged")).geq(2));
    Dataset<Row> signals =
        records
            .select(part.as("_part"), col(Cols.ENTITY), explode(col(Cols.IDENTIFIERS)).as(ID))
            .groupBy(col("_part"), col(ID))
            .agg(countDistinct(Cols.ENTITY).as("entities"))
            .where(col("entities").geq(2))
            .groupBy(col("_part").as(PID))
            .agg(array_sort(collect_set(col(ID).getField(Cols.ID_TYPE))).as(Cols.SIGNALS));
    Timestamp at = Timestamp.from(mergedAt);
    Timestamp until = Timestamp.from(mergedAt.plus(Duration.ofDays(reversibleDays)));
    Column sig = coalesce(col(Cols.SIGNALS), array().cast("array<string>"));
    return entities
        .join(signals, col("_part").equalTo(col(PID)), "left")
        .select(
            concat(lit("mrg_"), substring(sha2(concat_ws("|", lit(runId), col("_part")), 256), 1, 24))
                .as(Cols.MERGE_ID),
            lit(runId).as(Cols.RUN_ID),
            lit("merge").as(Cols.EVENT),
            lit(at).as(Cols.MERGED_AT),
            col(Cols.PROFILE_ID).as(Cols.SURVIVING_PROFILE_ID),
            col("merged").as(Cols.MERGED_PROFILE_IDS),
            lit(null).cast("array<string>").as(Cols.SPLIT_PROFILE_IDS),
            sig.as(Cols.SIGNALS),
            lit("deterministic").as(Cols.METHOD),
            lit(null).cast("double").as(ScoringModel.PROBABILITY),
            lit("system").as("actor"),
            concat(lit("shared identifiers: "), concat_ws(", ", sig)).as("reason"),
            lit(until).as("reversible_until"));
  }

  /**
   * One probabilistic merge per merged pair of merge_candidates: the two deterministic profiles it
   * joined, the signals that spoke for it (positive contributions) and, as the reason, its probability
   * and every signal's weight.
   */
  public static Dataset<Row> probabilisticMerges(
      Dataset<Row> mergeCandidates, String runId, Instant mergedAt, int reversibleDays) {
    Timestamp at = Timestamp.from(mergedAt);
    Timestamp until = Timestamp.from(mergedAt.plus(Duration.ofDays(reversibleDays)));
    Column contributions = col(ScoringModel.CONTRIBUTIONS);
    Column weights =
        concat_ws(
            ", ",
            transform(
                array_sort(
                    map_entries(contributions),
                    (x, y) -> when(abs(x.getField("value")).gt(abs(y.getField("value"))), lit(-1))
                        .when(abs(x.getField("value")).lt(abs(y.getField("value"))), lit(1))
                        .otherwise(lit(0))),
                e -> concat(e.getField("key"), lit(" "), format_number(e.getField("value"), 2))));
    return mergeCandidates
        .where(col(ScoredLinks.STATUS).equalTo(ScoredLinks.MERGED))
        .select(
            concat(lit("mrg_"), substring(sha2(concat_ws("|", lit(runId), col(Cols.CANDIDATE_ID)), 256), 1, 24))
                .as(Cols.MERGE_ID),
            lit(runId).as(Cols.RUN_ID),
            lit("merge").as(Cols.EVENT),
            lit(at).as(Cols.MERGED_AT),
            col(Cols.PROFILE_ID).as(Cols.SURVIVING_PROFILE_ID),
            array(col(Cols.PROFILE_A), col(Cols.PROFILE_B)).as(Cols.MERGED_PROFILE_IDS),
            lit(null).cast("array<string>").as(Cols.SPLIT_PROFILE_IDS),
            array_sort(
                    map_keys(map_filter(contributions, (k, v) -> k.notEqual("prior").and(v.gt(0)))))
                .as(Cols.SIGNALS),
            lit("probabilistic").as(Cols.METHOD),
            col(ScoringModel.PROBABILITY),
            lit("system").as("actor"),
            concat(
                    lit("probability "),
                    format_number(col(ScoringModel.PROBABILITY), 3),
                    lit(" (match weight "),
                    format_number(col(ScoringModel.MATCH_WEIGHT), 2),
                    lit("): "),
                    weights)
                .as("reason"),
            lit(until).as("reversible_until"));
  }
}
