package io.idgraph.ops;

import static org.apache.spark.sql.functions.*;

import io.idgraph.schema.Cols;
import io.idgraph.sink.OutputTables;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The pure part of a right-to-erasure request (idgraph forget): which profiles, records and
 * identifiers are the person, which rows of each night table are theirs, and the tombstones left in
 * their place. Datasets in, Datasets out; {@code sink.RowEraser} deletes, the command sequences.
 *
 * <p>The person is every profile holding one of the requested identifiers (in identity_links, or
 * on one of its records in record_profiles), with all their records. Their identifiers are the
 * requested ones plus every identifier of those profiles and records that no other profile holds:
 * an identifier another profile also holds (a shared family phone kept apart by a rule) stays, with
 * the other profile's rows.
 */
public final class Erasure {
  private Erasure() {}

  /** merge_history.event and profile_id_changes.change_type of a tombstone. */
  public static final String ERASED = "erased";

  private static final String TOKEN = Cols.INTERNAL_PREFIX + "token";
  private static final String TOKENS = Cols.INTERNAL_PREFIX + "tokens";
  private static final String HIT = Cols.INTERNAL_PREFIX + "hit";
  private static final String RECORDS = Cols.INTERNAL_PREFIX + "records";
  /** MERGE source columns: prefixed so they never clash with a target column. */
  public static final String KEY_PROFILE = Cols.INTERNAL_PREFIX + "profile_id";

  public static final String KEY_HASH = Cols.INTERNAL_PREFIX + "id_hash";

  /**
   * The person, as found before anything is deleted.
   *
   * @param profiles profile_id of every current profile erased
   * @param records source, record_id (and deterministic_profile_id when recorded) of their records
   * @param identifiers id_type, id_hash, origin (requested | linked) of every identifier suppressed
   * @param holders id_type, id_hash, profile_id: which erased profile held which identifier
   */
  public record Person(
      Dataset<Row> profiles, Dataset<Row> records, Dataset<Row> identifiers, Dataset<Row> holders) {}

  /** One deletion: the rows of {@code table} matching a row of {@code keys} (t. and s. columns). */
  public record Deletion(String table, Dataset<Row> keys, Column matches) {}

  /**
   * Finds the person.
   *
   * @param requested id_type, id_hash of the requested identifiers
   * @param links identity_links
   * @param recordProfiles record_profiles
   */
  public static Person person(
      Dataset<Row> requested, Dataset<Row> links, Dataset<Row> recordProfiles) {
    Dataset<Row> recordIds =
        recordProfiles
            .select(
                col(Cols.PROFILE_ID), explode(col(Cols.IDENTIFIERS)).as(TOKEN))
            .select(
                col(TOKEN).getField(Cols.ID_TYPE).as(Cols.ID_TYPE),
                col(TOKEN).getField(Cols.ID_HASH).as(Cols.ID_HASH),
                col(Cols.PROFILE_ID));
    Dataset<Row> held =
        links.select(Cols.ID_TYPE, Cols.ID_HASH, Cols.PROFILE_ID).unionByName(recordIds).distinct();
    Dataset<Row> req = requested.select(Cols.ID_TYPE, Cols.ID_HASH).distinct();
    Dataset<Row> profiles =
        held.join(broadcast(req), new String[] {Cols.ID_TYPE, Cols.ID_HASH})
            .select(Cols.PROFILE_ID)
            .distinct();
    List<String> recordColumns = new ArrayList<>(List.of(Cols.SOURCE, Cols.RECORD_ID));
    if (Arrays.asList(recordProfiles.columns()).contains(Cols.DETERMINISTIC_PROFILE_ID)) {
      recordColumns.add(Cols.DETERMINISTIC_PROFILE_ID);
    }
    Dataset<Row> records =
        recordProfiles
            .join(broadcast(profiles), Cols.PROFILE_ID)
            .select(recordColumns.stream().map(c -> col(c)).toArray(Column[]::new));
    Dataset<Row> holders = held.join(broadcast(profiles), Cols.PROFILE_ID);
    Dataset<Row> heldByOthers =
        held.join(broadcast(profiles), new String[] {Cols.PROFILE_ID}, "left_anti")
            .select(Cols.ID_TYPE, Cols.ID_HASH);
    Dataset<Row> linked =
        holders
            .select(Cols.ID_TYPE, Cols.ID_HASH)
            .distinct()
            .join(req, new String[] {Cols.ID_TYPE, Cols.ID_HASH}, "left_anti")
            .join(heldByOthers, new String[] {Cols.ID_TYPE, Cols.ID_HASH}, "left_anti")
            .withColumn(ErasureRequests.ORIGIN, lit(ErasureRequests.LINKED));
    Dataset<Row> identifiers =
        req.withColumn(ErasureRequests.ORIGIN, lit(ErasureRequests.REQUESTED)).unionByName(linked);
    return new Person(
        profiles,
        records,
        identifiers,
        holders.join(identifiers.select(Cols.ID_TYPE, Cols.ID_HASH), new String[] {Cols.ID_TYPE, Cols.ID_HASH}));
  }

