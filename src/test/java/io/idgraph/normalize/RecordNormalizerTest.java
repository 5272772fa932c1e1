package io.idgraph.normalize;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.schema.Cols;
import io.idgraph.source.RawRecords;
import io.idgraph.testing.SparkTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class RecordNormalizerTest {
  private static final byte[] KEY =
      "test-key-test-key-test-key-test-key".getBytes(StandardCharsets.UTF_8);
  private static final IdentifierHasher HASHER = new IdentifierHasher(KEY);

  private static Row raw(String id, String time, String entityType, String... ids) {
    List<Row> rawIds = new ArrayList<>();
    for (String spec : ids) {
      String[] p = spec.split("=", 2);
      String[] valueAndRegion = p[1].split("@@", 2);
      rawIds.add(
          RowFactory.create(
              p[0], valueAndRegion[0], valueAndRegion.length > 1 ? valueAndRegion[1] : null));
    }
    List<Row> signals = List.of(RowFactory.create("ip24", "10.1.2.3"), RowFactory.create("ip16", "not-an-ip"));
    return RowFactory.create(
        "crm", id, time, rawIds, Map.of("first_name", "Ann"), signals, Map.of(), entityType, "f.csv");
  }

  private static RecordNormalizer.Normalized normalize(SparkSession spark, Row... rows) {
    Dataset<Row> raw = spark.createDataFrame(Arrays.asList(rows), RawRecords.SCHEMA);
    return new RecordNormalizer(new IdentifierNormalizer(EmailOptions.DEFAULTS), HASHER).apply(raw);
  }

  private static List<String> rejections(RecordNormalizer.Normalized n) {
    return n.rejected().collectAsList().stream()
        .map(r -> r.getAs(Cols.RECORD_REF) + ":" + r.getAs(Cols.FIELD) + ":" + r.getAs(Cols.REASON))
        .sorted()
        .collect(Collectors.toList());
  }

  @Test
  void parsesIsoWithAndWithoutOffsetAndEpochMillis(SparkSession spark) {
    RecordNormalizer.Normalized n =
        normalize(
            spark,
            raw("a", "2026-01-01T10:00:00+02:00", null),
            raw("b", "2026-01-01 10:00:00", null),
            raw("c", "1767225600000", null),
            raw("d", "2026-01-01", null),
            raw("e", "yesterday", null),
            raw("f", null, null));
    Map<String, String> times =
        n.records().collectAsList().stream()
            .collect(
                Collectors.toMap(
                    r -> r.getAs(Cols.RECORD_ID),
                    r ->
                        r.get(r.fieldIndex(Cols.EVENT_TIME)) == null
                            ? "null"
                            : r.getTimestamp(r.fieldIndex(Cols.EVENT_TIME)).toInstant().toString()));
    assertThat(times)
        .containsEntry("a", "2026-01-01T08:00:00Z")
        .containsEntry("b", "2026-01-01T10:00:00Z")
        .containsEntry("c", "2026-01-01T00:00:00Z")
        .containsEntry("d", "2026-01-01T00:00:00Z")
        .containsEntry("e", "null")
        .containsEntry("f", "null");
    assertThat(rejections(n)).contains("e:event_time:UNPARSEABLE_TIMESTAMP");
  }

  @Test
  void newestRowPerRecordIdWinsAndOthersAreLogged(SparkSession spark) {
    RecordNormalizer.Normalized n =
        normalize(
            spark,
            raw("c1", "2025-01-01T00:00:00Z", null, "email=old@x.com"),
            raw("c1", "2026-01-01T00:00:00Z", null, "email=new@x.com"),
            raw("c1", null, null, "email=undated@x.com"));
    List<Row> kept = n.records().collectAsList();
    assertThat(kept).hasSize(1);
    List<Row> ids = kept.get(0).getList(kept.get(0).fieldIndex(Cols.IDENTIFIERS));
    assertThat(ids.get(0).<String>getAs(Cols.ID_HASH)).isEqualTo(HASHER.hash("email", "new@x.com"));
    assertThat(rejections(n))
        .filteredOn(s -> s.contains("DUPLICATE"))
        .containsExactly("c1:record_id:DUPLICATE_SUPERSEDED", "c1:record_id:DUPLICATE_SUPERSEDED");
  }

  @Test
  void eventAttributesLeaveScrubbedOfPersonalData(SparkSession spark) {
    Row web =
        RowFactory.create(
            "web", "m1", "2026-01-01", List.of(), Map.of(), List.of(),
            Map.of(
                "page_path", "/account?email=ann@x.org&tab=1",
                "referrer", "https://mail.example.net/read/ann@x.org",
                "event:email_opened", "2026-01-01T10:00:00Z"),
            "anonymous_id", "w.jsonl");
    Row out = normalize(spark, web).records().first();
    assertThat(out.<String, String>getJavaMap(out.fieldIndex(Cols.ATTRIBUTES)))
        .containsEntry("page_path", "/account?email=[redacted]&tab=[redacted]")
        .containsEntry("referrer", "https://mail.example.net/read/[email]")
        .containsEntry("event:email_opened", "2026-01-01T10:00:00Z");
  }

  @Test
  void normalizesAndHashesIdentifiersAndDropsBadValuesKeepingTheRecord(SparkSession spark) {
    RecordNormalizer.Normalized n =
        normalize(
            spark,
            raw("c1", "2026-01-01", "external_id:crm",
                "external_id:crm=c1", "email= Ann+news@Example.COM ", "phone=030 1234567@@DE"),
            raw("c2", "2026-01-01", "external_id:crm",
                "external_id:crm=c2", "email=bob at x.com", "phone=12@@US", "user_id=u2"));
    Map<String, Row> byId =
        n.records().collectAsList().stream()
            .collect(Collectors.toMap(r -> r.getAs(Cols.RECORD_ID), r -> r));
    List<String> ann =
        byId.get("c1").<Row>getList(byId.get("c1").fieldIndex(Cols.IDENTIFIERS)).stream()
            .map(r -> r.getAs(Cols.ID_TYPE) + "=" + r.getAs(Cols.ID_HASH))
            .collect(Collectors.toList());
    assertThat(ann)
        .containsExactly(
            "external_id:crm=" + HASHER.hash("external_id:crm", "c1"),
            "email=" + HASHER.hash("email", "ann@example.com"),
            "phone=" + HASHER.hash("phone", "+49301234567"));
    assertThat((String) byId.get("c1").getAs(Cols.ENTITY))
        .isEqualTo("external_id:crm:" + HASHER.hash("external_id:crm", "c1"));
    List<Row> bob = byId.get("c2").getList(byId.get("c2").fieldIndex(Cols.IDENTIFIERS));
    assertThat(bob).extracting(r -> r.<String>getAs(Cols.ID_TYPE))
        .containsExactly("external_id:crm", "user_id");
    assertThat(rejections(n))
        .containsExactlyInAnyOrder(
            "c1:ip16:INVALID_IP",
            "c2:email:INVALID_EMAIL",
            "c2:phone:INVALID_PHONE",
            "c2:ip16:INVALID_IP");
    Row signals = n.records().where(col(Cols.RECORD_ID).equalTo("c1")).first();
    assertThat(signals.<Row>getList(signals.fieldIndex(Cols.SIGNALS)))
        .extracting(r -> r.<String>getAs(Cols.SIGNAL_HASH))
        .containsExactlyInAnyOrder(
            HASHER.hash("ip24", "10.1.2"),
            // parts of the valid email and phone, for partial agreement in scoring
            HASHER.hash("email_local", "ann"),
            HASHER.hash("phone_tail", "1234567"));
    Row invalid = n.records().where(col(Cols.RECORD_ID).equalTo("c2")).first();
    assertThat(invalid.<Row>getList(invalid.fieldIndex(Cols.SIGNALS)))
        .extracting(r -> r.<String>getAs(Cols.SIGNAL_TYPE))
        .doesNotContain("email_local", "phone_tail");
    assertThat(n.records().schema().fieldNames())
        .doesNotContain(Cols.RAW_IDS, Cols.RAW_SIGNALS, Cols.EVENT_TIME_RAW);
  }
}
