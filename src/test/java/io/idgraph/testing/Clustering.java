package io.idgraph.testing;

import static org.apache.spark.sql.functions.col;

import io.idgraph.cluster.ConnectedComponents;
import io.idgraph.cluster.ProfileAssignment;
import io.idgraph.config.GraphConfig;
import io.idgraph.graph.DeterministicEdges;
import io.idgraph.schema.Cols;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Runs graph → components → profile assignment as NightlyRun does, for stage tests. */
public final class Clustering {
  private Clustering() {}

  /** record_id → profile_id, with identifiers in {@code unlinkable} (id_hash) kept from linking. */
  public static Map<String, String> profiles(
      Dataset<Row> records, GraphConfig graph, Dataset<Row> unlinkable) {
    Dataset<Row> anchored =
        unlinkable == null
            ? DeterministicEdges.withAnchors(records, graph)
            : DeterministicEdges.withAnchors(records, graph, unlinkable);
    ConnectedComponents cc = ConnectedComponents.named(graph.algorithm());
    try {
      Dataset<Row> components =
          cc.components(
              DeterministicEdges.recordEdges(anchored)
                  .select(
                      DeterministicEdges.vertexId(col(Cols.SRC_HASH)).as(Cols.SRC),
                      DeterministicEdges.vertexId(col(Cols.DST_HASH)).as(Cols.DST)));
      Map<String, String> byRecord = new HashMap<>();
      for (Row r :
          ProfileAssignment.assign(anchored, components)
              .select(Cols.RECORD_ID, Cols.PROFILE_ID)
              .collectAsList()) {
        byRecord.put(r.getString(0), r.getString(1));
      }
      return byRecord;
    } finally {
      cc.release();
    }
  }
}