  /**
   * Per suppressed identifier: profiles_erased (erased profiles that held it) and records_erased
   * (their records); 0 and 0 for a requested identifier no profile holds.
   */
  public static Dataset<Row> counts(Person person, Dataset<Row> recordProfiles) {
    Dataset<Row> perProfile =
        recordProfiles
            .join(broadcast(person.profiles()), Cols.PROFILE_ID)
            .groupBy(Cols.PROFILE_ID)
            .agg(count(lit(1)).as(RECORDS));
    Dataset<Row> byIdentifier =
        person
            .holders()
            .join(perProfile, Cols.PROFILE_ID, "left")
            .groupBy(Cols.ID_TYPE, Cols.ID_HASH)
            .agg(
                countDistinct(col(Cols.PROFILE_ID)).as(ErasureRequests.PROFILES_ERASED),
                coalesce(sum(RECORDS), lit(0L)).as(ErasureRequests.RECORDS_ERASED));
    return person
        .identifiers()
        .join(byIdentifier, new String[] {Cols.ID_TYPE, Cols.ID_HASH}, "left")
        .select(
            col(Cols.ID_TYPE),
            col(Cols.ID_HASH),
            col(ErasureRequests.ORIGIN),
            coalesce(col(ErasureRequests.PROFILES_ERASED), lit(0L)).as(ErasureRequests.PROFILES_ERASED),
            coalesce(col(ErasureRequests.RECORDS_ERASED), lit(0L)).as(ErasureRequests.RECORDS_ERASED));
  }

  /**
   * Every strand of the person that merge_history may name: profile ids (current, and earlier ones
   * that merged into them), the source entities of their records ("external_id:crm:&lt;hash&gt;",
   * "web:record:&lt;id&gt;") and every suppressed identifier as "type:hash".
   */
  public static Dataset<Row> tokens(Person person, Dataset<Row> allProfileIds) {
    return allProfileIds
        .select(col(Cols.PROFILE_ID).as(TOKEN))
        .unionByName(
            person.identifiers().select(concat_ws(":", col(Cols.ID_TYPE), col(Cols.ID_HASH)).as(TOKEN)))
        .unionByName(
            person
                .records()
                .select(concat_ws(":", col(Cols.SOURCE), lit("record"), col(Cols.RECORD_ID)).as(TOKEN)))
        .distinct();
  }

