package io.idgraph.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.config.GraphConfig;
import io.idgraph.schema.Cols;
import io.idgraph.testing.CanonicalRecords;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Last night: Ann (a CRM contact and her web visits), Bob, Cy, Dee and Fay, one profile each. Tonight a
 * web event shares Ann's email, Bob's contact is deleted and Dee's contact changed her name only; Cy's
 * contact is re-sent unchanged from a renamed file. Fay shares a phone with Ann (the rules kept them
 * apart).
 */
@io.idgraph.testing.SparkTest
class AffectedScopeTest {
  private static final StructType LINKS =
      new StructType()
          .add(Cols.PROFILE_ID, DataTypes.StringType)
          .add(Cols.ID_TYPE, DataTypes.StringType)
          .add(Cols.ID_HASH, DataTypes.StringType);
  private static final StructType RECORD_PROFILES =
      new StructType()
          .add(Cols.SOURCE, DataTypes.StringType)
          .add(Cols.RECORD_ID, DataTypes.StringType)
          .add(Cols.PROFILE_ID, DataTypes.StringType);
  /** crm is a snapshot read whole tonight; web appends, so its previous records stand. */
  private static final Set<String> WEB_KEPT = Set.of("web");
  private static final StructType HASHES = new StructType().add(Cols.ID_HASH, DataTypes.StringType);

  private static Row crm(String id, String ids, String name) {
    return CanonicalRecords.record("crm", id, "2026-11-01T00:00:00Z", ids, Map.of("first_name", name));
  }

  private static Row web(String id, String ids) {
    return CanonicalRecords.record("web", id, "2026-11-22T10:00:00Z", ids, Map.of());
  }

  /**
   * Canonical records as the state holds them, with a raw fingerprint; the job hashes the raw row,
   * here a hash of the record's content (without its file) stands in for it.
   */
  private static Dataset<Row> printed(SparkSession spark, Row... rows) {
    Dataset<Row> records = CanonicalRecords.of(spark, rows);
    org.apache.spark.sql.Column[] content =
        Arrays.stream(records.columns())
            .filter(c -> !c.equals(Cols.FILE))
            .map(org.apache.spark.sql.functions::col)
            .toArray(org.apache.spark.sql.Column[]::new);
    return records.withColumn(
        Cols.RAW_FINGERPRINT,
        org.apache.spark.sql.functions.sha2(
            org.apache.spark.sql.functions.to_json(org.apache.spark.sql.functions.struct(content)), 256));
  }

  private static Row renamedFile(Row r) {
    Object[] values = new Object[r.length()];
    for (int i = 0; i < values.length; i++) {
      values[i] = r.get(i);
    }
    values[values.length - 1] = "crm-2026-11-23.csv";
    return RowFactory.create(values);
  }

  private static List<String> keys(Dataset<Row> rows, String... columns) {
    return rows.selectExpr("concat_ws(':', " + String.join(", ", columns) + ")").as(
            org.apache.spark.sql.Encoders.STRING())
        .collectAsList();
  }

  @Test
  void scopeHoldsTheProfilesTonightTouchesAndNewRecordsOnly(SparkSession spark) {
    Row ann = crm("C1", "email=e-ann user_id=u-1 phone=p-x", "Ann");
    Row annWeb = web("W1", "anonymous_id=a-1 user_id=u-1");
    Row bob = crm("C2", "email=e-bob", "Bob");
    Row cy = crm("C3", "email=e-cy", "Cy");
    Row dee = crm("C4", "email=e-dee", "Dee");
    Row fay = crm("C5", "email=e-fay phone=p-x", "Fay");
    Dataset<Row> previousState = printed(spark, ann, annWeb, bob, cy, dee, fay);
    Row newWeb = web("W2", "anonymous_id=a-2 email=e-ann");
    Dataset<Row> tonight =
        printed(
            spark, ann, renamedFile(cy), crm("C4", "email=e-dee", "Deirdre"), fay, newWeb);
    Dataset<Row> state = printed(spark, ann, annWeb, renamedFile(cy), crm("C4", "email=e-dee", "Deirdre"), fay, newWeb);
    Dataset<Row> previousLinks =
        spark.createDataFrame(
            Arrays.asList(
                RowFactory.create("P-ann", "email", "e-ann"),
                RowFactory.create("P-ann", "user_id", "u-1"),
                RowFactory.create("P-ann", "phone", "p-x"),
                RowFactory.create("P-ann", "anonymous_id", "a-1"),
                RowFactory.create("P-bob", "email", "e-bob"),
                RowFactory.create("P-cy", "email", "e-cy"),
                RowFactory.create("P-dee", "email", "e-dee"),
                RowFactory.create("P-fay", "email", "e-fay"),
                RowFactory.create("P-fay", "phone", "p-x")),
            LINKS);
    Dataset<Row> previousRecords =
        spark.createDataFrame(
            Arrays.asList(
                RowFactory.create("crm", "C1", "P-ann"),
                RowFactory.create("web", "W1", "P-ann"),
                RowFactory.create("crm", "C2", "P-bob"),
                RowFactory.create("crm", "C3", "P-cy"),
                RowFactory.create("crm", "C4", "P-dee"),
                RowFactory.create("crm", "C5", "P-fay")),
            RECORD_PROFILES);

    // The new web event, Bob's deleted contact, Dee's new name; not Cy's re-sent contact.
    Dataset<Row> touched = AffectedScope.touchedRecords(
            AffectedScope.previousVersions(previousState, tonight, WEB_KEPT, false), tonight, WEB_KEPT, false);
    assertThat(keys(touched, Cols.SOURCE, Cols.RECORD_ID)).containsExactlyInAnyOrder("web:W2", "crm:C2", "crm:C4");

    // The phone links nothing tonight (a do-not-link value, say): Fay stays out.
    Dataset<Row> noPhone = spark.createDataFrame(List.of(RowFactory.create("p-x")), HASHES);
    AffectedScope.Scope scope =
        AffectedScope.of(
            AffectedScope.change(previousState, tonight, WEB_KEPT, GraphConfig.DEFAULTS, true, d -> d),
            tonight, state, previousLinks, previousRecords, noPhone, GraphConfig.DEFAULTS, true, d -> d);
    assertThat(keys(scope.profiles(), Cols.OLD_PROFILE_ID)).containsExactlyInAnyOrder("P-ann", "P-bob", "P-dee");
    // Ann's records, Dee's and the new one; Bob's record is gone, Cy's and Fay's profiles untouched.
    assertThat(keys(scope.records(), Cols.SOURCE, Cols.RECORD_ID))
        .containsExactlyInAnyOrder("crm:C1", "web:W1", "crm:C4", "web:W2");

    // When the shared phone still links, the rules may decide differently tonight: Fay is recomputed too.
    Dataset<Row> none = spark.createDataFrame(List.of(), HASHES);
    AffectedScope.Scope wider =
        AffectedScope.of(
            AffectedScope.change(previousState, tonight, WEB_KEPT, GraphConfig.DEFAULTS, false, d -> d),
            tonight, state, previousLinks, previousRecords, none, GraphConfig.DEFAULTS, false, d -> d);
    assertThat(keys(wider.profiles(), Cols.OLD_PROFILE_ID))
        .containsExactlyInAnyOrder("P-ann", "P-bob", "P-dee", "P-fay");

    // Untouched rows of a previous table: those of Cy and Fay.
    assertThat(keys(AffectedScope.untouchedRows(previousRecords, Cols.PROFILE_ID, scope.profiles()), Cols.RECORD_ID))
        .containsExactlyInAnyOrder("C3", "C5");
  }
}
