package io.idgraph.cluster;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a night's clustering did, for the run metrics and the benchmark: how many tiers merged
 * something, the repair rounds they needed (a round refuses the weakest bridge of each component that
 * breaks a rule), and per connected-components call the graph size and the contraction rounds. Plain
 * counters on the driver; one instance per {@link RuleAwareClustering}.
 */
public final class ClusteringStats {
  private long tiers;
  private long repairRounds;
  private long componentRuns;
  private long contractionRounds;
  private long largestGraphEdges;

  /** A tier that had bridges, and the repair rounds it ran. */
  void tier(int rounds) {
    tiers++;
    repairRounds += rounds;
  }

  /** One connected-components call over {@code edges} edges (-1 when not counted) in {@code rounds}. */
  void components(long edges, int rounds) {
    componentRuns++;
    contractionRounds += rounds;
    largestGraphEdges = Math.max(largestGraphEdges, edges);
  }

  /** snake_case name → count, in a fixed order. */
  public Map<String, Long> asMap() {
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("tiers_merged", tiers);
    out.put("repair_rounds", repairRounds);
    out.put("components_runs", componentRuns);
    out.put("contraction_rounds", contractionRounds);
    out.put("largest_components_graph_edges", largestGraphEdges);
    return out;
  }
}