  /**
   * The deletions of every night table present in {@code tables} (absent tables and tables without
   * the needed columns are skipped). merge_history is rewritten, not listed here: see {@link
   * #historyRewrite}.
   *
   * @param allProfileIds the current erased profiles plus earlier ids that merged into them
   */
  public static List<Deletion> deletions(
      Person person,
      Dataset<Row> allProfileIds,
      Function<String, Optional<Dataset<Row>>> tables) {
    List<Deletion> out = new ArrayList<>();
    Dataset<Row> profileKeys = person.profiles().select(col(Cols.PROFILE_ID).as(KEY_PROFILE));
    Dataset<Row> allProfileKeys = allProfileIds.select(col(Cols.PROFILE_ID).as(KEY_PROFILE)).distinct();
    Dataset<Row> recordKeys =
        person
            .records()
            .select(col(Cols.SOURCE).as(KEY_PROFILE + "_src"), col(Cols.RECORD_ID).as(KEY_PROFILE + "_rec"));
    Column recordMatch =
        col("t." + Cols.SOURCE)
            .equalTo(col("s." + KEY_PROFILE + "_src"))
            .and(col("t." + Cols.RECORD_ID).equalTo(col("s." + KEY_PROFILE + "_rec")));
    Dataset<Row> hashKeys =
        person.identifiers().select(col(Cols.ID_HASH).as(KEY_HASH)).distinct();
    for (String table :
        List.of(
            OutputTables.PROFILES,
            OutputTables.IDENTITY_LINKS,
            OutputTables.RECORD_PROFILES,
            OutputTables.PROFILE_EVENTS)) {
      add(out, tables, table, profileKeys, col("t." + Cols.PROFILE_ID).equalTo(col("s." + KEY_PROFILE)), Cols.PROFILE_ID);
    }
    add(
        out, tables, OutputTables.IDENTITY_EDGES, hashKeys,
        col("t." + Cols.SRC_HASH).equalTo(col("s." + KEY_HASH)).or(col("t." + Cols.DST_HASH).equalTo(col("s." + KEY_HASH))),
        Cols.SRC_HASH, Cols.DST_HASH);
    for (String table : List.of(OutputTables.SOURCE_RECORDS, OutputTables.MERGE_SNAPSHOTS, OutputTables.RECORD_CHANGES)) {
      add(out, tables, table, recordKeys, recordMatch, Cols.SOURCE, Cols.RECORD_ID);
    }
    add(
        out, tables, OutputTables.REJECTED_RECORDS, recordKeys,
        col("t." + Cols.SOURCE)
            .equalTo(col("s." + KEY_PROFILE + "_src"))
            .and(col("t." + Cols.RECORD_REF).equalTo(col("s." + KEY_PROFILE + "_rec"))),
        Cols.SOURCE, Cols.RECORD_REF);
    add(
        out, tables, OutputTables.LINK_DECISIONS, hashKeys,
        col("t." + Cols.ID_HASH).equalTo(col("s." + KEY_HASH)), Cols.ID_HASH);
    // Scored pairs name deterministic profiles (profile_a, profile_b) and the final profile.
    Dataset<Row> pairKeys = profileKeys;
    if (Arrays.asList(person.records().columns()).contains(Cols.DETERMINISTIC_PROFILE_ID)) {
      pairKeys =
          profileKeys
              .unionByName(
                  person.records().select(col(Cols.DETERMINISTIC_PROFILE_ID).as(KEY_PROFILE)))
              .where(col(KEY_PROFILE).isNotNull())
              .distinct();
    }
    add(
        out, tables, OutputTables.MERGE_CANDIDATES, pairKeys,
        col("t." + Cols.PROFILE_A)
            .equalTo(col("s." + KEY_PROFILE))
            .or(col("t." + Cols.PROFILE_B).equalTo(col("s." + KEY_PROFILE)))
            .or(col("t." + Cols.PROFILE_ID).equalTo(col("s." + KEY_PROFILE))),
        Cols.PROFILE_A, Cols.PROFILE_B, Cols.PROFILE_ID);
    add(
        out, tables, OutputTables.PROFILE_ID_CHANGES, allProfileKeys,
        col("t." + Cols.OLD_PROFILE_ID)
            .equalTo(col("s." + KEY_PROFILE))
            .or(col("t." + Cols.NEW_PROFILE_ID).equalTo(col("s." + KEY_PROFILE))),
        Cols.OLD_PROFILE_ID, Cols.NEW_PROFILE_ID);
    // A record that retired or added one of the person's identifiers (a contact's old email).
    tables
        .apply(OutputTables.RECORD_CHANGES)
        .filter(t -> hasColumns(t, Cols.RUN_ID, Cols.SOURCE, Cols.RECORD_ID, "retired_identifiers", "added_identifiers"))
        .ifPresent(
            changes -> {
              Dataset<Row> hashes =
                  hashKeys.agg(collect_set(col(KEY_HASH)).as(TOKENS));
              Column carries =
                  exists(
                          concat(
                              coalesce(col("retired_identifiers"), array()),
                              coalesce(col("added_identifiers"), array())),
                          id -> array_contains(col(TOKENS), id.getField(Cols.ID_HASH)))
                      .or(lit(false));
              Dataset<Row> keys =
                  changes
                      .crossJoin(broadcast(hashes))
                      .where(carries)
                      .select(
                          col(Cols.RUN_ID).as(KEY_PROFILE + "_run"),
                          col(Cols.SOURCE).as(KEY_PROFILE + "_src"),
                          col(Cols.RECORD_ID).as(KEY_PROFILE + "_rec"))
                      .distinct();
              out.add(
                  new Deletion(
                      OutputTables.RECORD_CHANGES,
                      keys,
                      recordMatch.and(col("t." + Cols.RUN_ID).equalTo(col("s." + KEY_PROFILE + "_run")))));
            });
    return out;
  }

  private static void add(
      List<Deletion> out,
      Function<String, Optional<Dataset<Row>>> tables,
      String table,
      Dataset<Row> keys,
      Column matches,
      String... needed) {
    tables
        .apply(table)
        .filter(t -> hasColumns(t, needed))
        .ifPresent(t -> out.add(new Deletion(table, keys, matches)));
  }

