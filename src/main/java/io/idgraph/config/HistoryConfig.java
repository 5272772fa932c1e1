package io.idgraph.config;

/**
 * Merge-history options.
 *
 * @param reversibleDays how long a merge can be undone; sets merge_history.reversible_until (default 30)
 * @param minSourceRatio publish gate: a run whose accepted records of any source fall below this share
 *     of the previous run's stops before writing (default 0.5; 0 turns the check off)
 */
public record HistoryConfig(Integer reversibleDays, Double minSourceRatio) {
  public static final HistoryConfig DEFAULTS = new HistoryConfig(30, 0.5);

  public HistoryConfig {
    reversibleDays = reversibleDays == null ? 30 : reversibleDays;
    minSourceRatio = minSourceRatio == null ? 0.5 : minSourceRatio;
  }
}
