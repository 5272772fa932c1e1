package io.idgraph.scoring;

import static org.apache.spark.sql.functions.*;

import io.idgraph.cluster.Atoms;
import io.idgraph.cluster.ProfileAssignment;
import io.idgraph.cluster.RuleAwareClustering;
import io.idgraph.normalize.IdType;
import io.idgraph.schema.Cols;
import java.sql.Timestamp;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * What became of the scored pairs once the identity rules had their say: the merge_candidates table,
 * the pairs handed to the clustering, and each record's link confidence for identity_links. Pure
 * functions.
 */
public final class ScoredLinks {
  public static final String DETERMINISTIC_PROFILE_ID = Cols.DETERMINISTIC_PROFILE_ID;
  public static final String STATUS = Cols.STATUS;
  public static final String MERGED = "merged";
  public static final String REFUSED = "refused";
  public static final String PENDING = "pending";
  /** Below the threshold, but its two sides ended up in one profile through other links. */
  public static final String ALREADY_JOINED = "already_joined";
  public static final String LINK_CONFIDENCE = "link_confidence";
  public static final String LINK_SIGNALS = "link_signals";

  private static final String GA = "group_a";
  private static final String GB = "group_b";

  private ScoredLinks() {}

  /** (profile_id, group) of every deterministic group, profile ids as {@link ProfileAssignment} names them. */
  public static Dataset<Row> groupProfiles(Dataset<Row> atomGroups) {
    return atomGroups
        .select(col(RuleAwareClustering.GROUP))
        .distinct()
        .select(
            ProfileAssignment.profileId(col(RuleAwareClustering.GROUP)).as(Cols.PROFILE_ID),
            col(RuleAwareClustering.GROUP));
  }

  /**
   * (deterministic_profile_id, profile_id) of every deterministic group: where each went once the
   * probabilistic links joined groups. Both inputs are atom → group.
   */
  public static Dataset<Row> profileMap(Dataset<Row> deterministicGroups, Dataset<Row> finalGroups) {
    Dataset<Row> after =
        finalGroups.select(col(Atoms.ATOM).as("_atom"), col(RuleAwareClustering.GROUP).as("_final"));
    return deterministicGroups
        .join(after, col(Atoms.ATOM).equalTo(col("_atom")))
        .select(
            ProfileAssignment.profileId(col(RuleAwareClustering.GROUP)).as(DETERMINISTIC_PROFILE_ID),
            ProfileAssignment.profileId(col("_final")).as(Cols.PROFILE_ID))
        .distinct();
  }

  /**
   * Pairs at or above the threshold as {@link RuleAwareClustering#linkPairs} takes them: group_a,
   * group_b, probability.
   */
  public static Dataset<Row> pairsToMerge(Dataset<Row> scored, Dataset<Row> groupProfiles, double threshold) {
    Dataset<Row> ga = groupProfiles.select(col(Cols.PROFILE_ID).as("_pa"), col(RuleAwareClustering.GROUP).as(GA));
    Dataset<Row> gb = groupProfiles.select(col(Cols.PROFILE_ID).as("_pb"), col(RuleAwareClustering.GROUP).as(GB));
    return scored
        .where(col(ScoringModel.PROBABILITY).geq(threshold))
        .join(ga, col(Blocking.A).equalTo(col("_pa")))
        .join(gb, col(Blocking.B).equalTo(col("_pb")))
        .select(col(GA), col(GB), col(ScoringModel.PROBABILITY));
  }

  /**
   * Refusals of scored pairs name the two groups ("group|group"); the link_decisions table names the
   * two profiles instead, as merge_candidates does.
   */
  public static Dataset<Row> withProfileNames(Dataset<Row> refusedLinks) {
    Column pair = split(col(Cols.ID_HASH), "\\|");
    Column named =
        concat(
            ProfileAssignment.profileId(pair.getItem(0).cast(DataTypes.LongType)),
            lit("|"),
            ProfileAssignment.profileId(pair.getItem(1).cast(DataTypes.LongType)));
    return refusedLinks.withColumn(
        Cols.ID_HASH,
        when(col(Cols.ID_TYPE).equalTo(RuleAwareClustering.PAIR_TYPE), named).otherwise(col(Cols.ID_HASH)));
  }

