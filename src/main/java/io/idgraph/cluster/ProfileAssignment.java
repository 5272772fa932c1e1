package io.idgraph.cluster;

import static org.apache.spark.sql.functions.*;

import io.idgraph.graph.DeterministicEdges;
import io.idgraph.schema.Cols;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Gives every record its profile id: the component of its anchor identifier, written as "prf_" and 16
 * hex digits of the component's smallest vertex id. A record with no linkable identifier is a profile of
 * its own, named from its source and record id. Ids are stable within a run and, for an unchanged
 * component, across runs with the same hashing key.
 */
public final class ProfileAssignment {
  private static final String VID = Cols.INTERNAL_PREFIX + "vid";

  private ProfileAssignment() {}

  public static Column profileId(Column componentId) {
    return concat(lit("prf_"), lower(lpad(hex(componentId), 16, "0")));
  }

  /**
   * @param anchored records with {@link DeterministicEdges#ANCHOR_HASH}
   * @param components (vertex_id, component) for every vertex in an edge
   * @return the records with {@code profile_id} added
   */
  public static Dataset<Row> assign(Dataset<Row> anchored, Dataset<Row> components) {
    Dataset<Row> withVid =
        anchored.withColumn(VID, DeterministicEdges.vertexId(col(DeterministicEdges.ANCHOR_HASH)));
    Column component = coalesce(col(Cols.COMPONENT), col(VID));
    return withVid
        .join(components, withVid.col(VID).equalTo(components.col(Cols.VERTEX_ID)), "left")
        .withColumn(
            Cols.PROFILE_ID,
            when(
                    col(DeterministicEdges.ANCHOR_HASH).isNull(),
                    profileId(xxhash64(col(Cols.SOURCE), col(Cols.RECORD_ID))))
                .otherwise(profileId(component)))
        .drop(VID, Cols.VERTEX_ID, Cols.COMPONENT);
  }
}
