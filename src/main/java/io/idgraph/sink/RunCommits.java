package io.idgraph.sink;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The commit point of a night: the {@code run_commits} table, one row per night (or erasure, or
 * recovery) that finished its writes, holding the Delta version of every output table at that moment.
 *
 * <p>Delta commits each table atomically, but a night writes about sixteen of them. A night killed
 * halfway through its writes leaves some tables at tonight's version and the rest at last night's. The
 * row appended here, after every other write, is what makes the night count: one Delta commit, so it
 * is there whole or not at all. Then:
 *
 * <ul>
 *   <li>idgraph's readers ({@code sql}, {@code lookup}, {@code graph}, {@code explain}) read every
 *       table at its committed version ({@link #readCommitted}), so they see the last finished night
 *       whole even while a night is writing or after one died;
 *   <li>the next writer first calls {@link #recover}: a table ahead of its committed version is
 *       restored to it (Delta RESTORE, itself a commit that keeps the dead night's files for VACUUM)
 *       and a night table the last commit does not know (created by a night that died) is removed, so
 *       the next night starts from exactly the last committed night and re-reads what the dead one
 *       had read.
 * </ul>
 *
 * <p>Tables written outside nights by admins, one atomic append each ({@code manual_operations},
 * {@code erasure_requests}), are not versioned here: they are never rolled back.
 */
public final class RunCommits {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunCommits.class);

  /** A night's tables written and committed. */
  public static final String RUN = "run";
  /** Tables rolled back to the last commit after a writer died. */
  public static final String RECOVERY = "recovery";
  /** Tables an older idgraph wrote (no run_commits yet), taken as committed as they stand. */
  public static final String ADOPTED = "adopted";
  /** A person's data erased by idgraph forget. */
  public static final String ERASURE = "erasure";

  public static final StructType SCHEMA =
      new StructType()
          .add("commit_number", DataTypes.LongType, false)
          .add("run_id", DataTypes.StringType, false)
          .add("kind", DataTypes.StringType, false)
          .add("committed_at", DataTypes.TimestampType, false)
          .add("versions", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), false);

  /** One committed state: table name → Delta version. */
  public record Commit(
      long number, String runId, String kind, Instant committedAt, Map<String, Long> versions) {}

  /** What {@link #recover} did; empty lists when the tables were already as committed. */
  public record Recovery(List<String> restored, List<String> removed) {
    public boolean changed() {
      return !restored.isEmpty() || !removed.isEmpty();
    }
  }

  private RunCommits() {}

  private static String path(String outputRoot) {
    return new Path(outputRoot, OutputTables.RUN_COMMITS).toString();
  }

  private static String tablePath(String outputRoot, String table) {
    return new Path(outputRoot, table).toString();
  }

  /** The last commit under {@code outputRoot}, or empty when none was made (first night, older idgraph). */
  public static Optional<Commit> last(SparkSession spark, String outputRoot) {
    if (!DeltaTable.isDeltaTable(spark, path(outputRoot))) {
      return Optional.empty();
    }
    // One row per night: small. Numbered under the output lock, so the highest is the latest.
    List<Row> rows =
        spark.read().format("delta").load(path(outputRoot))
            .orderBy(org.apache.spark.sql.functions.col("commit_number").desc())
            .limit(1)
            .collectAsList();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Row r = rows.get(0);
    Map<String, Long> versions = new LinkedHashMap<>(r.getJavaMap(r.fieldIndex("versions")));
    return Optional.of(
        new Commit(
            r.<Long>getAs("commit_number"),
            r.getAs("run_id"), r.getAs("kind"), r.<Timestamp>getAs("committed_at").toInstant(), versions));
  }

  /** The current Delta version of every night table that exists under {@code outputRoot}. */
  public static Map<String, Long> currentVersions(SparkSession spark, String outputRoot) {
    Map<String, Long> versions = new LinkedHashMap<>();
    for (String table : OutputTables.ALL) {
      currentVersion(spark, tablePath(outputRoot, table)).ifPresent(v -> versions.put(table, v));
    }
    return versions;
  }

  /**
   * The table's latest version: the highest {@code _delta_log/<version>.json}, read from a listing
   * (no Spark job, and never a version cached in this JVM: the writer that died was another process).
   */
  private static Optional<Long> currentVersion(SparkSession spark, String tablePath) {
    Path log = new Path(tablePath, "_delta_log");
    try {
      FileSystem fs = log.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(log)) {
        return Optional.empty();
      }
      long latest = -1;
      for (FileStatus f : fs.listStatus(log)) {
        Matcher m = COMMIT_FILE.matcher(f.getPath().getName());
        if (m.matches()) {
          latest = Math.max(latest, Long.parseLong(m.group(1)));
        }
      }
      return latest < 0 ? Optional.empty() : Optional.of(latest);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the Delta log " + log, e);
    }
  }

  private static final Pattern COMMIT_FILE = Pattern.compile("(\\d{20})\\.json");

  /**
   * Records the tables as they stand as the committed state: the last write of a night (or an
   * erasure). Must be called under the output lock, after every table write of the writer.
   */
  public static Commit commit(SparkSession spark, String outputRoot, String runId, String kind) {
    long number = last(spark, outputRoot).map(Commit::number).orElse(0L) + 1;
    Commit commit = new Commit(number, runId, kind, Instant.now(), currentVersions(spark, outputRoot));
    Row row =
        RowFactory.create(
            commit.number(),
            commit.runId(),
            commit.kind(),
            Timestamp.from(commit.committedAt()),
            scala.jdk.javaapi.CollectionConverters.asScala(commit.versions()));
    Dataset<Row> rows = spark.createDataFrame(List.of(row), SCHEMA);
    if (!DeltaTable.isDeltaTable(spark, path(outputRoot))) {
      DeltaTable.createIfNotExists(spark).location(path(outputRoot)).addColumns(SCHEMA).execute();
    }
    rows.write().format("delta").mode("append").option("userMetadata", runId).save(path(outputRoot));
    LOG.info("[{}] committed ({}): {}", runId, kind, commit.versions());
    return commit;
  }

  /**
   * Puts every night table back to the last committed state, and commits that state again when
   * anything changed (so the next recovery finds nothing to do). Must be called under the output
   * lock, before a writer reads the previous night. Idempotent: a recovery that dies is finished by
   * the next one.
   *
   * <p>Without any commit: an output with {@code run_metrics} was written by an older idgraph (or by
   * a first night that died in the instant between its metrics and its commit), and its tables are
   * adopted as they stand; an output without it holds only what a first night that died left, and
   * those tables are removed.
   */
  public static Recovery recover(SparkSession spark, String outputRoot, String runId) {
    Optional<Commit> last = last(spark, outputRoot);
    Map<String, Long> current = currentVersions(spark, outputRoot);
    if (last.isEmpty()) {
      if (current.isEmpty()) {
        return new Recovery(List.of(), List.of());
      }
      if (current.containsKey(OutputTables.RUN_METRICS)) {
        commit(spark, outputRoot, runId, ADOPTED);
        return new Recovery(List.of(), List.of());
      }
    }
    Map<String, Long> committed = last.map(Commit::versions).orElse(Map.of());
    List<String> restored = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    for (var table : current.entrySet()) {
      Long version = committed.get(table.getKey());
      String tablePath = tablePath(outputRoot, table.getKey());
      if (version == null) {
        remove(spark, tablePath);
        removed.add(table.getKey());
      } else if (table.getValue() > version) {
        DeltaTable.forPath(spark, tablePath).restoreToVersion(version);
        restored.add(table.getKey() + "@" + version);
      } else if (table.getValue() < version) {
        // Only a person can do this (a manual RESTORE): the commit cannot be honoured; say so.
        LOG.warn(
            "[{}] {} is at version {}, older than its committed version {}: left as it is",
            runId, table.getKey(), table.getValue(), version);
      }
    }
    Recovery recovery = new Recovery(restored, removed);
    if (recovery.changed()) {
      LOG.warn(
          "[{}] an earlier writer died before committing; tables put back to the last committed state"
              + " ({}): restored {}, removed {}",
          runId, last.map(Commit::runId).orElse("no commit"), restored, removed);
      commit(spark, outputRoot, runId, RECOVERY);
    }
    return recovery;
  }

  private static void remove(SparkSession spark, String tablePath) {
    Path path = new Path(tablePath);
    try {
      path.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(path, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the uncommitted table " + tablePath, e);
    }
  }

  /** {@link #readCommitted(SparkSession, String, String, Optional)} with the last commit read here. */
  public static Optional<Dataset<Row>> readCommitted(SparkSession spark, String outputRoot, String table) {
    return readCommitted(spark, outputRoot, table, last(spark, outputRoot));
  }

  /**
   * The table as the last commit left it (time travel to its committed version): what a reader
   * outside the writer should see. A night table the last commit does not know is uncommitted and
   * reads as absent; other tables (admin tables, outputs from before run_commits) read as they are.
   */
  public static Optional<Dataset<Row>> readCommitted(
      SparkSession spark, String outputRoot, String table, Optional<Commit> last) {
    String tablePath = tablePath(outputRoot, table);
    if (!DeltaTable.isDeltaTable(spark, tablePath)) {
      return Optional.empty();
    }
    if (last.isEmpty() || !OutputTables.ALL.contains(table)) {
      return Optional.of(spark.read().format("delta").load(tablePath));
    }
    Long version = last.get().versions().get(table);
    if (version == null) {
      return Optional.empty();
    }
    return Optional.of(spark.read().format("delta").option("versionAsOf", version).load(tablePath));
  }
}
