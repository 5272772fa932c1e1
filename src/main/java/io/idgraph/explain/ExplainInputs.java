package io.idgraph.explain;

import static org.apache.spark.sql.functions.*;

import io.idgraph.config.BadInputException;
import io.idgraph.explain.Explanation.End;
import io.idgraph.explain.Scope.Candidate;
import io.idgraph.explain.Scope.Decision;
import io.idgraph.explain.Scope.Identifier;
import io.idgraph.explain.Scope.RecordRow;
import io.idgraph.graph.LinkRules;
import io.idgraph.schema.Cols;
import io.idgraph.scoring.Blocking;
import io.idgraph.scoring.ScoringModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Finds the two ends in record_profiles and collects what {@link LinkChain} needs for their final
 * profiles: every filter runs in Spark and only rows of those one or two profiles reach the driver.
 * A final profile with more than {@link #MAX_RECORDS} records is refused rather than collected.
 * Scored pairs and link decisions are read for the run that wrote record_profiles only
 * (link_decisions keeps every run's rows).
 */
public final class ExplainInputs {
  /** The most records one final profile may have for explain to collect it. */
  public static final long MAX_RECORDS = 50_000;

  public static final List<String> RECORD_PROFILES_COLUMNS =
      List.of(
          Cols.SOURCE,
          Cols.RECORD_ID,
          Cols.PROFILE_ID,
          Cols.DETERMINISTIC_PROFILE_ID,
          Cols.IDENTIFIERS,
          Cols.RUN_ID);
  public static final List<String> MERGE_CANDIDATES_COLUMNS =
      List.of(
          Cols.RUN_ID,
          Cols.CANDIDATE_ID,
          Blocking.A,
          Blocking.B,
          ScoringModel.PROBABILITY,
          ScoringModel.MATCH_WEIGHT,
          ScoringModel.CONTRIBUTIONS,
          Cols.LEVELS,
          Cols.BLOCKING_KEYS,
          Cols.STATUS,
          Cols.REASON);
  public static final List<String> LINK_DECISIONS_COLUMNS =
      List.of(
          Cols.RULE,
          Cols.ID_TYPE,
          Cols.ID_HASH,
          LinkRules.RECORDS,
          LinkRules.DEGREE,
          Cols.DETAIL,
          Cols.RUN_ID);

  private static final String PROFILE_A_KEY = Cols.INTERNAL_PREFIX + "profile_a";
  private static final String PROFILE_B_KEY = Cols.INTERNAL_PREFIX + "profile_b";
  private static final String ID = Cols.INTERNAL_PREFIX + "id";
  private static final String ID_TYPE_KEY = Cols.INTERNAL_PREFIX + "id_type";
  private static final String ID_HASH_KEY = Cols.INTERNAL_PREFIX + "id_hash";

  private ExplainInputs() {}

  /**
   * Fails naming the table and the missing column when {@code table} lacks one of {@code columns}.
   */
  public static void requireColumns(Dataset<Row> table, String where, List<String> columns) {
    List<String> present = Arrays.asList(table.columns());
    for (String c : columns) {
      if (!present.contains(c)) {
        throw new BadInputException(
            "Table "
                + where
                + ": column '"
                + c
                + "' missing (columns: "
                + String.join(", ", present)
                + ")");
      }
    }
  }

  /** Each record's final and deterministic profile, in the order given (one query for all). */
  public static List<End> records(Dataset<Row> recordProfiles, List<RecordRef> refs) {
    Column any = lit(false);
    for (RecordRef ref : refs) {
      any =
          any.or(
              col(Cols.SOURCE)
                  .equalTo(ref.source())
                  .and(col(Cols.RECORD_ID).equalTo(ref.recordId())));
    }
    List<Row> rows =
        recordProfiles
            .where(any)
            .select(Cols.SOURCE, Cols.RECORD_ID, Cols.PROFILE_ID, Cols.DETERMINISTIC_PROFILE_ID)
            .distinct()
            .limit(2 * refs.size() + 1)
            .collectAsList();
    List<End> ends = new ArrayList<>();
    for (RecordRef ref : refs) {
      List<Row> found =
          rows.stream()
              .filter(
                  r -> ref.source().equals(r.getString(0)) && ref.recordId().equals(r.getString(1)))
              .toList();
      if (found.isEmpty()) {
        throw new BadInputException(
            "Unknown record '"
                + ref.label()
                + "': no row with source '"
                + ref.source()
                + "' and record_id '"
                + ref.recordId()
                + "' in record_profiles");
      }
      if (found.size() > 1) {
        throw new BadInputException(
            "Record '"
                + ref.label()
                + "' has more than one profile in record_profiles; the table is"
                + " inconsistent");
      }
      ends.add(End.ofRecord(ref, found.get(0).getString(2), found.get(0).getString(3)));
    }
    return ends;
  }

  /**
   * A profile id: a deterministic profile id if it is one (with the final profile it is in), else a
   * final profile id. The deterministic reading wins when an id is both, as it says more.
   */
  public static End profile(Dataset<Row> recordProfiles, String id) {
    List<Row> finals =
        recordProfiles
            .where(col(Cols.DETERMINISTIC_PROFILE_ID).equalTo(id))
            .select(Cols.PROFILE_ID)
            .distinct()
            .limit(2)
            .collectAsList();
    if (finals.size() > 1) {
      throw new BadInputException(
          "Deterministic profile '"
              + id
              + "' is split over more than one final profile in"
              + " record_profiles; the table is inconsistent");
    }
    if (finals.size() == 1) {
      return End.ofDeterministicProfile(id, finals.get(0).getString(0));
    }
    if (!recordProfiles.where(col(Cols.PROFILE_ID).equalTo(id)).limit(1).isEmpty()) {
      return End.ofFinalProfile(id);
    }
    throw new BadInputException(
        "Unknown profile id '"
            + id
            + "': neither a profile_id nor a deterministic_profile_id in"
            + " record_profiles");
  }

  /**
   * The records of the given final profiles, the scored pairs with both sides among their
   * deterministic profiles, and the link decisions of identifiers their records hold.
   *
   * @param mergeCandidates empty when the table is absent (scoring off)
   * @param linkDecisions empty when the table is absent
   * @throws BadInputException when a profile has more than {@link #MAX_RECORDS} records
   */
  public static Scope collect(
      Dataset<Row> recordProfiles,
      Optional<Dataset<Row>> mergeCandidates,
      Optional<Dataset<Row>> linkDecisions,
      Set<String> profileIds) {
    Dataset<Row> filtered = recordProfiles.where(col(Cols.PROFILE_ID).isin(profileIds.toArray()));
    List<Row> tooLarge =
        filtered
            .groupBy(Cols.PROFILE_ID)
            .count()
            .where(col("count").gt(MAX_RECORDS))
            .collectAsList();
    if (!tooLarge.isEmpty()) {
      throw new BadInputException(
          "Final profile '"
              + tooLarge.get(0).getString(0)
              + "' has "
              + tooLarge.get(0).getLong(1)
              + " records, more than explain collects ("
              + MAX_RECORDS
              + "); query the Delta tables"
              + " with Spark SQL instead");
    }
    Dataset<Row> inScope =
        filtered
            .select(
                Cols.SOURCE,
                Cols.RECORD_ID,
                Cols.PROFILE_ID,
                Cols.DETERMINISTIC_PROFILE_ID,
                Cols.IDENTIFIERS,
                Cols.RUN_ID)
            .persist();
    try {
      List<RecordRow> records = new ArrayList<>();
      Set<String> runIds = new TreeSet<>();
      for (Row r : inScope.collectAsList()) {
        records.add(recordRow(r));
        if (!r.isNullAt(5)) {
          runIds.add(r.getString(5));
        }
      }
      List<Candidate> candidates =
          mergeCandidates.map(c -> candidates(c, inScope, runIds)).orElse(List.of());
      List<Decision> decisions =
          linkDecisions.map(d -> decisions(d, inScope, runIds)).orElse(List.of());
      return new Scope(records, candidates, decisions);
    } finally {
      inScope.unpersist();
    }
  }

  private static List<Candidate> candidates(
      Dataset<Row> mergeCandidates, Dataset<Row> inScope, Set<String> runIds) {
    Dataset<Row> sideA =
        inScope.select(col(Cols.DETERMINISTIC_PROFILE_ID).as(PROFILE_A_KEY)).distinct();
    Dataset<Row> sideB =
        inScope.select(col(Cols.DETERMINISTIC_PROFILE_ID).as(PROFILE_B_KEY)).distinct();
    List<Candidate> out = new ArrayList<>();
    for (Row r :
        mergeCandidates
            .where(col(Cols.RUN_ID).isin(runIds.toArray()))
            .join(sideA, col(Blocking.A).equalTo(col(PROFILE_A_KEY)), "left_semi")
            .join(sideB, col(Blocking.B).equalTo(col(PROFILE_B_KEY)), "left_semi")
            // The required columns after run_id, in the order the Candidate fields read them.
            .select(
                MERGE_CANDIDATES_COLUMNS.stream()
                    .skip(1)
                    .map(org.apache.spark.sql.functions::col)
                    .toArray(org.apache.spark.sql.Column[]::new))
            .collectAsList()) {
      out.add(
          new Candidate(
              r.getString(0),
              r.getString(1),
              r.getString(2),
              number(r, 3),
              number(r, 4),
              r.isNullAt(5) ? Map.of() : new HashMap<>(r.<String, Double>getJavaMap(5)),
              r.isNullAt(6) ? Map.of() : new HashMap<>(r.<String, String>getJavaMap(6)),
              r.isNullAt(7) ? List.of() : new ArrayList<>(r.<String>getList(7)),
              r.getString(8),
              r.getString(9)));
    }
    return out;
  }

  private static List<Decision> decisions(
      Dataset<Row> linkDecisions, Dataset<Row> inScope, Set<String> runIds) {
    Dataset<Row> held =
        inScope
            .select(explode(col(Cols.IDENTIFIERS)).as(ID))
            .select(
                col(ID).getField(Cols.ID_TYPE).as(ID_TYPE_KEY),
                col(ID).getField(Cols.ID_HASH).as(ID_HASH_KEY))
            .distinct();
    List<Decision> out = new ArrayList<>();
    for (Row r :
        linkDecisions
            .where(col(Cols.RUN_ID).isin(runIds.toArray()))
            .join(
                held,
                col(Cols.ID_TYPE)
                    .equalTo(col(ID_TYPE_KEY))
                    .and(col(Cols.ID_HASH).equalTo(col(ID_HASH_KEY))),
                "left_semi")
            .select(
                Cols.RULE,
                Cols.ID_TYPE,
                Cols.ID_HASH,
                LinkRules.RECORDS,
                LinkRules.DEGREE,
                Cols.DETAIL)
            .distinct()
            .collectAsList()) {
      out.add(
          new Decision(
              r.getString(0),
              r.getString(1),
              r.getString(2),
              count(r, 3),
              count(r, 4),
              r.getString(5)));
    }
    return out;
  }

  private static RecordRow recordRow(Row r) {
    List<Identifier> ids = new ArrayList<>();
    if (!r.isNullAt(4)) {
      for (Row id : r.<Row>getList(4)) {
        if (id != null) {
          ids.add(new Identifier(id.getAs(Cols.ID_TYPE), id.getAs(Cols.ID_HASH)));
        }
      }
    }
    return new RecordRow(r.getString(0), r.getString(1), r.getString(2), r.getString(3), ids);
  }

  private static double number(Row r, int i) {
    return r.isNullAt(i) ? Double.NaN : ((Number) r.get(i)).doubleValue();
  }

  private static Long count(Row r, int i) {
    return r.isNullAt(i) ? null : ((Number) r.get(i)).longValue();
  }
}
