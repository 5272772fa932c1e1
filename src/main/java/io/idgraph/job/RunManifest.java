package io.idgraph.job;

import static org.apache.spark.sql.functions.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.delta.tables.DeltaTable;
import io.idgraph.config.JobConfig;
import io.idgraph.config.SourceConfig;
import io.idgraph.normalize.IdentifierHasher;
import io.idgraph.sink.OutputTables;
import io.idgraph.source.InputFile;
import io.idgraph.source.InputSelection.Action;
import io.idgraph.source.InputSelection.Decision;
import io.idgraph.source.InputSelection.SourceHistory;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code run_manifest} table: what each run consumed, one row per file read (or one row per
 * source that was not read, {@code action = unchanged}), with the run's sequence number, the
 * fingerprint of the source's config and of the rules/graph/scoring sections. The next night reads it
 * to tell new files from consumed ones, unchanged snapshots from changed ones, and a night with nothing
 * new from one that must run. It is the last table a run writes, so a night that fails before it is
 * simply done again.
 *
 * <p>Fingerprints are keyed hashes (the identifier-hashing key), so a raw do-not-link value in the
 * config cannot be recovered from them, and a new key makes every source count as changed: state
 * hashed under the old key must not meet identifiers hashed under the new one.
 */
public final class RunManifest {
  private RunManifest() {}

  public static final String SEQUENCE = "sequence";
  public static final String MODE = "mode";
  public static final String ACTION = "action";
  public static final String FILE = "file";
  public static final String SIZE = "size";
  public static final String MODIFIED_AT = "modified_at";
  public static final String CONSUMED_AT = "consumed_at";
  public static final String RECORDS = "records";
  public static final String SOURCE_HASH = "source_hash";
  public static final String CONFIG_HASH = "config_hash";

  public static final StructType SCHEMA =
      new StructType()
          .add("run_id", DataTypes.StringType, false)
          .add(SEQUENCE, DataTypes.LongType, false)
          .add("source", DataTypes.StringType, false)
          .add(MODE, DataTypes.StringType)
          .add(ACTION, DataTypes.StringType, false)
          .add(FILE, DataTypes.StringType)
          .add(SIZE, DataTypes.LongType)
          .add(MODIFIED_AT, DataTypes.TimestampType)
          .add(CONSUMED_AT, DataTypes.TimestampType)
          .add(RECORDS, DataTypes.LongType)
          .add(SOURCE_HASH, DataTypes.StringType)
          .add(CONFIG_HASH, DataTypes.StringType);

  /** One manifest row, as the next night needs it. */
  public record Entry(
      String runId,
      long sequence,
      String source,
      String action,
      InputFile file,
      String sourceHash,
      String configHash) {}

  /**
   * What the earlier runs left: the last run's sequence, id, config fingerprint and sources, and each
   * source's history.
   */
  public record History(
      long lastSequence,
      String lastRunId,
      String configHash,
      Set<String> lastSources,
      Map<String, SourceHistory> sources) {

    /** Folds manifest rows (any order) into what tonight needs. Pure. */
    public static Optional<History> of(List<Entry> entries) {
      if (entries.isEmpty()) {
        return Optional.empty();
      }
      Entry last = entries.stream().max(java.util.Comparator.comparingLong(Entry::sequence)).get();
      Set<String> lastSources = new HashSet<>();
      Map<String, Long> lastReadSequence = new HashMap<>();
      Map<String, String> hashes = new HashMap<>();
      for (Entry e : entries) {
        if (e.sequence() == last.sequence()) {
          lastSources.add(e.source());
        }
        if (!e.action().equals(Action.UNCHANGED.label())) {
          Long seen = lastReadSequence.get(e.source());
          if (seen == null || e.sequence() > seen) {
            lastReadSequence.put(e.source(), e.sequence());
            hashes.put(e.source(), e.sourceHash());
          }
        }
      }
      Map<String, SourceHistory> sources = new LinkedHashMap<>();
      for (var read : lastReadSequence.entrySet()) {
        Set<InputFile> lastRead = new HashSet<>();
        Set<InputFile> consumed = new HashSet<>();
        for (Entry e : entries) {
          if (!e.source().equals(read.getKey())
              || e.file() == null
              || e.action().equals(Action.UNCHANGED.label())) {
            continue;
          }
          consumed.add(e.file());
          if (e.sequence() == read.getValue()) {
            lastRead.add(e.file());
          }
        }
        sources.put(read.getKey(), new SourceHistory(hashes.get(read.getKey()), lastRead, consumed));
      }
      return Optional.of(
          new History(last.sequence(), last.runId(), last.configHash(), lastSources, sources));
    }
  }

