package io.idgraph.cluster;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Connected components of an undirected graph given as edges. Implementations must give every vertex
 * that appears in an edge the smallest vertex id of its component, so that different algorithms give
 * identical, comparable answers.
 */
public interface ConnectedComponents {
  /**
   * @param edges columns {@code src}, {@code dst} (longs); duplicates and both directions allowed
   * @return columns {@code vertex_id}, {@code component} (longs), one row per vertex in the edges
   */
  Dataset<Row> components(Dataset<Row> edges);

  /**
   * The implementation named by {@code graph.algorithm} (validated when the config is loaded).
   *
   * @param driverMaxEdges see {@link ContractingConnectedComponents}
   */
  static ConnectedComponents named(String algorithm, long driverMaxEdges) {
    if (algorithm.equals("graphx")) {
      return new GraphXConnectedComponents();
    }
    if (algorithm.equals("contraction")) {
      return new ContractingConnectedComponents(driverMaxEdges);
    }
    throw new IllegalArgumentException("No connected-components algorithm '" + algorithm + "'");
  }

  /** Frees whatever the algorithm cached; called by the owner once the result is materialized. */
  default void release() {}
}
