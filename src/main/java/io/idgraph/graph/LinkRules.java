package io.idgraph.graph;

import static org.apache.spark.sql.functions.*;

import io.idgraph.config.GraphConfig;
import io.idgraph.normalize.IdType;
import io.idgraph.schema.Cols;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Rules that take identifiers out of linking before the graph is built. Pure functions.
 *
 * <p>Hub isolation: an identifier that appears on records together with more than {@code threshold}
 * distinct strong identifiers (emails, user ids, external ids) other than itself is a shared value — a
 * company switchboard, a family or agency address — and linking through it would glue unrelated people.
 * It stays on its records (and in identity_links) but links nothing. Degrees are counted per distinct
 * pair, so a person's thousand events with the same two ids count once.
 */
public final class LinkRules {
  public static final String DEGREE = "degree";
  public static final String RECORDS = "records";
  private static final String X = Cols.INTERNAL_PREFIX + "x";
  private static final String Y = Cols.INTERNAL_PREFIX + "y";

  private LinkRules() {}

  private static Column strong(Column idType) {
    return idType.isin(IdType.EMAIL, IdType.USER_ID).or(idType.startsWith(IdType.EXTERNAL_ID_PREFIX));
  }

  /** Linkable identifiers seen with more than {@code threshold} strong ones: id_type, id_hash, degree, records. */
  public static Dataset<Row> hubs(Dataset<Row> records, GraphConfig graph, int threshold) {
    Dataset<Row> ids =
        records.select(
            col(Cols.SOURCE), col(Cols.RECORD_ID), col(Cols.IDENTIFIERS), explode(col(Cols.IDENTIFIERS)).as(X))
            .where(DeterministicEdges.isLinkable(col(X).getField(Cols.ID_TYPE), graph));
    Dataset<Row> recordsPerId =
        ids.groupBy(col(X)).agg(count(lit(1)).as(RECORDS));
    Dataset<Row> degrees =
        ids.select(col(X), explode(col(Cols.IDENTIFIERS)).as(Y))
            .where(strong(col(Y).getField(Cols.ID_TYPE)).and(col(Y).notEqual(col(X))))
            .distinct()
            .groupBy(col(X))
            .agg(count(lit(1)).as(DEGREE))
            .where(col(DEGREE).gt(threshold));
    return degrees
        .join(recordsPerId, X)
        .select(
            col(X).getField(Cols.ID_TYPE).as(Cols.ID_TYPE),
            col(X).getField(Cols.ID_HASH).as(Cols.ID_HASH),
            col(DEGREE),
            col(RECORDS));
  }

  /** How many records carry each of the given identifiers (id_type, id_hash): adds {@code records}. */
  public static Dataset<Row> withRecordCounts(Dataset<Row> records, Dataset<Row> identifiers) {
    Dataset<Row> carried =
        records
            .select(explode(col(Cols.IDENTIFIERS)).as(X))
            .select(col(X).getField(Cols.ID_TYPE).as(Cols.ID_TYPE), col(X).getField(Cols.ID_HASH).as(Cols.ID_HASH));
    return identifiers.join(
        carried.join(broadcast(identifiers.select(Cols.ID_TYPE, Cols.ID_HASH)), new String[] {Cols.ID_TYPE, Cols.ID_HASH})
            .groupBy(Cols.ID_TYPE, Cols.ID_HASH)
            .agg(count(lit(1)).as(RECORDS)),
        new String[] {Cols.ID_TYPE, Cols.ID_HASH},
        "left");
  }
}
