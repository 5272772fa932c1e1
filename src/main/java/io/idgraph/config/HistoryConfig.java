package io.idgraph.config;

/**
 * Merge-history options.
 *
 * @param reversibleDays how long a merge can be undone; sets merge_history.reversible_until (default 30)
 */
public record HistoryConfig(Integer reversibleDays) {
  public static final HistoryConfig DEFAULTS = new HistoryConfig(30);

  public HistoryConfig {
    reversibleDays = reversibleDays == null ? 30 : reversibleDays;
  }
}
