package io.idgraph.sink;

import io.delta.tables.DeltaTable;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Names of the Delta tables idgraph writes, each at {@code <output>/<name>}. */
public final class OutputTables {
  private OutputTables() {}

  public static final String PROFILES = "profiles";
  public static final String IDENTITY_LINKS = "identity_links";
  public static final String RECORD_PROFILES = "record_profiles";
  public static final String IDENTITY_EDGES = "identity_edges";
  public static final String MERGE_HISTORY = "merge_history";
  public static final String REJECTED_RECORDS = "rejected_records";
  public static final String RUN_METRICS = "run_metrics";
  public static final String LINK_DECISIONS = "link_decisions";
  /** Scored pairs at or above the review floor: merged, refused, pending review (absent with scoring off). */
  public static final String MERGE_CANDIDATES = "merge_candidates";
  /** The probabilistic model of each run: prior, m and u per comparison level (absent with scoring off). */
  public static final String MODEL_PARAMETERS = "model_parameters";
  /**
   * Manual operations (merge, unmerge, block, approve, reject), appended by the admin commands, never
   * by a run; not in {@link #ALL}, which lists the tables every run writes.
   */
  public static final String MANUAL_OPERATIONS = "manual_operations";
  /**
   * Right-to-erasure requests, appended by {@code idgraph forget}, never by a run: the audit and the
   * hashed suppression list (see io.idgraph.ops.ErasureRequests); not in {@link #ALL}.
   */
  public static final String ERASURE_REQUESTS = "erasure_requests";

  /** Pre-merge membership of every merge that an unmerge can restore (merge_id, profile_id, record). */
  public static final String MERGE_SNAPSHOTS = "merge_snapshots";
  /** Old id → new id of every previous profile merged, split, unmerged or deleted by a run. */
  public static final String PROFILE_ID_CHANGES = "profile_id_changes";

  /**
   * The unified timeline: one row per event of a profile from every source (profile.ProfileEvents),
   * replaced with record_profiles, so each event carries its record's current profile id.
   */
  public static final String PROFILE_EVENTS = "profile_events";

  /** Every accepted normalized record (replaced each run): the state an incremental night builds on. */
  public static final String SOURCE_RECORDS = "source_records";
  /** What each run consumed, file by file (appended): see io.idgraph.job.RunManifest. */
  public static final String RUN_MANIFEST = "run_manifest";
  /** Records a snapshot deleted or whose identifiers changed (appended): see io.idgraph.job.RecordState. */
  public static final String RECORD_CHANGES = "record_changes";

  /**
   * The commit point of every night: the version of each table in {@link #ALL} when the night
   * finished (see RunCommits); not in ALL, whose versions it records.
   */
  public static final String RUN_COMMITS = "run_commits";

  public static final List<String> ALL =
      List.of(
          PROFILES,
          IDENTITY_LINKS,
          RECORD_PROFILES,
          PROFILE_EVENTS,
          IDENTITY_EDGES,
          MERGE_HISTORY,
          MERGE_SNAPSHOTS,
          PROFILE_ID_CHANGES,
          REJECTED_RECORDS,
          LINK_DECISIONS,
          MERGE_CANDIDATES,
          MODEL_PARAMETERS,
          RUN_METRICS,
          SOURCE_RECORDS,
          RUN_MANIFEST,
          RECORD_CHANGES);

  /**
   * The night tables whose rows hold a person's identifier hashes, names, record ids or profile ids.
   * They keep no per-column statistics in their Delta log (see DeltaSink), so that once an erasure
   * deleted a person's rows and their old files were vacuumed, no log entry still holds one of the
   * person's values as a file's minimum or maximum.
   */
  public static final List<String> PERSONAL =
      // Every night table but the three that hold only counts, model parameters and file metadata.
      ALL.stream().filter(t -> !List.of(MODEL_PARAMETERS, RUN_METRICS, RUN_MANIFEST).contains(t)).toList();

  /** The table under {@code outputRoot} as a lazy Dataset, or empty when no run has written it yet. */
  public static Optional<Dataset<Row>> read(SparkSession spark, String outputRoot, String table) {
    String path = new Path(outputRoot, table).toString();
    return DeltaTable.isDeltaTable(spark, path)
        ? Optional.of(spark.read().format("delta").load(path))
        : Optional.empty();
  }

  /**
   * {@link #read}, pinned to the table's current version (time travel): the rows stay these while a
   * later write in the same run replaces the table they come from.
   */
  public static Optional<Dataset<Row>> readPinned(SparkSession spark, String outputRoot, String table) {
    String path = new Path(outputRoot, table).toString();
    return read(spark, outputRoot, table)
        .map(
            t ->
                spark.read()
                    .format("delta")
                    .option("versionAsOf", DeltaTable.forPath(spark, path).history(1).first().getLong(0))
                    .load(path));
  }
}
