package io.idgraph.cluster;

import static org.apache.spark.sql.functions.*;

import io.idgraph.schema.Cols;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Gives every record its profile id: the group of its atom, written as "prf_" and 16 hex digits of the
 * group id (the smallest atom id in it). A record with no linkable identifier is a profile of its own,
 * named from its source and record id. Ids are stable within a run and, for a profile whose smallest
 * atom is unchanged, across runs with the same hashing key.
 */
public final class ProfileAssignment {
  private static final String ATOM_KEY = Cols.INTERNAL_PREFIX + "atom_key";

  private ProfileAssignment() {}

  public static Column profileId(Column groupId) {
    return concat(lit("prf_"), lower(lpad(hex(groupId), 16, "0")));
  }

  /**
   * @param atomized records with {@link Atoms#ATOM}
   * @param atomGroups (atom, group) for every atom, from {@link RuleAwareClustering}
   * @return the records with {@code profile_id} added
   */
  public static Dataset<Row> assign(Dataset<Row> atomized, Dataset<Row> atomGroups) {
    Dataset<Row> groups =
        atomGroups.select(
            col(Atoms.ATOM).as(ATOM_KEY), col(RuleAwareClustering.GROUP).as(Cols.INTERNAL_PREFIX + "group"));
    return atomized
        .join(groups, col(Atoms.ATOM).equalTo(col(ATOM_KEY)), "left")
        .withColumn(
            Cols.PROFILE_ID,
            when(
                    col(Atoms.ATOM).isNull(),
                    profileId(xxhash64(col(Cols.SOURCE), col(Cols.RECORD_ID))))
                .otherwise(profileId(col(Cols.INTERNAL_PREFIX + "group"))))
        .drop(ATOM_KEY, Cols.INTERNAL_PREFIX + "group");
  }
}
