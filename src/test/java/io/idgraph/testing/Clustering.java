package io.idgraph.testing;

import io.idgraph.cluster.Atoms;
import io.idgraph.cluster.IdentityConstraints;
import io.idgraph.cluster.ProfileAssignment;
import io.idgraph.cluster.RuleAwareClustering;
import io.idgraph.config.GraphConfig;
import io.idgraph.config.RulesConfig;
import io.idgraph.graph.DeterministicEdges;
import io.idgraph.schema.Cols;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Runs graph → rule-aware components → profile assignment as NightlyRun does, for stage tests. */
public final class Clustering {
  private Clustering() {}

  /** record_id → profile_id, and the refused links (rule, id_type, id_hash, degree, detail, records). */
  public record Clustered(Map<String, String> profiles, List<Row> refusals) {}

  /** record_id → profile_id under the default identity rules. */
  public static Map<String, String> profiles(
      Dataset<Row> records, GraphConfig graph, Dataset<Row> unlinkable) {
    return cluster(records, graph, unlinkable, IdentityConstraints.of(RulesConfig.DEFAULTS, List.of()))
        .profiles();
  }

  /**
   * Clusters with the given constraints; identifiers in {@code unlinkable} (id_hash: hubs, do-not-link
   * values) link nothing.
   */
  public static Clustered cluster(
      Dataset<Row> records,
      GraphConfig graph,
      Dataset<Row> unlinkable,
      IdentityConstraints constraints) {
    Dataset<Row> anchored =
        unlinkable == null
            ? DeterministicEdges.withAnchors(records, graph)
            : DeterministicEdges.withAnchors(records, graph, unlinkable);
    Dataset<Row> atomized = Atoms.withAtom(anchored);
    RuleAwareClustering clustering = new RuleAwareClustering(constraints, graph.algorithm());
    try {
      RuleAwareClustering.Result result = clustering.cluster(Atoms.identifiers(atomized));
      Map<String, String> byRecord = new HashMap<>();
      for (Row r :
          ProfileAssignment.assign(atomized, result.atomGroups())
              .select(Cols.RECORD_ID, Cols.PROFILE_ID)
              .collectAsList()) {
        byRecord.put(r.getString(0), r.getString(1));
      }
      return new Clustered(byRecord, result.refusals().collectAsList());
    } finally {
      clustering.release();
    }
  }
}