  private static boolean hasColumns(Dataset<Row> table, String... columns) {
    return Arrays.asList(table.columns()).containsAll(List.of(columns));
  }

  /**
   * merge_history after the erasure: {@code stale} holds the merge_id of every row that names the
   * person (deleted), {@code rows} the rows to append in their place: the rows of other profiles
   * that named one of the person's strands, with those strands taken out of merged_profile_ids and
   * split_profile_ids, and one tombstone per erased profile.
   */
  public record HistoryRewrite(Dataset<Row> stale, Dataset<Row> rows) {}

  public static HistoryRewrite historyRewrite(
      Dataset<Row> mergeHistory,
      Person person,
      Dataset<Row> tokens,
      String requestId,
      Audit audit,
      Instant at) {
    Dataset<Row> tokenSet = tokens.agg(collect_set(col(TOKEN)).as(TOKENS));
    Column survivorErased =
        coalesce(array_contains(col(TOKENS), col(Cols.SURVIVING_PROFILE_ID)), lit(false));
    Column hit =
        survivorErased
            .or(coalesce(exists(col(Cols.MERGED_PROFILE_IDS), x -> array_contains(col(TOKENS), x)), lit(false)))
            .or(coalesce(exists(col(Cols.SPLIT_PROFILE_IDS), x -> array_contains(col(TOKENS), x)), lit(false)));
    Dataset<Row> flagged =
        mergeHistory.crossJoin(broadcast(tokenSet)).withColumn(HIT, hit).where(col(HIT));
    Dataset<Row> stale = flagged.select(col(Cols.MERGE_ID).as(KEY_PROFILE)).distinct();
    Column[] kept =
        Arrays.stream(mergeHistory.columns())
            .map(
                c ->
                    c.equals(Cols.MERGED_PROFILE_IDS) || c.equals(Cols.SPLIT_PROFILE_IDS)
                        ? filter(col(c), x -> not(array_contains(col(TOKENS), x))).as(c)
                        : col(c))
            .toArray(Column[]::new);
    Dataset<Row> rewritten = flagged.where(not(survivorErased)).select(kept);
    Dataset<Row> tombstones =
        conform(
            person
                .profiles()
                .select(
                    concat(lit("ers_"), substring(sha2(concat_ws("|", lit(requestId), col(Cols.PROFILE_ID)), 256), 1, 24))
                        .as(Cols.MERGE_ID),
                    lit(requestId).as(Cols.RUN_ID),
                    lit(ERASED).as(Cols.EVENT),
                    lit(Timestamp.from(at)).as(Cols.MERGED_AT),
                    col(Cols.PROFILE_ID).as(Cols.SURVIVING_PROFILE_ID),
                    array().cast("array<string>").as(Cols.MERGED_PROFILE_IDS),
                    array().cast("array<string>").as(Cols.SPLIT_PROFILE_IDS),
                    array().cast("array<string>").as(Cols.SIGNALS),
                    lit("manual").as(Cols.METHOD),
                    lit(audit.actor()).as(Cols.ACTOR),
                    lit("erased by request " + requestId).as(Cols.REASON)),
            mergeHistory.schema());
    return new HistoryRewrite(stale, rewritten.unionByName(tombstones));
  }

  /**
   * One profile_id_changes row per erased profile (change_type erased, new_profile_id null), so a
   * downstream system that keeps profile ids learns to delete the person too.
   */
  public static Dataset<Row> idChangeTombstones(
      Person person, StructType schema, String requestId, Instant at) {
    return conform(
        person
            .profiles()
            .select(
                lit(requestId).as(Cols.RUN_ID),
                lit(Timestamp.from(at)).as(Cols.CHANGED_AT),
                col(Cols.PROFILE_ID).as(Cols.OLD_PROFILE_ID),
                lit(null).cast("string").as(Cols.NEW_PROFILE_ID),
                lit(ERASED).as(Cols.CHANGE_TYPE),
                concat(lit("ers_"), substring(sha2(concat_ws("|", lit(requestId), col(Cols.PROFILE_ID)), 256), 1, 24))
                    .as(Cols.MERGE_ID)),
        schema);
  }

  /** {@code rows} with exactly the columns of {@code schema}, in order; a column it lacks is null. */
  static Dataset<Row> conform(Dataset<Row> rows, StructType schema) {
    List<String> present = Arrays.asList(rows.columns());
    List<Column> cols = new ArrayList<>();
    for (StructField f : schema.fields()) {
      cols.add(
          (present.contains(f.name()) ? col(f.name()) : lit(null)).cast(f.dataType()).as(f.name()));
    }
    return rows.select(cols.toArray(Column[]::new));
  }
}