  /** The manifest under {@code outputRoot}, folded; empty on a first night. */
  public static Optional<History> read(SparkSession spark, String outputRoot) {
    String table = new Path(outputRoot, OutputTables.RUN_MANIFEST).toString();
    if (!DeltaTable.isDeltaTable(spark, table)) {
      return Optional.empty();
    }
    List<Entry> entries = new ArrayList<>();
    // One row per file consumed: file metadata, never records, so it is small enough to collect.
    for (Row r :
        spark
            .read()
            .format("delta")
            .load(table)
            .select("run_id", SEQUENCE, "source", ACTION, FILE, SIZE, MODIFIED_AT, SOURCE_HASH,
                CONFIG_HASH)
            .collectAsList()) {
      InputFile file =
          r.isNullAt(4) || r.isNullAt(5) || r.isNullAt(6)
              ? null
              : new InputFile(r.getString(4), r.getLong(5), r.getTimestamp(6).toInstant());
      entries.add(
          new Entry(r.getString(0), r.getLong(1), r.getString(2), r.getString(3), file,
              r.getString(7), r.getString(8)));
    }
    return History.of(entries);
  }

  /**
   * Tonight's sequence number: one past the last run's, and past the count of runs in {@code
   * run_metrics}, so the sequence keeps growing even if the
   * manifest were lost while the other tables stayed.
   */
  public static long nextSequence(SparkSession spark, String outputRoot, Optional<History> history) {
    long last = history.map(History::lastSequence).orElse(0L);
    String metrics = new Path(outputRoot, OutputTables.RUN_METRICS).toString();
    if (DeltaTable.isDeltaTable(spark, metrics)) {
      last = Math.max(last, spark.read().format("delta").load(metrics).count());
    }
    return last + 1;
  }

  /**
   * Fingerprint of the sections that shape the outputs from the records: rules, graph, scoring,
   * history and survivorship.
   */
  public static String configHash(JobConfig job, IdentifierHasher hasher) {
    return fingerprint(
        hasher, "config", List.of(job.rules(), job.graph(), job.scoring(), job.history(), job.survivorship()));
  }

  /**
   * Fingerprint of everything that shapes a source's normalized records: its own entry, the
   * normalization options, the blocklist, and (through the keyed hash) the hashing key.
   */
  public static String sourceHash(SourceConfig source, JobConfig job, IdentifierHasher hasher) {
    Map<String, Object> blocklist = new LinkedHashMap<>();
    blocklist.put("builtin", job.rules().builtinBlocklist());
    blocklist.put("values", job.rules().blockValues());
    blocklist.put("patterns", job.rules().blockPatterns());
    return fingerprint(hasher, "source", List.of(source, job.normalize(), blocklist));
  }

  private static final ObjectMapper CANONICAL =
      JsonMapper.builder()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .build();

  private static String fingerprint(IdentifierHasher hasher, String kind, Object value) {
    try {
      return hasher.hash("idgraph_" + kind, CANONICAL.writeValueAsString(value)).substring(0, 16);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot fingerprint the " + kind + " config", e);
    }
  }

  /**
   * Tonight's rows: one per file read, one per source left unchanged, one for a source read whole
   * from a table or non-file format (its path or table as file).
   *
   * @param acceptedByFile accepted records tonight by source and file name ({@code _metadata.file_name});
   *     a name that two of a source's files share gets no count
   */
  public static Dataset<Row> rows(
      SparkSession spark,
      String runId,
      long sequence,
      Instant consumedAt,
      Map<String, Decision> decisions,
      Map<String, String> sourceHashes,
      String configHash,
      Map<String, Map<String, Long>> acceptedByFile) {
    List<Row> rows = new ArrayList<>();
    Timestamp at = Timestamp.from(consumedAt);
    for (Decision d : decisions.values()) {
      SourceConfig s = d.source();
      String hash = sourceHashes.get(s.name());
      Map<String, Long> counts = acceptedByFile.getOrDefault(s.name(), Map.of());
      if (d.action() == Action.UNCHANGED || d.files().isEmpty()) {
        String file = d.action() == Action.UNCHANGED || s.fileBased() ? null
            : (s.table() != null ? s.table() : s.path());
        Long records = d.action() == Action.UNCHANGED ? null
            : counts.values().stream().mapToLong(Long::longValue).sum();
        rows.add(RowFactory.create(runId, sequence, s.name(), s.effectiveMode(), d.action().label(),
            file, null, null, at, records, hash, configHash));
        continue;
      }
      Map<String, Integer> names = new HashMap<>();
      d.files().forEach(f -> names.merge(f.name(), 1, Integer::sum));
      for (InputFile f : d.files()) {
        Long records = names.get(f.name()) == 1 ? counts.getOrDefault(f.name(), 0L) : null;
        rows.add(RowFactory.create(runId, sequence, s.name(), s.effectiveMode(), d.action().label(),
            f.path(), f.size(), Timestamp.from(f.modifiedAt()), at, records, hash, configHash));
      }
    }
    return spark.createDataFrame(rows, SCHEMA);
  }
}
