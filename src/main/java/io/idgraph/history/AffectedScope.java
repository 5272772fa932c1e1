package io.idgraph.history;

import static org.apache.spark.sql.functions.*;

import io.idgraph.config.GraphConfig;
import io.idgraph.graph.DeterministicEdges;
import io.idgraph.schema.Cols;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Which part of the identity graph an incremental night must recompute. A night that brings 1% new
 * records changes few profiles; recomputing only those (and the records new tonight) gives the same
 * tables as recomputing everything, because deterministic clustering never links records of two
 * profiles unless they share a linkable identifier, and every profile holding an identifier a touched
 * record has (or had) is in the scope.
 *
 * <ol>
 *   <li>Touched records: records new or changed tonight (any field of the raw row, not only
 *       identifiers: a new name changes the profile's traits) and records that left the state (a
 *       snapshot deleted them, their source is no longer configured).
 *   <li>Touched identifiers: the linkable identifiers of touched records, both tonight's version and
 *       the previous one (a retired email may have held two records together).
 *   <li>Affected profiles: previous profiles holding a touched identifier or a touched record, plus,
 *       one hop further, previous profiles sharing a linkable identifier that still links tonight with
 *       one of them (identity rules may have kept two profiles apart over a shared identifier; a new
 *       record in one may change the outcome).
 *   <li>Scope records: records of the state whose previous profile is affected, and records with no
 *       previous profile (new tonight).
 * </ol>
 *
 * Pure Dataset functions; the caller decides whether a night may be scoped at all (see NightlyRun).
 */
public final class AffectedScope {
  private static final String PREVIOUS = Cols.INTERNAL_PREFIX + "previous_profile";

  /**
   * @param profiles (old_profile_id) of every previous profile tonight recomputes
   * @param records the state's records whose profiles tonight recomputes
   * @param touched (source, record_id) of the records new, changed or gone tonight
   */
  public record Scope(Dataset<Row> profiles, Dataset<Row> records, Dataset<Row> touched) {}

  private AffectedScope() {}

  /**
   * What tonight changed, before any rule runs: steps 1 and 2 of the class comment. The identity rules
   * need it too: only an identifier a touched record holds (or held) can become or stop being a hub.
   *
   * @param previous {@link #previousVersions}
   * @param touched {@link #touchedRecords}
   * @param identifiers (id_type, id_hash): the linkable identifiers of touched records, tonight's and
   *     previous versions
   */
  public record Change(Dataset<Row> previous, Dataset<Row> touched, Dataset<Row> identifiers) {}

  /**
   * @param previousState last night's state ({@code source_records})
   * @param tonight tonight's records (the columns of the state)
   * @param keptSources sources whose previous records stand unless re-sent (see RecordState.merge);
   *     the previous records of every other source that tonight did not send are gone
   * @param smallNight whether tonight's records are few enough to broadcast their keys (and with them
   *     every set derived from the change: touched records, identifiers, affected profiles), so the
   *     previous tables are scanned and probed instead of shuffled
   * @param cache caches an intermediate set that later steps read again (the caller's persist), or
   *     the identity
   */
  public static Change change(
      Dataset<Row> previousState,
      Dataset<Row> tonight,
      Set<String> keptSources,
      GraphConfig graph,
      boolean smallNight,
      UnaryOperator<Dataset<Row>> cache) {
    Dataset<Row> previous = cache.apply(previousVersions(previousState, tonight, keptSources, smallNight));
    Dataset<Row> touched = cache.apply(touchedRecords(previous, tonight, keptSources, smallNight));
    Dataset<Row> identifiers =
        cache.apply(touchedIdentifiers(small(touched, smallNight), previous, tonight, graph));
    return new Change(previous, touched, identifiers);
  }

  /**
   * Steps 3 and 4 of the class comment.
   *
   * @param change {@link #change}
   * @param tonight tonight's records (the columns of the state)
   * @param state the state's records after tonight
   * @param previousLinks last night's identity_links (profile_id, id_type, id_hash)
   * @param previousRecords last night's record_profiles (source, record_id, profile_id)
   * @param unlinkable identifiers that link nothing tonight (column id_hash: hubs, do-not-link)
   * @param smallNight see {@link #change}
   * @param cache see {@link #change}
   */
  public static Scope of(
      Change change,
      Dataset<Row> tonight,
      Dataset<Row> state,
      Dataset<Row> previousLinks,
      Dataset<Row> previousRecords,
      Dataset<Row> unlinkable,
      GraphConfig graph,
      boolean smallNight,
      UnaryOperator<Dataset<Row>> cache) {
    Dataset<Row> touched = small(change.touched(), smallNight);
    Dataset<Row> direct =
        small(
            affectedProfiles(touched, small(change.identifiers(), smallNight), previousLinks, previousRecords),
            smallNight);
    Dataset<Row> affected = cache.apply(expand(direct, previousLinks, unlinkable, graph, smallNight));
    return new Scope(
        affected,
        cache.apply(scopeRecords(state, tonight, change.previous(), previousRecords, affected, smallNight)),
        change.touched());
  }

