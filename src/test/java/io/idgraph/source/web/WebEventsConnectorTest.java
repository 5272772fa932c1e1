package io.idgraph.source.web;

import static io.idgraph.source.ConnectorTestAccess.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idgraph.config.BadInputException;
import io.idgraph.schema.Cols;
import io.idgraph.source.RawRecords;
import io.idgraph.source.SourceBatch;
import io.idgraph.testing.Fixtures;
import io.idgraph.testing.SparkTest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SparkTest
class WebEventsConnectorTest {
  @TempDir Path dir;

  private SourceBatch read(SparkSession spark, Path file, Map<String, String> columns) {
    return new WebEventsConnector()
        .read(spark, Fixtures.source("web", "web", file.toString(), "US", columns), file.toString());
  }

  @Test
  void identifyLinksTraitsOtherEventsOnlyIds(SparkSession spark) {
    Path file =
        Fixtures.write(
            dir,
            "web.jsonl",
            "{\"messageId\":\"m1\",\"type\":\"identify\",\"anonymousId\":\"a1\",\"userId\":\"u1\","
                + "\"timestamp\":\"2026-01-01T00:00:00Z\",\"traits\":{\"email\":\"Ann@X.com\","
                + "\"phone\":\"650 253 0000\",\"firstName\":\"Ann\"}}",
            "{\"messageId\":\"m2\",\"type\":\"track\",\"anonymousId\":\"a1\",\"event\":\"Buy\","
                + "\"traits\":{\"email\":\"ignored@x.com\"},\"timestamp\":1767225600000,"
                + "\"context\":{\"ip\":\"10.1.2.3\",\"userAgent\":\"UA\",\"timezone\":\"Europe/Berlin\","
                + "\"locale\":\"de-DE\",\"screen\":{\"width\":1440,\"height\":900},"
                + "\"device\":{\"id\":\"dev-1\",\"type\":\"ios\"}}}");
    SourceBatch batch = read(spark, file, Map.of());
    assertThat(batch.records().schema().simpleString()).isEqualTo(RawRecords.SCHEMA.simpleString());
    Map<String, Row> rows = byRecordId(batch);
    assertThat(rawIds(rows.get("m1")))
        .containsExactly("anonymous_id=a1", "user_id=u1", "email=Ann@X.com", "phone=650 253 0000@US");
    assertThat(traits(rows.get("m1"))).containsEntry("first_name", "Ann");
    assertThat((String) rows.get("m1").getAs(Cols.ENTITY_TYPE)).isEqualTo("user_id");
    Row track = rows.get("m2");
    assertThat(rawIds(track)).containsExactly("anonymous_id=a1", "device_id=dev-1");
    assertThat((String) track.getAs(Cols.EVENT_TIME_RAW)).isEqualTo("1767225600000");
    assertThat((String) track.getAs(Cols.ENTITY_TYPE)).isEqualTo("anonymous_id");
    List<Row> signals = track.getList(track.fieldIndex(Cols.RAW_SIGNALS));
    assertThat(signals)
        .extracting(s -> s.getAs(Cols.SIGNAL_TYPE) + "=" + s.getAs(Cols.VALUE))
        .containsExactly(
            "fingerprint=UA|1440x900|Europe/Berlin|de-DE", "ip24=10.1.2.3", "ip16=10.1.2.3");
  }

  @Test
  void invalidJsonAndEventsWithoutMessageIdAreRejected(SparkSession spark) {
    Path file =
        Fixtures.write(
            dir,
            "web.jsonl",
            "{\"messageId\":\"m1\",\"type\":\"page\",\"anonymousId\":\"a1\"}",
            "this is not json",
            "{\"type\":\"page\",\"anonymousId\":\"a2\"}",
            "{\"messageId\":\"m3\",\"type\":\"page\",\"context\":{\"screen\":{\"width\":\"wide\"}}}");
    SourceBatch batch = read(spark, file, Map.of());
    assertThat(byRecordId(batch).keySet()).containsExactlyInAnyOrder("m1", "m3");
    assertThat(rejectedReasons(batch))
        .containsExactly("null:INVALID_JSON", "null:MISSING_RECORD_ID");
  }

  @Test
  void renamedTopLevelFieldsAreMapped(SparkSession spark) {
    Path file =
        Fixtures.write(
            dir, "web.jsonl", "{\"message_id\":\"m1\",\"type\":\"page\",\"anonymous_id\":\"a1\"}");
    SourceBatch batch =
        read(spark, file, Map.of("messageId", "message_id", "anonymousId", "anonymous_id"));
    assertThat(rawIds(byRecordId(batch).get("m1"))).containsExactly("anonymous_id=a1");
  }

  @Test
  void emptyAndMissingFiles(SparkSession spark) {
    assertThat(read(spark, Fixtures.write(dir, "e.jsonl"), Map.of()).records().count()).isZero();
    assertThatThrownBy(() -> read(spark, dir.resolve("nope.jsonl"), Map.of()))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("nope.jsonl");
  }

  @Test
  void utf16JsonLinesWithAByteOrderMarkAreRead(SparkSession spark) throws Exception {
    String text =
        "{\"messageId\":\"m1\",\"type\":\"identify\",\"traits\":{\"first_name\":\"Łukasz\"}}\n"
            + "not json\n"
            + "{\"messageId\":\"m2\",\"traits\":{\"last_name\":\"小龍😀\"}}\n";
    for (var charset :
        List.of(java.nio.charset.StandardCharsets.UTF_16LE, java.nio.charset.StandardCharsets.UTF_16BE)) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      out.writeBytes("\uFEFF".getBytes(charset));
      out.writeBytes(text.getBytes(charset));
      Path file = java.nio.file.Files.write(dir.resolve(charset + ".jsonl"), out.toByteArray());
      SourceBatch batch = read(spark, file, Map.of());
      Map<String, Row> rows = byRecordId(batch);
      assertThat(rows.keySet()).as(charset.name()).containsExactlyInAnyOrder("m1", "m2");
      assertThat(traits(rows.get("m1"))).containsEntry("first_name", "Łukasz");
      assertThat(traits(rows.get("m2"))).containsEntry("last_name", "小龍😀");
      assertThat(rejectedReasons(batch)).containsExactly("null:INVALID_JSON");
      assertThat((String) rows.get("m1").getAs(Cols.FILE)).isEqualTo(charset + ".jsonl");
    }
  }
}
