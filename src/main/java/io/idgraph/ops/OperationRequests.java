package io.idgraph.ops;

import static org.apache.spark.sql.functions.*;

import io.idgraph.config.BadInputException;
import io.idgraph.schema.Cols;
import io.idgraph.scoring.ScoredLinks;
import io.idgraph.sink.OutputTables;
import io.idgraph.sink.RunCommits;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Checks a requested manual operation against the output of the last nightly run and the operations
 * already recorded, and builds its manual_operations row. A request that cannot be carried out (a
 * profile that does not exist, a merge whose undo window closed, a duplicate) is refused with one
 * line saying why ({@link BadInputException}, exit 2), before anything is written. Reads only: the
 * caller holds the output lock and appends the row ({@link ManualOperations#append}).
 *
 * <p>"Now" is given to the constructor, so the undo window can be tested without waiting for it.
 */
public final class OperationRequests {
  /**
   * The pre-merge membership of every merged profile (merge_id, run_id, profile_id, source,
   * record_id), written by the run; absent before the first run that writes it.
   */
  static final String MERGE_SNAPSHOTS = OutputTables.MERGE_SNAPSHOTS;

  private static final String MERGED_AT = "merged_at";
  private static final String REVERSIBLE_UNTIL = "reversible_until";

  /** Review decisions allowed per candidate status. */
  private static final Map<String, Set<String>> ALLOWED_STATUS =
      Map.of(
          ManualOperations.APPROVE, Set.of(ScoredLinks.PENDING, ScoredLinks.REFUSED),
          ManualOperations.REJECT, Set.of(ScoredLinks.PENDING, ScoredLinks.MERGED));

  private final SparkSession spark;
  private final String outputRoot;
  private final Instant now;

  public OperationRequests(SparkSession spark, String outputRoot, Instant now) {
    this.spark = spark;
    this.outputRoot = outputRoot;
    this.now = now;
  }

  /**
   * Merge two final profiles: both must be in profiles; each is anchored by its smallest (source,
   * record_id) in record_profiles.
   */
  public ManualOperation merge(String profileA, String profileB, Audit audit) {
    if (profileA.equals(profileB)) {
      throw refused("merge needs two different profiles, got " + profileA + " twice");
    }
    List<String> ids = List.of(profileA, profileB);
    Dataset<Row> profiles = required(OutputTables.PROFILES, Cols.PROFILE_ID);
    Set<String> present =
        profiles
            .where(col(Cols.PROFILE_ID).isin(profileA, profileB))
            .select(Cols.PROFILE_ID)
            .distinct()
            .collectAsList()
            .stream()
            .map(r -> r.getString(0))
            .collect(Collectors.toSet());
    List<String> missing = ids.stream().filter(id -> !present.contains(id)).toList();
    if (!missing.isEmpty()) {
      throw refused(
          "no profile "
              + String.join(" or ", missing)
              + " in "
              + path(OutputTables.PROFILES)
              + " (profile ids of the last run)");
    }
    return ManualOperation.merge(ids, anchors(Cols.PROFILE_ID, ids), audit, now);
  }

  /**
   * Undo a merge of merge_history: only within its undo window, only when the run kept a snapshot
   * of the merged profiles' membership, and only once.
   */
  public ManualOperation unmerge(String mergeId, int reversibleDays, Audit audit) {
    Dataset<Row> history =
        required(
            OutputTables.MERGE_HISTORY, ManualOperations.MERGE_ID, MERGED_AT, REVERSIBLE_UNTIL);
    List<Row> merge =
        history
            .where(col(ManualOperations.MERGE_ID).equalTo(mergeId))
            .select(MERGED_AT, REVERSIBLE_UNTIL)
            .limit(1)
            .collectAsList();
    if (merge.isEmpty()) {
      throw refused("no merge " + mergeId + " in " + path(OutputTables.MERGE_HISTORY));
    }
    Optional<Row> earlier =
        latest(
            recorded()
                .where(
                    col(ManualOperations.OPERATION)
                        .equalTo(ManualOperations.UNMERGE)
                        .and(col(ManualOperations.MERGE_ID).equalTo(mergeId))));
    if (earlier.isPresent()) {
      throw refused("an unmerge of " + mergeId + " is already recorded" + byWhom(earlier.get()));
    }
    Timestamp mergedAt = merge.get(0).getTimestamp(0);
    Timestamp until = merge.get(0).getTimestamp(1);
    if (until == null || now.isAfter(until.toInstant())) {
      throw refused(
          "merge "
              + mergeId
              + " was made at "
              + instant(mergedAt)
              + "; its undo window closed at "
              + instant(until)
              + " (history.reversible_days = "
              + reversibleDays
              + ")");
    }
    boolean snapshot =
        optional(MERGE_SNAPSHOTS, ManualOperations.MERGE_ID)
            .map(s -> !s.where(col(ManualOperations.MERGE_ID).equalTo(mergeId)).isEmpty())
            .orElse(false);
    if (!snapshot) {
      throw refused(
          "merge "
              + mergeId
              + " formed a new profile from source records on their first night, so there is no"
              + " earlier profile to restore (no rows in "
              + path(MERGE_SNAPSHOTS)
              + "); to keep identifiers apart use block or rules.do_not_link_pairs");
    }
    return ManualOperation.unmerge(mergeId, audit, now);
  }

  /**
   * Block an identifier from linking. {@code idType} null: looked up by hash in identity_links,
   * where it must appear under exactly one type.
   */
  public ManualOperation block(String idType, String idHash, Audit audit) {
    String type = idType != null ? idType : typeOf(idHash);
    Optional<Row> earlier =
        latest(
            recorded()
                .where(
                    col(ManualOperations.OPERATION)
                        .equalTo(ManualOperations.BLOCK)
                        .and(col(ManualOperations.ID_TYPE).equalTo(type))
                        .and(col(ManualOperations.ID_HASH).equalTo(idHash))));
    if (earlier.isPresent()) {
      throw refused(
          "a block of "
              + type
              + " "
              + idHash.substring(0, 12)
              + "… is already recorded"
              + byWhom(earlier.get()));
    }
    return ManualOperation.block(type, idHash, audit, now);
  }

  /**
   * Approve or reject a scored pair of merge_candidates. Approve is for pending and refused pairs,
   * reject for pending and merged ones; each side is anchored by the smallest record of its
   * deterministic profile. The same decision twice in a row on one candidate is refused; changing
   * an earlier decision is allowed (the later one is the standing one).
   */
  public ManualOperation review(String decision, String candidateId, Audit audit) {
    Set<String> allowed = ALLOWED_STATUS.get(decision);
    if (allowed == null) {
      throw new IllegalArgumentException("not a review decision: " + decision);
    }
    List<Row> found =
        required(
                OutputTables.MERGE_CANDIDATES,
                Cols.CANDIDATE_ID,
                Cols.PROFILE_A,
                Cols.PROFILE_B,
                Cols.STATUS)
            .where(col(Cols.CANDIDATE_ID).equalTo(candidateId))
            .select(Cols.PROFILE_A, Cols.PROFILE_B, Cols.STATUS)
            .limit(1)
            .collectAsList();
    if (found.isEmpty()) {
      throw refused(
          "no candidate "
              + candidateId
              + " in "
              + path(OutputTables.MERGE_CANDIDATES)
              + " (the last run's scored pairs; idgraph review --list shows the pending ones)");
    }
    Row candidate = found.get(0);
    String status = candidate.getString(2);
    if (!allowed.contains(status)) {
      throw refused(
          "candidate "
              + candidateId
              + " is "
              + status
              + "; "
              + decision
              + " applies only to "
              + allowed.stream().sorted().collect(Collectors.joining(" or "))
              + " candidates");
    }
    Optional<Row> last =
        latest(recorded().where(col(ManualOperations.CANDIDATE_ID).equalTo(candidateId)));
    if (last.isPresent() && decision.equals(last.get().getAs(ManualOperations.OPERATION))) {
      throw refused(
          "candidate " + candidateId + " is already " + decision + "d" + byWhom(last.get()));
    }
    List<String> sides = List.of(candidate.getString(0), candidate.getString(1));
    return ManualOperation.review(
        decision, candidateId, sides, anchors(Cols.DETERMINISTIC_PROFILE_ID, sides), audit, now);
  }

  /** Pending candidates, most probable first: candidate_id, probability, profile_a, profile_b. */
  public List<Row> pending(int limit) {
    return required(
            OutputTables.MERGE_CANDIDATES,
            Cols.CANDIDATE_ID,
            Cols.PROBABILITY,
            Cols.PROFILE_A,
            Cols.PROFILE_B,
            Cols.STATUS)
        .where(col(Cols.STATUS).equalTo(ScoredLinks.PENDING))
        .orderBy(col(Cols.PROBABILITY).desc(), col(Cols.CANDIDATE_ID))
        .select(Cols.CANDIDATE_ID, Cols.PROBABILITY, Cols.PROFILE_A, Cols.PROFILE_B)
        .limit(limit)
        .collectAsList();
  }

  /** The smallest (source, record_id) of each profile in record_profiles, in the order given. */
  private List<AnchorRecord> anchors(String profileColumn, List<String> profileIds) {
    Map<String, AnchorRecord> smallest = new HashMap<>();
    required(OutputTables.RECORD_PROFILES, Cols.SOURCE, Cols.RECORD_ID, profileColumn)
        .where(col(profileColumn).isin(profileIds.toArray()))
        .groupBy(col(profileColumn))
        .agg(min(struct(col(Cols.SOURCE), col(Cols.RECORD_ID))).as("first"))
        .collectAsList()
        .forEach(
            r -> {
              Row first = r.getStruct(1);
              smallest.put(
                  r.getString(0), new AnchorRecord(first.getString(0), first.getString(1)));
            });
    List<AnchorRecord> out = new ArrayList<>();
    for (String id : profileIds) {
      AnchorRecord anchor = smallest.get(id);
      if (anchor == null) {
        throw refused(
            "profile "
                + id
                + " has no record in "
                + path(OutputTables.RECORD_PROFILES)
                + " ("
                + profileColumn
                + "), so nothing can anchor it for the next run");
      }
      out.add(anchor);
    }
    return out;
  }

  /**
   * Whether the last run saw the identifier. An unseen one may be blocked ahead of time, but it may
   * also be a value hashed with another key than the run's, which the command warns about.
   */
  public boolean seen(String idType, String idHash) {
    return !required(OutputTables.IDENTITY_LINKS, Cols.ID_TYPE, Cols.ID_HASH)
        .where(col(Cols.ID_TYPE).equalTo(idType).and(col(Cols.ID_HASH).equalTo(idHash)))
        .isEmpty();
  }

  private String typeOf(String idHash) {
    List<String> types =
        required(OutputTables.IDENTITY_LINKS, Cols.ID_TYPE, Cols.ID_HASH)
            .where(col(Cols.ID_HASH).equalTo(idHash))
            .select(Cols.ID_TYPE)
            .distinct()
            .orderBy(Cols.ID_TYPE)
            .collectAsList()
            .stream()
            .map(r -> r.getString(0))
            .toList();
    if (types.isEmpty()) {
      throw refused(
          "no identifier with hash "
              + idHash
              + " in "
              + path(OutputTables.IDENTITY_LINKS)
              + "; give its type with --id-type to block it anyway");
    }
    if (types.size() > 1) {
      throw refused(
          "hash "
              + idHash
              + " appears under several types ("
              + String.join(", ", types)
              + "); choose one with --id-type");
    }
    return types.get(0);
  }

  private Dataset<Row> recorded() {
    return ManualOperations.read(spark, outputRoot);
  }

  /** The most recently recorded of some operations, if any. */
  private static Optional<Row> latest(Dataset<Row> operations) {
    return operations
        .orderBy(col(ManualOperations.REQUESTED_AT).desc(), col(ManualOperations.OP_ID).desc())
        .limit(1)
        .collectAsList()
        .stream()
        .findFirst();
  }

  private static String byWhom(Row op) {
    return " ("
        + op.getAs(ManualOperations.OP_ID)
        + " by "
        + op.getAs(ManualOperations.ACTOR)
        + " at "
        + instant(op.getAs(ManualOperations.REQUESTED_AT))
        + ")";
  }

  private static String instant(Timestamp t) {
    return t == null ? "(unknown)" : t.toInstant().toString();
  }

  private Dataset<Row> required(String table, String... columns) {
    return optional(table, columns)
        .orElseThrow(
            () ->
                new BadInputException(
                    "No "
                        + table
                        + " Delta table at "
                        + path(table)
                        + (table.equals(OutputTables.MERGE_CANDIDATES)
                            ? " (the nightly job writes it when scoring is enabled)"
                            : " (has the nightly job run?)")));
  }

  private Optional<Dataset<Row>> optional(String table, String... columns) {
    String path = path(table);
    // As the last finished night left it: a night writing now is not yet the truth to act on.
    Optional<Dataset<Row>> rows = RunCommits.readCommitted(spark, outputRoot, table);
    rows.ifPresent(r -> ManualOperations.requireColumns(r, path, columns));
    return rows;
  }

  private String path(String table) {
    return new Path(outputRoot, table).toString();
  }

  private static BadInputException refused(String why) {
    return new BadInputException("refused: " + why + "; nothing recorded");
  }
}
