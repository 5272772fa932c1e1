package io.idgraph.scoring;

import static org.apache.spark.sql.functions.*;

import io.idgraph.config.ScoringConfig;
import io.idgraph.schema.Cols;
import io.idgraph.spark.Plans;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * One night's probabilistic scoring, from deterministic profiles to scored candidate pairs:
 * signals per profile → candidates by blocking (skew guard) → comparison levels → model (trained on
 * the night's data, or fixed in config) → match weight, probability and per-signal contributions.
 * Only pairs at or above the review floor are kept; only pattern counts reach the driver.
 */
public final class CandidateScoring {
  /** Comparison → level name of a pair, for merge_candidates and explanations. */
  public static final String LEVELS = Cols.LEVELS;
  /** Kinds of blocking keys a pair shares (fingerprint, ip24_day, campaign_time, name). */
  public static final String BLOCKING_KEYS = Cols.BLOCKING_KEYS;

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CandidateScoring.class);

  private CandidateScoring() {}

  /**
   * @param pairs profile_a, profile_b, blocking_keys, levels, match_weight, probability,
   *     contributions: every candidate at or above the review floor, stored and materialized (the
   *     caller frees it with Plans.release)
   * @param model the model that scored them
   * @param counts profiles, candidates, skipped keys and their profiles, labelled and random pairs,
   *     pairs kept, pairs at or above the merge threshold: for run metrics and the console
   */
  public record Scored(Dataset<Row> pairs, FellegiSunter model, boolean trained, Map<String, Long> counts) {}

  /**
   * @param assigned records carrying their deterministic profile_id
   * @param seed seeds the random pairs, so a night is reproducible
   */
  public static Scored score(Dataset<Row> assigned, ScoringConfig config, long seed) {
    List<Dataset<Row>> cached = new ArrayList<>();
    try {
      Map<String, Long> counts = new LinkedHashMap<>();
      Dataset<Row> all = cache(cached, ProfileSignals.of(assigned));
      long start = System.nanoTime();
      long profiles = all.count();
      counts.put("profiles", profiles);
      // Networks shared by more profiles than a block may hold are no evidence (see withoutShared).
      Dataset<Row> sharedNetworks =
          cache(cached, ProfileSignals.sharedValues(all, ProfileSignals.IP24S, config.maxBlockSize()));
      counts.put("shared_networks", sharedNetworks.count());
      Dataset<Row> signals =
          cache(cached, ProfileSignals.withoutShared(all, ProfileSignals.IP24S, sharedNetworks));
      log("signals", start);
      Dataset<Row> keys = cache(cached, Blocking.keys(assigned));
      Row skipped =
          Blocking.skipped(keys, config.maxBlockSize())
              .agg(count(lit(1)), coalesce(sum(Blocking.PROFILES), lit(0L)))
              .first();
      counts.put("skipped_keys", skipped.getLong(0));
      counts.put("skipped_key_profiles", skipped.getLong(1));
      Dataset<Row> candidates =
          cache(cached, PairLevels.of(Blocking.candidates(keys, config.maxBlockSize()), signals));
      counts.put("candidates", candidates.count());
      log("candidates", start);

      FellegiSunter model;
      boolean trained = config.model() == null;
      if (trained) {
        Map<List<Integer>, Long> random =
            ScoringModel.patterns(
                PairLevels.of(
                    ScoringModel.randomPairs(signals, profiles, config.randomPairs(), seed), signals));
        counts.put("random_pairs", random.values().stream().mapToLong(Long::longValue).sum());
        double allPairs = profiles * (profiles - 1) / 2.0;
        if (config.training().equals(ScoringConfig.EM)) {
          model =
              ScoringModel.train(
                  ScoringModel.sessionPatterns(candidates), ScoringModel.patterns(candidates), random, allPairs);
        } else {
          Map<List<Integer>, Long> labelled =
              ScoringModel.patterns(ScoringModel.labelledPairs(assigned, config.maxBlockSize()));
          counts.put("labelled_pairs", labelled.values().stream().mapToLong(Long::longValue).sum());
          model = ScoringModel.trainFromLabels(labelled, ScoringModel.patterns(candidates), random, allPairs);
        }
        log("model", start);
      } else {
        model = fixed(config.model());
      }

      Dataset<Row> scored =
          ScoringModel.score(
                  ScoringModel.withTermFrequencies(candidates, signals, profiles),
                  model)
              .where(col(ScoringModel.PROBABILITY).geq(config.reviewFloor()))
              .select(
                  col(Blocking.A),
                  col(Blocking.B),
                  keyKinds(col(Blocking.KEYS)).as(BLOCKING_KEYS),
                  levelNames().apply(col(PairLevels.GAMMA)).as(LEVELS),
                  col(ScoringModel.MATCH_WEIGHT),
                  col(ScoringModel.PROBABILITY),
                  col(ScoringModel.CONTRIBUTIONS));
      // Stored with its lineage cut: a cached plan would keep every shuffle of the scoring on disk.
      Dataset<Row> kept = Plans.store(scored, "idgraph scored pairs");
      Row k =
          kept.agg(
                  count(lit(1)),
                  coalesce(sum(when(col(ScoringModel.PROBABILITY).geq(config.mergeThreshold()), 1L)), lit(0L)))
              .first();
      counts.put("review_or_merge_pairs", k.getLong(0));
      counts.put("pairs_above_threshold", k.getLong(1));
      log("scored", start);
      return new Scored(kept, model, trained, counts);
    } finally {
      cached.forEach(Dataset::unpersist);
    }
  }

  private static void log(String step, long start) {
    LOG.info("scoring: {} after {} s", step, String.format("%.1f", (System.nanoTime() - start) / 1e9));
  }

  private static Dataset<Row> cache(List<Dataset<Row>> cached, Dataset<Row> ds) {
    Dataset<Row> c = Plans.cache(ds, "idgraph scoring");
    cached.add(c);
    return c;
  }

  /** The model written in config, comparisons in {@link PairLevels#COMPARISONS} order. */
  public static FellegiSunter fixed(ScoringConfig.FixedModel config) {
    int n = PairLevels.COMPARISONS.size();
    double[][] m = new double[n][];
    double[][] u = new double[n][];
    for (int k = 0; k < n; k++) {
      String name = PairLevels.COMPARISONS.get(k);
      m[k] = config.m().get(name).stream().mapToDouble(Double::doubleValue).toArray();
      u[k] = config.u().get(name).stream().mapToDouble(Double::doubleValue).toArray();
    }
    return new FellegiSunter(config.prior(), m, u);
  }

  /** Blocking keys hold hashes and campaign names; the table shows only what kind of key matched. */
  private static Column keyKinds(Column keys) {
    return array_sort(
        array_distinct(
            transform(
                keys,
                key ->
                    when(key.startsWith("fp:"), lit("fingerprint"))
                        .when(key.startsWith("ip24:"), lit("ip24_day"))
                        .when(key.startsWith("campaign:"), lit("campaign_time"))
                        .otherwise(lit("name")))));
  }

  private static UserDefinedFunction levelNames() {
    return udf(
        (UDF1<scala.collection.Seq<Integer>, Map<String, String>>)
            gammaSeq -> {
              List<Integer> gamma = scala.jdk.javaapi.CollectionConverters.asJava(gammaSeq);
              Map<String, String> out = new LinkedHashMap<>();
              for (int k = 0; k < gamma.size(); k++) {
                if (gamma.get(k) != Comparisons.NULL) {
                  out.put(PairLevels.COMPARISONS.get(k), PairLevels.levelNames(k)[gamma.get(k)]);
                }
              }
              return out;
            },
        DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType));
  }
}
