package io.idgraph.job;

import static org.apache.spark.sql.functions.*;

import io.idgraph.schema.Cols;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A snapshot export is re-read whole whenever its file changes, but most of its rows are the rows an
 * earlier night already normalized: a CRM export with 1% new contacts is 99% the same. Each raw row
 * carries a fingerprint of its content and of how its source is normalized ({@link #withFingerprint}), kept in {@code source_records}; a
 * row of a re-read snapshot whose fingerprint equals its record's stored one is not normalized again:
 * its stored record stands (see {@link #replaceable}), and tonight's records are only the new and changed
 * ones. Normalizing (parsing phones, hashing) was most of the cost of a night that re-reads a large
 * snapshot, and carrying the unchanged records along as tonight's made every later set derived from
 * tonight (the state merge, the record changes, the scope) as large as the snapshot.
 *
 * <p>Only for sources whose normalization is unchanged since the stored records were made: the caller
 * passes the snapshots compared record by record with the state ({@code RunInputs.Plan.snapshotDiff}:
 * same source config, normalization options, blocklist and key). {@link #VERSION} is part of the
 * fingerprint, so an idgraph whose normalization changed re-normalizes everything once. A record id
 * sent more than once tonight is always normalized (its rows are ranked there). A reused row adds no
 * rejections tonight: the values it drops were logged in rejected_records on the night it arrived.
 */
final class UnchangedSnapshotRows {
  /** Bump when normalization turns the same raw row into a different record. */
  static final String VERSION = "1";

  private static final String FILE = Cols.INTERNAL_PREFIX + "tonight_file";
  private static final String PRINT = Cols.INTERNAL_PREFIX + "tonight_print";
  private static final String STORED = Cols.INTERNAL_PREFIX + "stored_print";
  private static final String ROWS = Cols.INTERNAL_PREFIX + "rows";

  private UnchangedSnapshotRows() {}

  /**
   * Adds {@code raw_fingerprint}: a hash of the source's fingerprint (its config, the normalization
   * options, the blocklist and, through the keyed hash, the key: RunManifest.sourceHash), {@link
   * #VERSION} and every raw column but the file (a renamed export changes nothing), maps as JSON
   * (Spark hashes no maps). Equal fingerprints mean the row becomes the same record.
   *
   * @param sourceHashes source name → its fingerprint
   */
  static Dataset<Row> withFingerprint(Dataset<Row> raw, Map<String, String> sourceHashes) {
    Column[] content =
        Arrays.stream(raw.columns()).filter(c -> !c.equals(Cols.FILE)).map(c -> col(c)).toArray(Column[]::new);
    List<Column> entries = new ArrayList<>();
    sourceHashes.forEach((name, hash) -> entries.addAll(List.of(lit(name), lit(hash))));
    Column sourceHash =
        entries.isEmpty()
            ? lit("")
            : coalesce(element_at(map(entries.toArray(Column[]::new)), col(Cols.SOURCE)), lit(""));
    return raw.withColumn(
        Cols.RAW_FINGERPRINT,
        sha2(concat_ws("|", lit(VERSION), sourceHash, to_json(struct(content))), 256));
  }

  /**
   * (source, record_id, tonight's file) of tonight's rows of {@code snapshots} that are unchanged: sent
   * once tonight, with the fingerprint of their record in {@code previousState}.
   *
   * @param raw tonight's raw rows, {@link #withFingerprint}
   */
  static Dataset<Row> unchanged(Dataset<Row> raw, Dataset<Row> previousState, Set<String> snapshots) {
    Object[] names = snapshots.toArray();
    Dataset<Row> sentOnce =
        raw.where(col(Cols.SOURCE).isin(names))
            .groupBy(Cols.SOURCE, Cols.RECORD_ID)
            .agg(
                count(lit(1)).as(ROWS),
                first(Cols.FILE).as(FILE),
                first(Cols.RAW_FINGERPRINT).as(PRINT))
            .where(col(ROWS).equalTo(1));
    Dataset<Row> stored =
        previousState
            .where(col(Cols.SOURCE).isin(names))
            .select(col(Cols.SOURCE), col(Cols.RECORD_ID), col(Cols.RAW_FINGERPRINT).as(STORED));
    return sentOnce
        .join(stored, keys())
        .where(col(PRINT).equalTo(col(STORED)))
        .select(Cols.SOURCE, Cols.RECORD_ID, FILE);
  }

  /** Tonight's raw rows that need normalizing: all but the {@link #unchanged} ones. */
  static Dataset<Row> toNormalize(Dataset<Row> raw, Dataset<Row> unchanged) {
    return raw.join(unchanged.select(Cols.SOURCE, Cols.RECORD_ID), keys(), "left_anti");
  }

  /**
   * The stored records of the snapshots whose rows are not {@link #unchanged} tonight: changed, or gone
   * from the export. Few (the snapshot's change), so the caller stores them once, and derives the sets
   * below from them without another join against the unchanged rows. Every other stored record of the
   * snapshots stands tonight as it is (with the file that last changed it), never normalized, compared
   * or written again: RecordState.merge keeps it.
   *
   * @param fewUnchanged broadcast the unchanged keys: the state is scanned, not shuffled
   */
  static Dataset<Row> replaceable(
      Dataset<Row> previousState, Dataset<Row> unchanged, Set<String> snapshots, boolean fewUnchanged) {
    return ofSnapshots(previousState, snapshots).join(keysOf(unchanged, fewUnchanged), keys(), "left_anti");
  }

  /**
   * The previous state without the records of the {@link #unchanged} rows: what tonight's records are
   * compared with and merged into. A snapshot's stored record in it but not among tonight's records was
   * deleted.
   *
   * @param replaceable {@link #replaceable}
   */
  static Dataset<Row> withoutUnchanged(Dataset<Row> previousState, Dataset<Row> replaceable, Set<String> snapshots) {
    return previousState.where(not(col(Cols.SOURCE).isin(snapshots.toArray()))).unionByName(replaceable);
  }

  /** The {@link #unchanged} rows by source and tonight's file: source, file, count. */
  static Dataset<Row> rowsByFile(Dataset<Row> unchanged) {
    return unchanged.groupBy(col(Cols.SOURCE), col(FILE).as(Cols.FILE)).count();
  }

  /**
   * The state cut to the snapshots first: the unchanged rows are a stored table, whose sources the
   * optimizer cannot infer, and the other sources' records (most of them: web events) would be
   * shuffled for nothing.
   */
  private static Dataset<Row> ofSnapshots(Dataset<Row> previousState, Set<String> snapshots) {
    return previousState.where(col(Cols.SOURCE).isin(snapshots.toArray()));
  }

  private static Dataset<Row> keysOf(Dataset<Row> rows, boolean few) {
    Dataset<Row> keys = rows.select(Cols.SOURCE, Cols.RECORD_ID);
    return few ? broadcast(keys) : keys;
  }

  private static String[] keys() {
    return new String[] {Cols.SOURCE, Cols.RECORD_ID};
  }
}