  /**
   * The previous records tonight may have touched, with their raw fingerprint: those tonight re-sent,
   * and every previous record of a source not kept (a snapshot read whole tonight, a source no longer
   * configured). One scan of the previous state (four of its columns); the rest of it is not read again.
   */
  public static Dataset<Row> previousVersions(
      Dataset<Row> previousState, Dataset<Row> tonight, Set<String> keptSources, boolean smallNight) {
    Dataset<Row> state =
        previousState.select(Cols.SOURCE, Cols.RECORD_ID, Cols.RAW_FINGERPRINT, Cols.IDENTIFIERS);
    Column kept = col(Cols.SOURCE).isin(keptSources.toArray());
    Dataset<Row> resent =
        state
            .where(kept)
            .join(small(tonight.select(Cols.SOURCE, Cols.RECORD_ID), smallNight), keys(), "left_semi");
    return state.where(not(kept)).unionByName(resent);
  }

  /**
   * (source, record_id) of records new or changed tonight and of records gone from the state. Each of
   * tonight's records is compared with its previous version by the fingerprint of its raw row
   * ({@code raw_fingerprint}, which covers the source's normalization settings and the hashing key
   * too): the same raw row gives the same record, and a raw row that differs only where normalization
   * does not look merely widens the scope.
   *
   * @param previous {@link #previousVersions}
   */
  public static Dataset<Row> touchedRecords(
      Dataset<Row> previous, Dataset<Row> tonight, Set<String> keptSources, boolean smallNight) {
    Dataset<Row> tonightKeys = small(tonight.select(Cols.SOURCE, Cols.RECORD_ID), smallNight);
    Dataset<Row> changedOrNew =
        tonight
            .select(Cols.SOURCE, Cols.RECORD_ID, Cols.RAW_FINGERPRINT)
            .join(
                previous.select(Cols.SOURCE, Cols.RECORD_ID, Cols.RAW_FINGERPRINT),
                keysAnd(Cols.RAW_FINGERPRINT),
                "left_anti")
            .select(Cols.SOURCE, Cols.RECORD_ID);
    Dataset<Row> gone =
        previous
            .where(not(col(Cols.SOURCE).isin(keptSources.toArray())))
            .select(Cols.SOURCE, Cols.RECORD_ID)
            .join(tonightKeys, keys(), "left_anti");
    return changedOrNew.unionByName(gone).distinct();
  }

  /** (id_type, id_hash): linkable identifiers of the touched records, tonight's and previous versions. */
  public static Dataset<Row> touchedIdentifiers(
      Dataset<Row> touched, Dataset<Row> previous, Dataset<Row> tonight, GraphConfig graph) {
    return identifiersOf(previous, touched, graph).unionByName(identifiersOf(tonight, touched, graph)).distinct();
  }

  /** (old_profile_id) of previous profiles holding a touched identifier or a touched record. */
  static Dataset<Row> affectedProfiles(
      Dataset<Row> touched, Dataset<Row> touchedIds, Dataset<Row> previousLinks, Dataset<Row> previousRecords) {
    Dataset<Row> byIdentifier =
        previousLinks
            .join(touchedIds, new String[] {Cols.ID_TYPE, Cols.ID_HASH}, "left_semi")
            .select(col(Cols.PROFILE_ID).as(Cols.OLD_PROFILE_ID));
    Dataset<Row> byRecord =
        previousRecords
            .join(touched, keys(), "left_semi")
            .select(col(Cols.PROFILE_ID).as(Cols.OLD_PROFILE_ID));
    return byIdentifier.unionByName(byRecord).distinct();
  }

