package io.idgraph.inspect;

import static org.apache.spark.sql.functions.*;

import io.idgraph.config.BadInputException;
import io.idgraph.graph.LinkRules;
import io.idgraph.inspect.ProfileReport.Decision;
import io.idgraph.inspect.ProfileReport.Holder;
import io.idgraph.inspect.ProfileReport.IdChange;
import io.idgraph.inspect.ProfileReport.Identifier;
import io.idgraph.inspect.ProfileReport.Merge;
import io.idgraph.inspect.ProfileReport.Profile;
import io.idgraph.inspect.ProfileReport.Trait;
import io.idgraph.normalize.IdType;
import io.idgraph.profile.ProfileTables;
import io.idgraph.schema.Cols;
import io.idgraph.sink.OutputTables;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Answers {@code idgraph lookup}: which profiles hold an identifier, and what the output says about
 * one profile. Every query filters in Spark on one identifier or one profile id and collects at most
 * a few hundred rows: identifiers, merges and id changes are capped ({@link #MAX_IDENTIFIERS},
 * {@link #MAX_HISTORY}), records are only counted.
 *
 * <p>Reads profiles, identity_links and record_profiles (required), and link_decisions,
 * merge_history and profile_id_changes when present (an older output without them shows none).
 */
public final class ProfileLookup {
  /** The most identifiers of one profile listed; the rest are counted. */
  public static final int MAX_IDENTIFIERS = 500;
  /** The most merge_history and profile_id_changes rows listed, newest first. */
  public static final int MAX_HISTORY = 100;
  /** The most profiles listed for one identifier. */
  public static final int MAX_HOLDERS = 50;
  /** How many old-id hops {@link #current} follows before giving up (a cycle would be a bug). */
  private static final int MAX_HOPS = 20;

  private final OutputCatalog catalog;

  public ProfileLookup(OutputCatalog catalog) {
    this.catalog = catalog;
  }

  /** The profiles holding the identifier, and link_decisions about it. */
  public LookupResult byIdentifier(LookupKey key) {
    Dataset<Row> links = catalog.required(OutputTables.IDENTITY_LINKS);
    List<Row> holding =
        links
            .where(col(Cols.ID_TYPE).equalTo(key.idType()).and(col(Cols.ID_HASH).equalTo(key.idHash())))
            .select(Cols.PROFILE_ID, Cols.LINK_METHOD, Cols.CONFIDENCE, Cols.RECORD_COUNT)
            .orderBy(col(Cols.RECORD_COUNT).desc(), col(Cols.PROFILE_ID))
            .limit(MAX_HOLDERS)
            .collectAsList();
    List<Decision> decisions = decisions(key);
    if (holding.size() == 1) {
      return new LookupResult(key, null, List.of(), decisions, report(holding.get(0).getString(0), null));
    }
    return new LookupResult(key, null, holders(holding), decisions, null);
  }

  /**
   * The profile with this id; an old id that a later run merged (or unmerged) into another is
   * followed to the profile it is now part of, and the report says so.
   *
   * @throws BadInputException for an id no run ever wrote, or one whose records are gone
   */
  public LookupResult byProfileId(String profileId) {
    String[] redirect = new String[1];
    String current = current(profileId, redirect);
    return new LookupResult(null, profileId, List.of(), List.of(), report(current, redirect[0]));
  }

  private String current(String asked, String[] redirect) {
    Dataset<Row> profiles = catalog.required(OutputTables.PROFILES);
    Optional<Dataset<Row>> changes = catalog.table(OutputTables.PROFILE_ID_CHANGES);
    String id = asked;
    List<String> path = new ArrayList<>();
    for (int hop = 0; hop < MAX_HOPS; hop++) {
      if (!profiles.where(col(Cols.PROFILE_ID).equalTo(id)).limit(1).isEmpty()) {
        if (!path.isEmpty()) {
          redirect[0] = asked + " is no longer a profile id: " + String.join("; ", path);
        }
        return id;
      }
      String current = id;
      List<Row> latest = changes.map(c -> latestChanges(c, current)).orElse(List.of());
      if (latest.isEmpty()) {
        throw new BadInputException(
            "Unknown profile id '"
                + asked
                + "': not in profiles"
                + (changes.isPresent() ? " nor in profile_id_changes" : "")
                + " under "
                + catalog.root());
      }
      Optional<Row> heir =
          latest.stream()
              .filter(r -> !"split".equals(r.getAs(Cols.CHANGE_TYPE)) && r.getAs(Cols.NEW_PROFILE_ID) != null)
              .findFirst();
      Row first = latest.get(0);
      if ("deleted".equals(first.getAs(Cols.CHANGE_TYPE))) {
        throw new BadInputException(
            "Profile id '"
                + asked
                + "'"
                + (id.equals(asked) ? "" : " (later " + id + ")")
                + " was deleted in run "
                + first.getAs(Cols.RUN_ID)
                + ": none of its records is left");
      }
      if (heir.isEmpty()) {
        TreeSet<String> parts = new TreeSet<>();
        latest.forEach(r -> parts.add(r.getAs(Cols.NEW_PROFILE_ID)));
        throw new BadInputException(
            "Profile id '"
                + id
                + "' was split in run "
                + first.getAs(Cols.RUN_ID)
                + " into "
                + String.join(", ", parts)
                + "; look up one of those");
      }
      String next = heir.get().getAs(Cols.NEW_PROFILE_ID);
      path.add(
          id
              + " was "
              + heir.get().getAs(Cols.CHANGE_TYPE)
              + " into "
              + next
              + " in run "
              + heir.get().getAs(Cols.RUN_ID));
      id = next;
    }
    throw new BadInputException(
        "Profile id '" + asked + "' leads through more than " + MAX_HOPS + " id changes");
  }

  /** The rows of the latest run that changed {@code id}. */
  private static List<Row> latestChanges(Dataset<Row> changes, String id) {
    List<Row> rows =
        changes
            .where(col(Cols.OLD_PROFILE_ID).equalTo(id))
            .orderBy(col(Cols.CHANGED_AT).desc(), col(Cols.RUN_ID).desc(), col(Cols.NEW_PROFILE_ID))
            .limit(MAX_HOLDERS)
            .collectAsList();
    if (rows.isEmpty()) {
      return rows;
    }
    Object run = rows.get(0).getAs(Cols.RUN_ID);
    return rows.stream().filter(r -> run.equals(r.getAs(Cols.RUN_ID))).toList();
  }

  private List<Holder> holders(List<Row> holding) {
    if (holding.isEmpty()) {
      return List.of();
    }
    Map<String, Row> profiles = new TreeMap<>();
    for (Row r :
        catalog
            .required(OutputTables.PROFILES)
            .where(col(Cols.PROFILE_ID).isin(holding.stream().map(h -> h.getString(0)).toArray()))
            .select(Cols.PROFILE_ID, Cols.STATE, Cols.RECORD_COUNT, Cols.SOURCES)
            .collectAsList()) {
      profiles.put(r.getString(0), r);
    }
    List<Holder> out = new ArrayList<>();
    for (Row h : holding) {
      Row p = profiles.get(h.getString(0));
      out.add(
          new Holder(
              h.getString(0),
              p == null ? null : p.getString(1),
              p == null ? 0 : p.getLong(2),
              p == null ? List.of() : strings(p, 3),
              h.getString(1),
              number(h, 2),
              h.getLong(3)));
    }
    return out;
  }

  /** link_decisions rows about the identifier, of the latest run that made any. */
  private List<Decision> decisions(LookupKey key) {
    Optional<Dataset<Row>> table = catalog.table(OutputTables.LINK_DECISIONS);
    if (table.isEmpty()) {
      return List.of();
    }
    List<Row> rows =
        table
            .get()
            .where(col(Cols.ID_TYPE).equalTo(key.idType()).and(col(Cols.ID_HASH).equalTo(key.idHash())))
            .select(Cols.RULE, LinkRules.RECORDS, LinkRules.DEGREE, Cols.DETAIL, Cols.RUN_ID)
            .distinct()
            .orderBy(col(Cols.RUN_ID).desc(), col(Cols.RULE))
            .limit(MAX_HOLDERS)
            .collectAsList();
    List<Decision> out = new ArrayList<>();
    for (Row r : rows) {
      if (r.getString(4).equals(rows.get(0).getString(4))) {
        out.add(new Decision(r.getString(0), count(r, 1), count(r, 2), r.getString(3), r.getString(4)));
      }
    }
    return out;
  }

  /** The report on a current profile id. */
  private ProfileReport report(String profileId, String redirect) {
    List<Row> rows =
        catalog
            .required(OutputTables.PROFILES)
            .where(col(Cols.PROFILE_ID).equalTo(profileId))
            .limit(2)
            .collectAsList();
    if (rows.size() != 1) {
      throw new BadInputException(
          "Profile '"
              + profileId
              + "' has "
              + rows.size()
              + " rows in profiles; the output is inconsistent (is a run writing it?)");
    }
    Row p = rows.get(0);
    Profile profile =
        new Profile(
            profileId,
            p.getAs(Cols.STATE),
            longMap(p, Cols.IDENTIFIER_COUNTS),
            time(p.getAs(Cols.FIRST_SEEN)),
            time(p.getAs(Cols.LAST_SEEN)),
            p.isNullAt(p.fieldIndex(Cols.SOURCES)) ? List.of() : p.getList(p.fieldIndex(Cols.SOURCES)),
            ((Number) p.getAs(Cols.RECORD_COUNT)).longValue(),
            p.getAs(Cols.RUN_ID));

    Dataset<Row> links =
        catalog.required(OutputTables.IDENTITY_LINKS).where(col(Cols.PROFILE_ID).equalTo(profileId));
    long identifierCount = links.count();
    Map<String, List<String>> rules = rules(links);
    Column known =
        col(Cols.ID_TYPE)
            .isin(IdType.EMAIL, IdType.PHONE, IdType.USER_ID)
            .or(col(Cols.ID_TYPE).startsWith(IdType.EXTERNAL_ID_PREFIX));
    List<Identifier> identifiers = new ArrayList<>();
    for (Row r :
        links
            .orderBy(known.desc(), col(Cols.RECORD_COUNT).desc(), col(Cols.ID_TYPE), col(Cols.ID_HASH))
            .select(
                Cols.ID_TYPE,
                Cols.ID_HASH,
                Cols.FIRST_SEEN,
                Cols.LAST_SEEN,
                Cols.SOURCES,
                Cols.RECORD_COUNT,
                Cols.LINK_METHOD,
                Cols.CONFIDENCE)
            .limit(MAX_IDENTIFIERS)
            .collectAsList()) {
      identifiers.add(
          new Identifier(
              r.getString(0),
              r.getString(1),
              time(r.get(2)),
              time(r.get(3)),
              strings(r, 4),
              r.getLong(5),
              r.getString(6),
              number(r, 7),
              rules.getOrDefault(r.getString(0) + ":" + r.getString(1), List.of())));
    }

    Map<String, Long> bySource = new TreeMap<>();
    for (Row r :
        catalog
            .required(OutputTables.RECORD_PROFILES)
            .where(col(Cols.PROFILE_ID).equalTo(profileId))
            .groupBy(Cols.SOURCE)
            .count()
            .collectAsList()) {
      bySource.put(r.getString(0), r.getLong(1));
    }

    return new ProfileReport(
        profile,
        identifiers,
        identifierCount - identifiers.size(),
        traits(p),
        bySource,
        merges(profileId),
        absorbed(profileId),
        redirect);
  }

  /** "type:hash" → the rules of link_decisions that hold the identifier, for the links' runs. */
  private Map<String, List<String>> rules(Dataset<Row> links) {
    Optional<Dataset<Row>> table = catalog.table(OutputTables.LINK_DECISIONS);
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (table.isEmpty()) {
      return out;
    }
    String t = Cols.INTERNAL_PREFIX + "id_type";
    String h = Cols.INTERNAL_PREFIX + "id_hash";
    String run = Cols.INTERNAL_PREFIX + "run_id";
    Dataset<Row> held =
        links.select(col(Cols.ID_TYPE).as(t), col(Cols.ID_HASH).as(h), col(Cols.RUN_ID).as(run));
    for (Row r :
        table
            .get()
            .join(
                held,
                col(Cols.ID_TYPE)
                    .equalTo(col(t))
                    .and(col(Cols.ID_HASH).equalTo(col(h)))
                    .and(col(Cols.RUN_ID).equalTo(col(run))),
                "left_semi")
            .select(Cols.ID_TYPE, Cols.ID_HASH, Cols.RULE)
            .distinct()
            .orderBy(Cols.ID_TYPE, Cols.ID_HASH, Cols.RULE)
            .limit(MAX_IDENTIFIERS * 4)
            .collectAsList()) {
      out.computeIfAbsent(r.getString(0) + ":" + r.getString(1), k -> new ArrayList<>())
          .add(r.getString(2));
    }
    return out;
  }

  private static List<Trait> traits(Row p) {
    Map<String, Row> sources =
        p.isNullAt(p.fieldIndex(Cols.TRAIT_SOURCES)) ? Map.of() : p.getJavaMap(p.fieldIndex(Cols.TRAIT_SOURCES));
    List<Trait> out = new ArrayList<>();
    for (String name : ProfileTables.TRAITS) {
      Object value = p.getAs(name);
      if (value == null) {
        continue;
      }
      Row from = sources.get(name);
      out.add(
          from == null
              ? new Trait(name, value.toString(), null, null, null, null)
              : new Trait(
                  name,
                  value.toString(),
                  from.getAs(Cols.SOURCE),
                  from.getAs(Cols.RECORD_ID),
                  time(from.getAs(Cols.OBSERVED_AT)),
                  from.getAs(Cols.STRATEGY)));
    }
    return out;
  }

  private List<Merge> merges(String profileId) {
    Optional<Dataset<Row>> table = catalog.table(OutputTables.MERGE_HISTORY);
    if (table.isEmpty()) {
      return List.of();
    }
    Column involves =
        col(Cols.SURVIVING_PROFILE_ID)
            .equalTo(profileId)
            .or(coalesce(array_contains(col(Cols.MERGED_PROFILE_IDS), profileId), lit(false)))
            .or(coalesce(array_contains(col(Cols.SPLIT_PROFILE_IDS), profileId), lit(false)));
    List<Merge> out = new ArrayList<>();
    for (Row r :
        table
            .get()
            .where(involves)
            .orderBy(col(Cols.MERGED_AT).desc(), col(Cols.MERGE_ID))
            .limit(MAX_HISTORY)
            .collectAsList()) {
      out.add(
          new Merge(
              r.getAs(Cols.MERGE_ID),
              r.getAs(Cols.RUN_ID),
              r.getAs(Cols.EVENT),
              time(r.getAs(Cols.MERGED_AT)),
              r.getAs(Cols.SURVIVING_PROFILE_ID),
              strings(r, r.fieldIndex(Cols.MERGED_PROFILE_IDS)),
              strings(r, r.fieldIndex(Cols.SPLIT_PROFILE_IDS)),
              r.getAs(Cols.METHOD),
              number(r, r.fieldIndex(Cols.PROBABILITY)),
              r.getAs(Cols.ACTOR),
              r.getAs(Cols.REASON)));
    }
    return out;
  }

  private List<IdChange> absorbed(String profileId) {
    Optional<Dataset<Row>> table = catalog.table(OutputTables.PROFILE_ID_CHANGES);
    if (table.isEmpty()) {
      return List.of();
    }
    List<IdChange> out = new ArrayList<>();
    for (Row r :
        table
            .get()
            .where(col(Cols.NEW_PROFILE_ID).equalTo(profileId))
            .orderBy(col(Cols.CHANGED_AT).desc(), col(Cols.OLD_PROFILE_ID))
            .limit(MAX_HISTORY)
            .collectAsList()) {
      out.add(
          new IdChange(
              r.getAs(Cols.RUN_ID),
              time(r.getAs(Cols.CHANGED_AT)),
              r.getAs(Cols.OLD_PROFILE_ID),
              r.getAs(Cols.NEW_PROFILE_ID),
              r.getAs(Cols.CHANGE_TYPE),
              r.getAs(Cols.MERGE_ID)));
    }
    return out;
  }

  /** An ISO-8601 UTC time, or null. */
  static String time(Object value) {
    return value instanceof Timestamp t ? t.toInstant().toString() : null;
  }

  private static List<String> strings(Row r, int i) {
    return r.isNullAt(i) ? List.of() : List.copyOf(r.<String>getList(i));
  }

  private static Double number(Row r, int i) {
    return r.isNullAt(i) ? null : ((Number) r.get(i)).doubleValue();
  }

  private static Long count(Row r, int i) {
    return r.isNullAt(i) ? null : ((Number) r.get(i)).longValue();
  }

  private static Map<String, Long> longMap(Row r, String column) {
    int i = r.fieldIndex(column);
    Map<String, Long> out = new TreeMap<>();
    if (!r.isNullAt(i)) {
      r.<String, Object>getJavaMap(i).forEach((k, v) -> out.put(k, ((Number) v).longValue()));
    }
    return out;
  }
}
