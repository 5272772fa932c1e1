package io.idgraph.cluster;

import static org.apache.spark.sql.functions.*;

import io.idgraph.graph.DeterministicEdges;
import io.idgraph.schema.Cols;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Atoms are the units clustering moves: all records with the same set of linkable identifiers. A
 * visitor's thousand page views with the same cookie and user id are one atom, so the rule-aware
 * clustering works on far fewer rows than records, and a record is never split from its identifiers.
 * The atom id is a 64-bit hash of the sorted identifier hashes, the same every night.
 */
public final class Atoms {
  public static final String ATOM = "atom";
  public static final String RECORDS = "records";

  private Atoms() {}

  /** Adds {@link #ATOM} (null for a record with no linkable identifier) to anchored records. */
  public static Dataset<Row> withAtom(Dataset<Row> anchored) {
    return anchored.withColumn(
        ATOM,
        when(
            size(col(DeterministicEdges.LINKABLE)).gt(0),
            xxhash64(
                concat_ws(
                    ",", transform(col(DeterministicEdges.LINKABLE), id -> id.getField(Cols.ID_HASH))))));
  }

  /** One row per (atom, linkable identifier): atom, id_type, id_hash, last_seen, records. */
  public static Dataset<Row> identifiers(Dataset<Row> atomized) {
    String id = Cols.INTERNAL_PREFIX + "atom_id";
    return atomized
        .where(col(ATOM).isNotNull())
        .groupBy(col(ATOM), col(DeterministicEdges.LINKABLE))
        .agg(max(Cols.EVENT_TIME).as(Cols.LAST_SEEN), count(lit(1)).as(RECORDS))
        .select(
            col(ATOM),
            explode(col(DeterministicEdges.LINKABLE)).as(id),
            col(Cols.LAST_SEEN),
            col(RECORDS))
        .select(
            col(ATOM),
            col(id).getField(Cols.ID_TYPE).as(Cols.ID_TYPE),
            col(id).getField(Cols.ID_HASH).as(Cols.ID_HASH),
            col(Cols.LAST_SEEN),
            col(RECORDS));
  }
}
