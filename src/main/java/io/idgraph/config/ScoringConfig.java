package io.idgraph.config;

import java.util.List;
import java.util.Map;

/**
 * Probabilistic scoring of candidate pairs of deterministic profiles (see README, "How probabilistic
 * links are scored").
 *
 * @param enabled score candidates and merge pairs above {@code mergeThreshold} (default true); when
 *     false no pair is scored and profiles come from deterministic links alone
 * @param mergeThreshold probability at or above which a pair becomes a probabilistic link, subject to
 *     the identity rules (default 0.85)
 * @param reviewFloor pairs from here up to the merge threshold go to merge_candidates as pending for a
 *     person to review (default 0.60)
 * @param maxBlockSize a blocking key held by more profiles than this (an office IP, the most popular
 *     laptop) is skipped and counted, so candidate pairs stay linear in the data (default 50)
 * @param randomPairs random profile pairs used to estimate u (default 200,000)
 * @param training where m comes from when the model is trained: {@code labels} (default; pairs of
 *     one deterministic profile's browsers that share a device key) or {@code em}
 *     (expectation-maximisation over the candidates, one session per blocking key kind, as Splink
 *     trains)
 * @param model fixed parameters instead of training (prior and m, u per comparison level); omitted:
 *     trained on each night's data
 */
public record ScoringConfig(
    Boolean enabled,
    Double mergeThreshold,
    Double reviewFloor,
    Integer maxBlockSize,
    Integer randomPairs,
    String training,
    FixedModel model) {
  public static final ScoringConfig DEFAULTS = new ScoringConfig(null, null, null, null, null, null, null);
  public static final String LABELS = "labels";
  public static final String EM = "em";

  public ScoringConfig {
    enabled = enabled == null ? Boolean.TRUE : enabled;
    mergeThreshold = mergeThreshold == null ? 0.85 : mergeThreshold;
    reviewFloor = reviewFloor == null ? 0.60 : reviewFloor;
    maxBlockSize = maxBlockSize == null ? 50 : maxBlockSize;
    randomPairs = randomPairs == null ? 200_000 : randomPairs;
    training = training == null ? LABELS : training;
  }

  /** This config with the model fixed (a scoped night scores with the last run's model). */
  public ScoringConfig withModel(FixedModel fixed) {
    return new ScoringConfig(enabled, mergeThreshold, reviewFloor, maxBlockSize, randomPairs, training, fixed);
  }

  /**
   * Model parameters fixed in config, e.g. copied from a model_parameters table of a run that went
   * well: {@code prior} is λ, the probability that two profiles drawn at random are the same person;
   * m and u list one probability per level of each comparison, in level order.
   */
  public record FixedModel(Double prior, Map<String, List<Double>> m, Map<String, List<Double>> u) {
    public FixedModel {
      m = m == null ? Map.of() : Map.copyOf(m);
      u = u == null ? Map.of() : Map.copyOf(u);
    }
  }
}
