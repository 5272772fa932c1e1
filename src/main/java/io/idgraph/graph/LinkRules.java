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
 * pair, so a person's thousand events with the same two ids count once. An identifier carried by
 * records with more than {@code nameThreshold} distinct names (first and last name, case-folded) is a
 * hub too, whatever the ids beside it: a shared inbox or a shop's own phone typed into every order.
 */
public final class LinkRules {
  public static final String DEGREE = "degree";
  public static final String RECORDS = "records";
  /** Distinct names (first + last) seen on the records carrying a hub. */
  public static final String NAMES = "names";
  private static final String X = Cols.INTERNAL_PREFIX + "x";
  private static final String Y = Cols.INTERNAL_PREFIX + "y";
  private static final String Z = Cols.INTERNAL_PREFIX + "z";

  private LinkRules() {}

  private static Column strong(Column idType) {
    return idType.isin(IdType.EMAIL, IdType.USER_ID).or(idType.startsWith(IdType.EXTERNAL_ID_PREFIX));
  }

  /**
   * Linkable identifiers seen with more than {@code threshold} strong ones, or with more than {@code
   * nameThreshold} distinct names (either threshold 0: that test is off): id_type, id_hash, degree
   * (null for a hub by names only), names, records.
   */
  public static Dataset<Row> hubs(
      Dataset<Row> records, GraphConfig graph, int threshold, int nameThreshold) {
    Column name =
        when(
            col(Cols.TRAITS).getItem("first_name").isNotNull()
                .and(col(Cols.TRAITS).getItem("last_name").isNotNull()),
            lower(
                concat_ws(
                    " ",
                    trim(col(Cols.TRAITS).getItem("first_name")),
                    trim(col(Cols.TRAITS).getItem("last_name")))));
    Dataset<Row> ids =
        records
            .select(col(Cols.IDENTIFIERS), name.as(NAMES), explode(col(Cols.IDENTIFIERS)).as(X))
            .where(DeterministicEdges.isLinkable(col(X).getField(Cols.ID_TYPE), graph));
    Dataset<Row> recordsPerId = ids.groupBy(col(X)).agg(count(lit(1)).as(RECORDS));
    Dataset<Row> degrees =
        ids.select(col(X), explode(col(Cols.IDENTIFIERS)).as(Y))
            .where(strong(col(Y).getField(Cols.ID_TYPE)).and(col(Y).notEqual(col(X))))
            .distinct()
            .groupBy(col(X))
            .agg(count(lit(1)).as(DEGREE))
            .where(lit(threshold > 0).and(col(DEGREE).gt(threshold)));
    Dataset<Row> names =
        ids.where(col(NAMES).isNotNull())
            .groupBy(col(X))
            .agg(countDistinct(col(NAMES)).as(NAMES))
            .where(lit(nameThreshold > 0).and(col(NAMES).gt(nameThreshold)))
            .select(col(X).as(Z), col(NAMES));
    Dataset<Row> hubs =
        degrees
            .join(names, col(X).equalTo(col(Z)), "full_outer")
            .select(coalesce(col(X), col(Z)).as(X), col(DEGREE), col(NAMES));
    return hubs.join(recordsPerId, X)
        .select(
            col(X).getField(Cols.ID_TYPE).as(Cols.ID_TYPE),
            col(X).getField(Cols.ID_HASH).as(Cols.ID_HASH),
            col(DEGREE),
            col(NAMES),
            col(RECORDS));
  }

  /**
   * The rows of {@link #hubs} for the given identifiers (id_type, id_hash) only, from the records that
   * carry one of them: an identifier's counts come from its own records alone, so they are those
   * hubs(every record) gives. An incremental night re-checks only the identifiers its changed records
   * hold or held; every other identifier kept last night's verdict.
   *
   * @param fewIdentifiers broadcast the identifiers: the records are scanned, not shuffled
   */
  public static Dataset<Row> hubsAmong(
      Dataset<Row> records,
      Dataset<Row> identifiers,
      GraphConfig graph,
      int threshold,
      int nameThreshold,
      boolean fewIdentifiers) {
    String[] ids = {Cols.ID_TYPE, Cols.ID_HASH};
    String[] keys = {Cols.SOURCE, Cols.RECORD_ID};
    Dataset<Row> wanted = identifiers.select(Cols.ID_TYPE, Cols.ID_HASH).distinct();
    Dataset<Row> carriers =
        records
            .select(col(Cols.SOURCE), col(Cols.RECORD_ID), explode(col(Cols.IDENTIFIERS)).as(X))
            .select(
                col(Cols.SOURCE),
                col(Cols.RECORD_ID),
                col(X).getField(Cols.ID_TYPE).as(Cols.ID_TYPE),
                col(X).getField(Cols.ID_HASH).as(Cols.ID_HASH))
            .join(fewIdentifiers ? broadcast(wanted) : wanted, ids, "left_semi")
            .select(Cols.SOURCE, Cols.RECORD_ID)
            .distinct();
    return hubs(records.join(carriers, keys, "left_semi"), graph, threshold, nameThreshold)
        .join(fewIdentifiers ? broadcast(wanted) : wanted, ids, "left_semi");
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
