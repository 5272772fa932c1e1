package io.idgraph.source.email;

import static io.idgraph.source.ConnectorTestAccess.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idgraph.config.BadInputException;
import io.idgraph.schema.Cols;
import io.idgraph.source.SourceBatch;
import io.idgraph.testing.Fixtures;
import io.idgraph.testing.SparkTest;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SparkTest
class EmailToolConnectorTest {
  static final String HEADER =
      "subscriber_id,email,status,first_name,last_name,subscribed_at,last_opened_at";
  @TempDir Path dir;

  private SourceBatch read(SparkSession spark, Path file) {
    return new EmailToolConnector()
        .read(spark, Fixtures.source("esp", "email", file.toString(), null), file.toString());
  }

  @Test
  void mapsSubscribers(SparkSession spark) {
    Path file =
        Fixtures.write(
            dir,
            "subs.csv",
            HEADER,
            "S1,Ann@X.com,Unsubscribed,Ann,Lee,2026-01-01,2026-02-01T08:00:00Z",
            "S2,bob@x.com,subscribed,,,2026-01-01,",
            "S3,broken,\"row",
            ",nobody@x.com,subscribed,,,,");
    SourceBatch batch = read(spark, file);
    Map<String, Row> rows = byRecordId(batch);
    assertThat(rows.keySet()).containsExactlyInAnyOrder("S1", "S2");
    assertThat(rawIds(rows.get("S1"))).containsExactly("external_id:esp=S1", "email=Ann@X.com");
    assertThat((String) rows.get("S1").getAs(Cols.EVENT_TIME_RAW))
        .isEqualTo("2026-02-01T08:00:00Z");
    assertThat((String) rows.get("S2").getAs(Cols.EVENT_TIME_RAW)).isEqualTo("2026-01-01");
    assertThat(rows.get("S1").<String, String>getJavaMap(rows.get("S1").fieldIndex(Cols.ATTRIBUTES)))
        .containsEntry("status", "unsubscribed");
    assertThat(rejectedReasons(batch)).containsExactly("S3:MALFORMED_ROW", "null:MISSING_RECORD_ID");
  }

  @Test
  void consentStatusesBecomeTheEmailConsentTrait(SparkSession spark) {
    Path file =
        Fixtures.write(
            dir,
            "consent.csv",
            HEADER,
            "S1,a@x.com,Unsubscribed,Ann,,2026-01-01,",
            "S2,b@x.com, subscribed ,,,2026-01-01,",
            "S3,c@x.com,cleaned,,,2026-01-01,",
            "S4,d@x.com,pending,Dan,,2026-01-01,",
            "S5,e@x.com,,,,2026-01-01,");
    Map<String, Row> rows = byRecordId(read(spark, file));
    Map<String, String> consent = new java.util.HashMap<>();
    rows.forEach(
        (id, r) ->
            consent.put(
                id, r.<String, String>getJavaMap(r.fieldIndex(Cols.TRAITS)).get(Cols.EMAIL_CONSENT)));
    assertThat(consent)
        .containsEntry("S1", "unsubscribed")
        .containsEntry("S2", "subscribed")
        .containsEntry("S3", "cleaned")
        .containsEntry("S4", null)
        .containsEntry("S5", null);
    Row pending = rows.get("S4");
    assertThat(pending.<String, String>getJavaMap(pending.fieldIndex(Cols.TRAITS)))
        .containsOnlyKeys(Cols.FIRST_NAME);
    assertThat(pending.<String, String>getJavaMap(pending.fieldIndex(Cols.ATTRIBUTES)))
        .containsEntry("status", "pending");
  }

  @Test
  void emptyMissingAndWrongShape(SparkSession spark) {
    assertThat(read(spark, Fixtures.write(dir, "h.csv", HEADER)).records().count()).isZero();
    assertThatThrownBy(() -> read(spark, dir.resolve("nope.csv")))
        .isInstanceOf(BadInputException.class);
    assertThatThrownBy(() -> read(spark, Fixtures.write(dir, "w.csv", "id,email", "1,a@b.c")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("column 'subscriber_id'");
  }
}