  /**
   * The merge_candidates rows: every scored pair at or above the review floor with its probability,
   * match weight, per-signal contributions and levels, and its status: merged (at or above the
   * threshold, now one profile), refused (at or above it, kept apart by an identity rule: reason
   * says which), pending (in the review band, awaiting a person) or already_joined (in the band, but
   * other links joined its sides).
   *
   * @param scored {@link CandidateScoring.Scored#pairs()}
   * @param profileMap (deterministic_profile_id, profile_id) of every deterministic profile
   * @param pairRefusals link_decisions rows of refused pairs, named by {@link #withProfileNames}
   */
  public static Dataset<Row> mergeCandidates(
      Dataset<Row> scored,
      Dataset<Row> profileMap,
      Dataset<Row> pairRefusals,
      double threshold,
      String runId,
      Timestamp at) {
    Dataset<Row> fa = profileMap.select(col(DETERMINISTIC_PROFILE_ID).as("_da"), col(Cols.PROFILE_ID).as("_fa"));
    Dataset<Row> fb = profileMap.select(col(DETERMINISTIC_PROFILE_ID).as("_db"), col(Cols.PROFILE_ID).as("_fb"));
    Dataset<Row> reasons =
        pairRefusals
            .where(col(Cols.ID_TYPE).equalTo(RuleAwareClustering.PAIR_TYPE))
            .groupBy(col(Cols.ID_HASH).as("_pair"))
            .agg(concat_ws("; ", array_sort(collect_set(col(Cols.DETAIL)))).as(Cols.REASON));
    Column above = col(ScoringModel.PROBABILITY).geq(threshold);
    Column together = col("_fa").equalTo(col("_fb"));
    return scored
        .join(fa, col(Blocking.A).equalTo(col("_da")), "left")
        .join(fb, col(Blocking.B).equalTo(col("_db")), "left")
        .join(reasons, concat(col(Blocking.A), lit("|"), col(Blocking.B)).equalTo(col("_pair")), "left")
        .select(
            lit(runId).as(Cols.RUN_ID),
            concat(lit("cnd_"), substring(sha2(concat_ws("|", col(Blocking.A), col(Blocking.B)), 256), 1, 20))
                .as(Cols.CANDIDATE_ID),
            col(Blocking.A),
            col(Blocking.B),
            col(ScoringModel.PROBABILITY),
            col(ScoringModel.MATCH_WEIGHT),
            col(ScoringModel.CONTRIBUTIONS),
            col(CandidateScoring.LEVELS),
            col(CandidateScoring.BLOCKING_KEYS),
            when(above.and(together), lit(MERGED))
                .when(above, lit(REFUSED))
                .when(together, lit(ALREADY_JOINED))
                .otherwise(lit(PENDING))
                .as(STATUS),
            col("_fa").as(Cols.PROFILE_ID),
            when(above.and(not(together)),
                    coalesce(col(Cols.REASON), lit("an identity rule kept the two profiles apart")))
                .as(Cols.REASON),
            lit(at).as("created_at"));
  }

  /**
   * Adds {@link #LINK_CONFIDENCE} and {@link #LINK_SIGNALS} to records carrying profile_id and
   * deterministic_profile_id. Each profile has an anchor, its deterministic part that holds a known
   * identifier (email, phone, user id, external id) and the most records, ties by id: its records
   * are linked with confidence 1. Every other deterministic part joined the profile through a
   * probabilistic link: its records carry the probability and signal contributions of the most
   * probable merged pair that touches it.
   */
  public static Dataset<Row> withLinkConfidence(Dataset<Row> records, Dataset<Row> mergeCandidates) {
    Column known =
        exists(
            col(Cols.IDENTIFIERS),
            id -> id.getField(Cols.ID_TYPE).isin(IdType.EMAIL, IdType.PHONE, IdType.USER_ID)
                .or(id.getField(Cols.ID_TYPE).startsWith(IdType.EXTERNAL_ID_PREFIX)));
    Dataset<Row> parts =
        records
            .groupBy(col(Cols.PROFILE_ID).as("_f"), col(DETERMINISTIC_PROFILE_ID).as("_d"))
            .agg(max(known).as("_known"), count(lit(1)).as("_n"))
            .withColumn(
                "_rank",
                row_number()
                    .over(Window.partitionBy("_f").orderBy(col("_known").desc(), col("_n").desc(), col("_d"))));
    Dataset<Row> merged = mergeCandidates.where(col(STATUS).equalTo(MERGED));
    Column best = struct(col(ScoringModel.PROBABILITY), col(ScoringModel.CONTRIBUTIONS));
    Dataset<Row> bestPair =
        merged.select(col(Blocking.A).as("_p"), best.as("_best"))
            .unionByName(merged.select(col(Blocking.B).as("_p"), best.as("_best")))
            .groupBy("_p")
            .agg(max_by(col("_best"), col("_best").getField(ScoringModel.PROBABILITY)).as("_best"));
    Dataset<Row> confidence =
        parts
            .join(bestPair, col("_d").equalTo(col("_p")), "left")
            .select(
                col("_d").as("_part"),
                when(col("_rank").equalTo(1).or(col("_best").isNull()), lit(1.0))
                    .otherwise(col("_best").getField(ScoringModel.PROBABILITY))
                    .as(LINK_CONFIDENCE),
                when(col("_rank").gt(1), col("_best").getField(ScoringModel.CONTRIBUTIONS)).as(LINK_SIGNALS));
    return records
        .join(confidence, col(DETERMINISTIC_PROFILE_ID).equalTo(col("_part")), "left")
        .drop("_part");
  }
}
