package io.idgraph.job;

import static org.apache.spark.sql.functions.*;

import io.delta.tables.DeltaTable;
import io.idgraph.schema.Cols;
import io.idgraph.sink.OutputTables;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The state an incremental night builds on: every accepted normalized record (all columns of
 * {@link io.idgraph.normalize.RecordNormalizer#records}, plus the identifiers the blocklist kept from
 * it), kept in {@code source_records} so tonight does not re-read old exports. Tonight's records are
 * merged into it: a source read whole tonight replaces its records, a re-sent record replaces its
 * older version (tonight wins), and a source no longer configured leaves. Comparing the state with
 * tonight's records gives {@code record_changes}: records a snapshot deleted, records whose identifiers
 * changed (a contact's new email retires the old one), records a snapshot added. Pure Dataset
 * functions, apart from {@link #read}.
 */
public final class RecordState {
  private RecordState() {}

  /** Blocked identifiers of a record, kept so link_decisions still counts them on later nights. */
  public static final String BLOCKED = "blocked_identifiers";

  public static final String CHANGE = "change";
  public static final String RETIRED = "retired_identifiers";
  public static final String ADDED = "added_identifiers";
  public static final String CHANGED_AT = "changed_at";
  public static final String DELETED = "deleted";
  public static final String IDENTIFIERS_CHANGED = "identifiers_changed";
  /** A record a changed snapshot holds for the first time. */
  public static final String ADDED_RECORD = "added";

  private static final StructType IDENTIFIER =
      new StructType()
          .add(Cols.ID_TYPE, DataTypes.StringType)
          .add(Cols.ID_HASH, DataTypes.StringType);
  private static final ArrayType IDENTIFIERS = DataTypes.createArrayType(IDENTIFIER);

  public static final StructType CHANGES_SCHEMA =
      new StructType()
          .add(Cols.RUN_ID, DataTypes.StringType)
          .add(Cols.SOURCE, DataTypes.StringType)
          .add(Cols.RECORD_ID, DataTypes.StringType)
          .add(CHANGE, DataTypes.StringType)
          .add(RETIRED, IDENTIFIERS)
          .add(ADDED, IDENTIFIERS)
          .add(CHANGED_AT, DataTypes.TimestampType);

  private static final String PREV = Cols.INTERNAL_PREFIX + "prev";
  private static final String NOW = Cols.INTERNAL_PREFIX + "now";

  /**
   * Tonight's records with their blocked identifiers.
   *
   * @param blocked rows (source, record_id, id_type, id_hash) as {@code RecordNormalizer.blocked} gives
   */
  public static Dataset<Row> withBlocked(Dataset<Row> records, Dataset<Row> blocked) {
    Dataset<Row> perRecord =
        blocked
            .groupBy(Cols.SOURCE, Cols.RECORD_ID)
            .agg(
                array_sort(collect_set(struct(col(Cols.ID_TYPE), col(Cols.ID_HASH))))
                    .cast(IDENTIFIERS)
                    .as(BLOCKED));
    return records
        .join(perRecord, new String[] {Cols.SOURCE, Cols.RECORD_ID}, "left")
        .withColumn(BLOCKED, coalesce(col(BLOCKED), array().cast(IDENTIFIERS)));
  }

  /**
   * The state after tonight: the previous state's records of {@code keptSources} that tonight did not
   * re-send, and all of tonight's records.
   *
   * @param keptSources sources whose previous records stand (configured, and not read whole tonight)
   * @param smallTonight broadcast tonight's keys: the previous state is scanned, not shuffled
   */
  public static Dataset<Row> merge(
      Dataset<Row> previous, Dataset<Row> tonight, Set<String> keptSources, boolean smallTonight) {
    return merge(previous, tonight, keptSources, null, smallTonight);
  }

  /**
   * As {@link #merge(Dataset, Dataset, Set, boolean)}, and the previous records with the keys of
   * {@code leaving} (source, record_id, ...) leave too: a re-read snapshot is kept, but for its records
   * that changed tonight or are gone from it (see UnchangedSnapshotRows.replaceable).
   *
   * @param leaving rows whose keys leave the state, or null
   */
  public static Dataset<Row> merge(
      Dataset<Row> previous,
      Dataset<Row> tonight,
      Set<String> keptSources,
      Dataset<Row> leaving,
      boolean smallTonight) {
    Dataset<Row> keys = tonight.select(Cols.SOURCE, Cols.RECORD_ID);
    if (leaving != null) {
      keys = keys.unionByName(leaving.select(Cols.SOURCE, Cols.RECORD_ID));
    }
    Dataset<Row> kept =
        previous
            .where(col(Cols.SOURCE).isin(keptSources.toArray()))
            .join(
                smallTonight ? broadcast(keys) : keys,
                new String[] {Cols.SOURCE, Cols.RECORD_ID},
                "left_anti");
    return withColumnsOf(kept, tonight).unionByName(tonight);
  }

  /**
   * {@code rows} with exactly the columns of {@code like}: earlier nights' records, read from a state an
   * older idgraph may have written with a column since dropped, join tonight's.
   */
  static Dataset<Row> withColumnsOf(Dataset<Row> rows, Dataset<Row> like) {
    return rows.select(Arrays.stream(like.columns()).map(c -> col(c)).toArray(Column[]::new));
  }

  /** The records downstream stages see: the state without its bookkeeping columns. */
  public static Dataset<Row> records(Dataset<Row> state) {
    return state.drop(BLOCKED, Cols.RAW_FINGERPRINT);
  }

  /** Blocked identifiers of every record of the state: source, record_id, id_type, id_hash. */
  public static Dataset<Row> blocked(Dataset<Row> state) {
    return state
        .select(col(Cols.SOURCE), col(Cols.RECORD_ID), explode(col(BLOCKED)).as("b"))
        .select(
            col(Cols.SOURCE),
            col(Cols.RECORD_ID),
            col("b." + Cols.ID_TYPE).as(Cols.ID_TYPE),
            col("b." + Cols.ID_HASH).as(Cols.ID_HASH));
  }

  /**
   * What tonight changed against the previous state. For {@code snapshotSources} (read whole
   * because their files changed): records deleted, added, and those whose identifiers changed. For
   * {@code appendSources} (new files read): re-sent records whose identifiers changed; an append
   * source never deletes. With {@code smallTonight} those re-sent records are found by broadcasting
   * tonight's, not by shuffling the state.
   */
  public static Dataset<Row> changes(
      Dataset<Row> previous,
      Dataset<Row> tonight,
      Set<String> snapshotSources,
      Set<String> appendSources,
      String runId,
      Timestamp changedAt,
      boolean smallTonight) {
    // A snapshot is compared whole (full outer join); an append source only where tonight re-sent a
    // record (inner join: tonight's new records are few).
    return diff(previous, tonight, snapshotSources, "full_outer", false, runId, changedAt)
        .unionByName(diff(previous, tonight, appendSources, "inner", smallTonight, runId, changedAt));
  }

  private static Dataset<Row> diff(
      Dataset<Row> previous,
      Dataset<Row> tonight,
      Set<String> sources,
      String joinType,
      boolean broadcastTonight,
      String runId,
      Timestamp changedAt) {
    if (sources.isEmpty()) {
      return none(tonight.sparkSession());
    }
    Object[] names = sources.toArray();
    Dataset<Row> before =
        previous
            .where(col(Cols.SOURCE).isin(names))
            .select(col(Cols.SOURCE), col(Cols.RECORD_ID), sortedIds().as(PREV));
    Dataset<Row> after =
        tonight
            .where(col(Cols.SOURCE).isin(names))
            .select(col(Cols.SOURCE), col(Cols.RECORD_ID), sortedIds().as(NOW));
    Column none = array().cast(IDENTIFIERS);
    Column retired = array_except(coalesce(col(PREV), none), coalesce(col(NOW), none));
    Column added = array_except(coalesce(col(NOW), none), coalesce(col(PREV), none));
    Column change =
        when(col(NOW).isNull(), lit(DELETED))
            .when(col(PREV).isNull(), lit(ADDED_RECORD))
            .when(size(retired).gt(0).or(size(added).gt(0)), lit(IDENTIFIERS_CHANGED));
    return before
        .join(broadcastTonight ? broadcast(after) : after, new String[] {Cols.SOURCE, Cols.RECORD_ID}, joinType)
        .select(
            lit(runId).as(Cols.RUN_ID),
            col(Cols.SOURCE),
            col(Cols.RECORD_ID),
            change.as(CHANGE),
            retired.cast(IDENTIFIERS).as(RETIRED),
            added.cast(IDENTIFIERS).as(ADDED),
            lit(changedAt).as(CHANGED_AT))
        .where(col(CHANGE).isNotNull());
  }

  public static Dataset<Row> none(SparkSession spark) {
    return spark.createDataFrame(List.of(), CHANGES_SCHEMA);
  }

  /**
   * The previous night's state, or empty when there is none or it lacks a column tonight's records
   * have (written by an older idgraph): then every source is read whole.
   */
  public static Optional<Dataset<Row>> read(
      SparkSession spark, String outputRoot, List<String> recordColumns) {
    String table = new Path(outputRoot, OutputTables.SOURCE_RECORDS).toString();
    if (!DeltaTable.isDeltaTable(spark, table)) {
      return Optional.empty();
    }
    Dataset<Row> state = spark.read().format("delta").load(table);
    Set<String> columns = new HashSet<>(Arrays.asList(state.columns()));
    if (!columns.contains(BLOCKED) || !columns.containsAll(recordColumns)) {
      return Optional.empty();
    }
    return Optional.of(state);
  }

  private static Column sortedIds() {
    return array_sort(array_distinct(col(Cols.IDENTIFIERS))).cast(IDENTIFIERS);
  }
}
