package io.idgraph.config;

/**
 * Merge-history options.
 *
 * @param reversibleDays how long a merge can be undone; sets merge_history.reversible_until (default 30)
 * @param minSourceRatio publish gate: a run whose accepted records of any source fall below this share
 *     of the previous run's stops before writing (default 0.5; 0 turns the check off)
 * @param maxMergeRatio publish gate: a run that merges more than this share of the previous run's
 *     profiles into others stops before writing (default 0.05; 0 turns the check off)
 */
public record HistoryConfig(Integer reversibleDays, Double minSourceRatio, Double maxMergeRatio) {
  public static final HistoryConfig DEFAULTS = new HistoryConfig(30, 0.5, 0.05);

  public HistoryConfig {
    reversibleDays = reversibleDays == null ? 30 : reversibleDays;
    minSourceRatio = minSourceRatio == null ? 0.5 : minSourceRatio;
    maxMergeRatio = maxMergeRatio == null ? 0.05 : maxMergeRatio;
  }
}
