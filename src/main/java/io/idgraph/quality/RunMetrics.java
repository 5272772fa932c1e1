package io.idgraph.quality;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one run did, small enough to hold on the driver: the console summary and the run_metrics row.
 *
 * @param sources per-source row counts
 * @param identifiersByType distinct identifiers per type across all profiles
 * @param profilesByState profile counts for anonymous, known, unified
 * @param rejectionsByReason rejected rows and values per reason
 * @param duplicateDetectionRate share of source entities folded into another entity's profile:
 *     (entities - profiles holding entities) / entities
 * @param linkDecisionsByRule identifiers kept from linking per rule (blocklist, hub_isolation,
 *     do_not_link)
 * @param linkDecisionRecordsByRule records carrying those identifiers, per rule
 * @param stageSeconds wall time per stage, in pipeline order
 * @param scoring probabilistic scoring counts (profiles, candidates, skipped keys, pairs merged,
 *     refused, pending review ...); empty when scoring is disabled
 * @param idChanges what tonight did to the previous run's profile ids: previous_profiles, kept (ids
 *     still in use), merged, split, unmerged, deleted; empty on a first night
 * @param clustering what the rule-aware clustering did: tiers that merged, repair rounds,
 *     connected-components runs, contraction rounds, the largest components graph's edges
 *     ({@code cluster.ClusteringStats})
 */
public record RunMetrics(
    String runId,
    Instant startedAt,
    Instant endedAt,
    List<SourceCounts> sources,
    Map<String, Long> identifiersByType,
    Map<String, Long> profilesByState,
    long profiles,
    long merges,
    long largestProfileRecords,
    String largestProfileId,
    long identityEdges,
    long entities,
    double duplicateDetectionRate,
    Map<String, Long> rejectionsByReason,
    Map<String, Long> linkDecisionsByRule,
    Map<String, Long> linkDecisionRecordsByRule,
    Map<String, Double> stageSeconds,
    Map<String, Long> scoring,
    Map<String, Long> idChanges,
    Map<String, Long> clustering) {

  /**
   * @param read rows read (accepted + rejected rows + superseded duplicates)
   * @param accepted records kept, one per record id
   * @param rejected rows rejected whole (malformed, no record id)
   * @param duplicates older rows of a record id that a newer row superseded
   * @param valuesDropped bad values dropped from accepted records (invalid email, phone, time ...)
   */
  public record SourceCounts(
      String source, long read, long accepted, long rejected, long duplicates, long valuesDropped) {}
}