  /**
   * Adds previous profiles sharing a linkable identifier with an affected profile, unless tonight's
   * rules keep that identifier from linking (an isolated hub would pull in every profile holding it).
   */
  static Dataset<Row> expand(
      Dataset<Row> affected,
      Dataset<Row> previousLinks,
      Dataset<Row> unlinkable,
      GraphConfig graph,
      boolean smallNight) {
    Dataset<Row> shared =
        previousLinks
            .join(affected, col(Cols.PROFILE_ID).equalTo(col(Cols.OLD_PROFILE_ID)), "left_semi")
            .where(DeterministicEdges.isLinkable(col(Cols.ID_TYPE), graph))
            .select(Cols.ID_TYPE, Cols.ID_HASH)
            .join(
                unlinkable.select(col(Cols.ID_HASH)).distinct(),
                new String[] {Cols.ID_HASH},
                "left_anti")
            .distinct();
    return affected
        .unionByName(
            previousLinks
                .join(small(shared, smallNight), new String[] {Cols.ID_TYPE, Cols.ID_HASH}, "left_semi")
                .select(col(Cols.PROFILE_ID).as(Cols.OLD_PROFILE_ID)))
        .distinct();
  }

  /**
   * Records of the state whose previous profile is affected, and records new tonight (tonight's
   * records with no previous version: every previous record has a previous profile).
   *
   * @param previous {@link #previousVersions}
   */
  public static Dataset<Row> scopeRecords(
      Dataset<Row> records,
      Dataset<Row> tonight,
      Dataset<Row> previous,
      Dataset<Row> previousRecords,
      Dataset<Row> affected,
      boolean smallNight) {
    Dataset<Row> ofAffected =
        previousRecords
            .join(small(affected, smallNight), col(Cols.PROFILE_ID).equalTo(col(Cols.OLD_PROFILE_ID)), "left_semi")
            .select(Cols.SOURCE, Cols.RECORD_ID);
    Dataset<Row> fresh =
        tonight.select(Cols.SOURCE, Cols.RECORD_ID).join(previous.select(Cols.SOURCE, Cols.RECORD_ID), keys(), "left_anti");
    return records.join(small(ofAffected.unionByName(fresh), smallNight), keys(), "left_semi");
  }

  /**
   * Rows of a previous current-state table that tonight keeps: those of profiles outside the scope.
   *
   * @param profileColumn the table's column naming the profile (profile_id)
   */
  public static Dataset<Row> untouchedRows(Dataset<Row> previous, String profileColumn, Dataset<Row> affected) {
    return previous.join(
        affected, col(profileColumn).equalTo(col(Cols.OLD_PROFILE_ID)), "left_anti");
  }

  /**
   * (src_hash, dst_hash) of the previous identity_edges tonight replaces: those touching an identifier
   * a scope record holds or held (column id_hash of {@code scopeIds}). Every other edge stands. One scan
   * of the edges, each probed by both its ends.
   *
   * @param smallScope broadcast the scope's identifiers: the edges are scanned, not shuffled
   */
  public static Dataset<Row> staleEdges(
      Dataset<Row> previousEdges, Dataset<Row> scopeIds, boolean smallScope) {
    String end = Cols.INTERNAL_PREFIX + "end";
    Dataset<Row> ids = scopeIds.select(col(Cols.ID_HASH).as(end)).distinct();
    return previousEdges
        .select(
            col(Cols.SRC_HASH),
            col(Cols.DST_HASH),
            explode(array(col(Cols.SRC_HASH), col(Cols.DST_HASH))).as(end))
        .join(small(ids, smallScope), new String[] {end}, "left_semi")
        .select(Cols.SRC_HASH, Cols.DST_HASH)
        .distinct();
  }

  private static Dataset<Row> identifiersOf(Dataset<Row> records, Dataset<Row> touched, GraphConfig graph) {
    String id = Cols.INTERNAL_PREFIX + "id";
    return records
        .join(touched, new String[] {Cols.SOURCE, Cols.RECORD_ID}, "left_semi")
        .select(explode(col(Cols.IDENTIFIERS)).as(id))
        .select(
            col(id).getField(Cols.ID_TYPE).as(Cols.ID_TYPE), col(id).getField(Cols.ID_HASH).as(Cols.ID_HASH))
        .where(DeterministicEdges.isLinkable(col(Cols.ID_TYPE), graph));
  }

  /** A join side the caller knows is small: broadcast, so the other side is not shuffled. */
  private static Dataset<Row> small(Dataset<Row> rows, boolean smallNight) {
    return smallNight ? broadcast(rows) : rows;
  }

  private static String[] keys() {
    return new String[] {Cols.SOURCE, Cols.RECORD_ID};
  }

  private static String[] keysAnd(String column) {
    return new String[] {Cols.SOURCE, Cols.RECORD_ID, column};
  }
}
