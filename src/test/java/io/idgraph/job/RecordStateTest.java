package io.idgraph.job;

import static io.idgraph.testing.CanonicalRecords.record;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.schema.Cols;
import io.idgraph.testing.CanonicalRecords;
import io.idgraph.testing.SparkTest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

@SparkTest
class RecordStateTest {
  private static final Timestamp AT = Timestamp.from(Instant.parse("2026-11-24T02:00:00Z"));
  private static final StructType BLOCKED_ROWS =
      new StructType()
          .add(Cols.SOURCE, DataTypes.StringType)
          .add(Cols.RECORD_ID, DataTypes.StringType)
          .add(Cols.ID_TYPE, DataTypes.StringType)
          .add(Cols.ID_HASH, DataTypes.StringType);

  private static Dataset<Row> state(SparkSession spark, Row... rows) {
    return RecordState.withBlocked(
        CanonicalRecords.of(spark, rows), spark.createDataFrame(List.of(), BLOCKED_ROWS));
  }

  private static Map<String, String> ids(Dataset<Row> records) {
    Map<String, String> out = new TreeMap<>();
    for (Row r : records.select(col(Cols.SOURCE), col(Cols.RECORD_ID),
            org.apache.spark.sql.functions.to_json(col(Cols.IDENTIFIERS))).collectAsList()) {
      out.put(r.getString(0) + "/" + r.getString(1), r.getString(2));
    }
    return out;
  }

  @Test
  void tonightsRecordsReplaceResentOnesSourcesReadWholeAndUnconfiguredSources(SparkSession spark) {
    Dataset<Row> previous =
        state(spark,
            record("crm", "C1", "2026-11-01T00:00:00Z", "email=e-old", Map.of()),
            record("crm", "C2", "2026-11-01T00:00:00Z", "email=e-bob", Map.of()),
            record("web", "m1", "2026-11-01T00:00:00Z", "anonymous_id=a-1", Map.of()),
            record("web", "m2", "2026-11-01T00:00:00Z", "anonymous_id=a-2", Map.of()),
            record("legacy", "L1", null, "email=e-x", Map.of()));
    Dataset<Row> tonight =
        state(spark,
            record("crm", "C1", "2026-11-23T00:00:00Z", "email=e-new", Map.of()),
            record("web", "m2", "2026-11-23T00:00:00Z", "anonymous_id=a-2 user_id=u-2", Map.of()),
            record("web", "m3", "2026-11-23T00:00:00Z", "anonymous_id=a-3", Map.of()));
    // crm was read whole (a changed snapshot); web got a new file; legacy is no longer configured.
    Dataset<Row> merged = RecordState.merge(previous, tonight, Set.of("web"), false);
    assertThat(ids(RecordState.records(merged)))
        .containsOnlyKeys("crm/C1", "web/m1", "web/m2", "web/m3")
        .containsEntry("crm/C1", "[{\"id_type\":\"email\",\"id_hash\":\"e-new\"}]")
        .containsEntry(
            "web/m2",
            "[{\"id_type\":\"anonymous_id\",\"id_hash\":\"a-2\"},{\"id_type\":\"user_id\",\"id_hash\":\"u-2\"}]");
    assertThat(RecordState.records(merged).columns()).containsExactly(CanonicalRecords.SCHEMA.fieldNames());
  }

  @Test
  void blockedIdentifiersStayWithTheirRecordAcrossNights(SparkSession spark) {
    Dataset<Row> blocked =
        spark.createDataFrame(
            List.of(RowFactory.create("crm", "C1", "email", "e-junk")), BLOCKED_ROWS);
    Dataset<Row> tonight =
        RecordState.withBlocked(
            CanonicalRecords.of(spark, record("crm", "C1", null, "phone=p-1", Map.of()),
                record("crm", "C2", null, "phone=p-2", Map.of())),
            blocked);
    Dataset<Row> next = RecordState.merge(tonight, state(spark), Set.of("crm"), true);
    List<Row> rows = RecordState.blocked(next).collectAsList();
    assertThat(rows).containsExactly(RowFactory.create("crm", "C1", "email", "e-junk"));
  }

  @Test
  void aChangedSnapshotLogsDeletedChangedAndAddedRecordsAndAppendsOnlyChangedOnes(SparkSession spark) {
    Dataset<Row> previous =
        state(spark,
            record("crm", "C1", null, "email=e-old phone=p-1", Map.of()),
            record("crm", "C2", null, "email=e-bob", Map.of()),
            record("crm", "C3", null, "email=e-cy", Map.of()),
            record("web", "m1", null, "anonymous_id=a-1", Map.of()),
            record("web", "m2", null, "anonymous_id=a-2", Map.of()));
    Dataset<Row> tonight =
        state(spark,
            record("crm", "C1", null, "phone=p-1 email=e-new", Map.of()),
            record("crm", "C3", null, "email=e-cy", Map.of()),
            record("crm", "C4", null, "email=e-dee", Map.of()),
            record("web", "m2", null, "anonymous_id=a-2 user_id=u-2", Map.of()),
            record("web", "m3", null, "anonymous_id=a-3", Map.of()));
    Dataset<Row> changes =
        RecordState.changes(previous, tonight, Set.of("crm"), Set.of("web"), "run_2", AT, true);
    Map<String, String> byRecord = new TreeMap<>();
    for (Row r : changes.select(col(Cols.SOURCE), col(Cols.RECORD_ID), col(RecordState.CHANGE),
            org.apache.spark.sql.functions.to_json(col(RecordState.RETIRED)),
            org.apache.spark.sql.functions.to_json(col(RecordState.ADDED))).collectAsList()) {
      byRecord.put(r.getString(0) + "/" + r.getString(1),
          r.getString(2) + " -" + r.getString(3) + " +" + r.getString(4));
    }
    assertThat(byRecord)
        .containsExactlyInAnyOrderEntriesOf(Map.of(
            "crm/C1", "identifiers_changed -[{\"id_type\":\"email\",\"id_hash\":\"e-old\"}]"
                + " +[{\"id_type\":\"email\",\"id_hash\":\"e-new\"}]",
            "crm/C2", "deleted -[{\"id_type\":\"email\",\"id_hash\":\"e-bob\"}] +[]",
            "crm/C4", "added -[] +[{\"id_type\":\"email\",\"id_hash\":\"e-dee\"}]",
            "web/m2", "identifiers_changed -[] +[{\"id_type\":\"user_id\",\"id_hash\":\"u-2\"}]"));
    assertThat(changes.columns()).containsExactly(RecordState.CHANGES_SCHEMA.fieldNames());
    assertThat(changes.select(RecordState.CHANGED_AT, Cols.RUN_ID).distinct().collectAsList())
        .containsExactly(RowFactory.create(AT, "run_2"));
    assertThat(RecordState.changes(previous, tonight, Set.of(), Set.of(), "run_2", AT, false).count()).isZero();
  }
}
