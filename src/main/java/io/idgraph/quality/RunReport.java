package io.idgraph.quality;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything the HTML run report shows ({@link HtmlReport}), small enough to hold on the driver: the
 * run's {@link RunMetrics} plus a few aggregates of the night's output tables ({@link ReportQueries}).
 * It holds counts, ids and hashes only, never an identifier's value.
 *
 * @param metrics the run's metrics, as written to run_metrics
 * @param outputRoot where the tables are
 * @param mergesByMethod tonight's merge_history rows by event (merge, split) and method
 *     (deterministic, probabilistic, manual)
 * @param candidatesByStatus merge_candidates rows by status (pending, merged, refused); null when
 *     scoring is off (no queue)
 * @param profilesByIdentifierTypes profiles by how many identifier types their identifiers span (1, 2,
 *     3 ...; 0 for a profile with no identifier)
 * @param profileSizes profiles by records per profile, every bucket of {@link ReportQueries#SIZE_BUCKETS}
 *     in order, empty ones included
 * @param largestProfiles the largest profiles by records, largest first
 * @param isolatedHubs the isolated hubs of tonight's link_decisions, highest degree first
 * @param previous the previous run's totals from run_metrics; null on a first run
 */
public record RunReport(
    RunMetrics metrics,
    String outputRoot,
    List<MethodCount> mergesByMethod,
    Map<String, Long> candidatesByStatus,
    Map<Integer, Long> profilesByIdentifierTypes,
    List<SizeBucket> profileSizes,
    List<LargeProfile> largestProfiles,
    List<Hub> isolatedHubs,
    RunTotals previous) {

  public record MethodCount(String event, String method, long count) {}

  /** Profiles with at least {@code min} and at most {@code max} records (max: Long.MAX_VALUE). */
  public record SizeBucket(String label, long min, long max, long profiles) {}

  public record LargeProfile(String profileId, long records, long identifiers, List<String> sources) {}

  /**
   * @param hashPrefix the first characters of the identifier's HMAC, enough to find it in
   *     link_decisions
   * @param degree distinct emails, user ids and external ids seen with it (null when isolated for the
   *     names seen with it alone)
   * @param detail link_decisions' sentence saying why it was isolated
   */
  public record Hub(String idType, String hashPrefix, Long degree, long records, String detail) {}

  /**
   * The totals compared from one run to the next.
   *
   * @param records accepted records
   * @param rejected rows rejected whole (malformed, no record id)
   */
  public record RunTotals(
      String runId,
      Instant startedAt,
      long profiles,
      long merges,
      long records,
      long rejected,
      Map<String, Long> identifiersByType) {

    public static RunTotals of(RunMetrics m) {
      return new RunTotals(
          m.runId(),
          m.startedAt(),
          m.profiles(),
          m.merges(),
          m.sources().stream().mapToLong(RunMetrics.SourceCounts::accepted).sum(),
          m.sources().stream().mapToLong(RunMetrics.SourceCounts::rejected).sum(),
          m.identifiersByType());
    }
  }

  /** Profiles whose identifiers span two or more identifier types. */
  public long multiTypeProfiles() {
    return profilesByIdentifierTypes.entrySet().stream()
        .filter(e -> e.getKey() >= 2)
        .mapToLong(Map.Entry::getValue)
        .sum();
  }
}
