package io.idgraph.source.crm;

import static io.idgraph.source.ConnectorTestAccess.*;
import static org.assertj.core.api.Assertions.assertThat;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_16BE;
import static java.nio.charset.StandardCharsets.UTF_16LE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idgraph.config.BadInputException;
import io.idgraph.schema.Cols;
import io.idgraph.source.RawRecords;
import io.idgraph.source.SourceBatch;
import io.idgraph.testing.Fixtures;
import io.idgraph.testing.SparkTest;
import io.idgraph.config.SourceConfig;
import io.idgraph.source.SourceCheck;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SparkTest
class CrmConnectorTest {
  static final String HEADER =
      "contact_id,email,phone,first_name,last_name,company,city,country,user_id,created_at,updated_at";
  @TempDir Path dir;

  private SourceBatch read(SparkSession spark, Path file, Map<String, String> columns) {
    return new CrmConnector()
        .read(spark, Fixtures.source("crm", "crm", file.toString(), "US", columns), file.toString());
  }

  @Test
  void mapsAContactToCanonicalRawRecord(SparkSession spark) {
    Path file =
        Fixtures.write(
            dir,
            "crm.csv",
            HEADER,
            "C1, Ann@X.com ,030 1234567,Ann,Lee,Acme,Berlin,de,u1,2026-01-01,2026-01-02T10:00:00Z",
            "C2,,650-253-0000,,,,,,,2026-01-01,");
    SourceBatch batch = read(spark, file, Map.of());
    assertThat(batch.records().schema().simpleString())
        .isEqualTo(RawRecords.SCHEMA.simpleString());
    Map<String, Row> rows = byRecordId(batch);
    Row ann = rows.get("C1");
    assertThat(rawIds(ann))
        .containsExactly(
            "external_id:crm=C1", "email= Ann@X.com ", "phone=030 1234567@DE", "user_id=u1");
    assertThat(traits(ann))
        .containsEntry("first_name", "Ann")
        .containsEntry("company", "Acme")
        .containsEntry("country", "DE");
    assertThat((String) ann.getAs(Cols.EVENT_TIME_RAW)).isEqualTo("2026-01-02T10:00:00Z");
    assertThat((String) ann.getAs(Cols.ENTITY_TYPE)).isEqualTo("external_id:crm");
    Row second = rows.get("C2");
    assertThat(rawIds(second)).containsExactly("external_id:crm=C2", "phone=650-253-0000@US");
    assertThat(traits(second)).isEmpty();
    assertThat((String) second.getAs(Cols.EVENT_TIME_RAW)).isEqualTo("2026-01-01");
    assertThat(batch.rejected().count()).isZero();
  }

  @Test
  void differentlyNamedColumnsAreMappedByConfig(SparkSession spark) {
    Path file =
        Fixtures.write(
            dir,
            "crm.csv",
            "id,mail,phone,first_name,last_name,city,country,user_id,created_at,updated_at",
            "C1,ann@x.com,,Ann,Lee,Berlin,DE,,,");
    SourceBatch batch =
        read(spark, file, Map.of("contact_id", "id", "email", "mail", "company", ""));
    assertThat(rawIds(byRecordId(batch).get("C1")))
        .containsExactly("external_id:crm=C1", "email=ann@x.com");
  }

  @Test
  void byteOrderMarkAndWindowsLineEndingsAreHandled(SparkSession spark) {
    Path file =
        Fixtures.write(
            dir, "crm.csv", "\uFEFF" + HEADER + "\r", "C1,a@x.com,,,,,,,,,2026-01-01\r");
    SourceBatch batch = read(spark, file, Map.of());
    assertThat(rawIds(byRecordId(batch).get("C1")))
        .containsExactly("external_id:crm=C1", "email=a@x.com");
    assertThat((String) byRecordId(batch).get("C1").getAs(Cols.EVENT_TIME_RAW))
        .isEqualTo("2026-01-01");
  }

  @Test
  void missingColumnIsAOneLineErrorNamingFileAndColumn(SparkSession spark) {
    Path file = Fixtures.write(dir, "crm.csv", "contact_id,mail", "C1,a@b.com");
    assertThatThrownBy(() -> read(spark, file, Map.of()))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("source 'crm'")
        .hasMessageContaining("column 'email'")
        .hasMessageContaining("crm.csv")
        .hasMessageContaining("columns: contact_id, mail");
  }

  @Test
  void missingFileIsAnInputError(SparkSession spark) {
    assertThatThrownBy(() -> read(spark, dir.resolve("nope.csv"), Map.of()))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("nope.csv");
  }

  @Test
  void headerOnlyAndZeroByteFilesGiveNoRecords(SparkSession spark) {
    assertThat(read(spark, Fixtures.write(dir, "h.csv", HEADER), Map.of()).records().count())
        .isZero();
    SourceBatch empty = read(spark, Fixtures.write(dir, "e.csv"), Map.of());
    assertThat(empty.records().count()).isZero();
    assertThat(empty.rejected().count()).isZero();
  }

  @Test
  void malformedRowsAndRowsWithoutIdAreRejectedWhole(SparkSession spark) {
    Path file =
        Fixtures.write(
            dir,
            "crm.csv",
            HEADER,
            "C1,a@x.com,,,,,,,,,",
            "C2,too,few,columns",
            "C3,a@x.com,,,,,,,,,,extra,columns",
            " ,orphan@x.com,,,,,,,,,",
            "\"C4,broken quote,,,,,,,,,");
    SourceBatch batch = read(spark, file, Map.of());
    assertThat(byRecordId(batch).keySet()).containsExactly("C1");
    assertThat(rejectedReasons(batch))
        .hasSize(4)
        .contains("C2:MALFORMED_ROW", "C3:MALFORMED_ROW", "null:MISSING_RECORD_ID");
    assertThat(batch.rejected().collectAsList())
        .allSatisfy(r -> assertThat((String) r.getAs(Cols.FILE)).isEqualTo("crm.csv"));
  }

  private static Path bytes(Path file, byte[]... parts) throws java.io.IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return java.nio.file.Files.write(file, out.toByteArray());
  }

  @Test
  void utf16FilesAreReadInTheEncodingTheirByteOrderMarkDeclares(SparkSession spark)
      throws Exception {
    String text = HEADER + "\r\nC1,,,Łukasz,小龍😀,,,,,,\r\nC2,,,Zoë,,,,,,,\r\n";
    Path le =
        bytes(dir.resolve("le.csv"), new byte[] {(byte) 0xFF, (byte) 0xFE}, text.getBytes(UTF_16LE));
    Path be =
        bytes(dir.resolve("be.csv"), new byte[] {(byte) 0xFE, (byte) 0xFF}, text.getBytes(UTF_16BE));
    for (Path file : List.of(le, be)) {
      SourceBatch batch = read(spark, file, Map.of());
      Map<String, Row> rows = byRecordId(batch);
      assertThat(rows.keySet()).as(file.toString()).containsExactlyInAnyOrder("C1", "C2");
      assertThat(traits(rows.get("C1")))
          .containsEntry("first_name", "Łukasz")
          .containsEntry("last_name", "小龍😀");
      assertThat(batch.rejected().count()).isZero();
    }
  }

  @Test
  void aConfiguredEncodingDecodesLatin1(SparkSession spark) throws Exception {
    Path file =
        bytes(dir.resolve("latin1.csv"), (HEADER + "\nC1,,,José,Müller,,,,,,\n").getBytes(ISO_8859_1));
    SourceConfig latin1 =
        new SourceConfig(
            "crm", "crm", file.toString(), null, null, Map.of("encoding", "ISO-8859-1"), Map.of(),
            "US", null, null, null, null, null, List.of(), null, null);
    SourceBatch batch = new CrmConnector().read(spark, latin1, file.toString());
    assertThat(traits(byRecordId(batch).get("C1")))
        .containsEntry("first_name", "José")
        .containsEntry("last_name", "Müller");
  }

  @Test
  void aRowWithBytesItsEncodingCannotDecodeIsQuarantined(SparkSession spark) throws Exception {
    Path file =
        bytes(
            dir.resolve("mixed.csv"),
            (HEADER + "\nC1,,,Zoë,,,,,,,\n").getBytes(UTF_8),
            "C2,,,René,,,,,,,\n".getBytes(ISO_8859_1));
    SourceBatch batch = read(spark, file, Map.of());
    assertThat(byRecordId(batch).keySet()).containsExactly("C1");
    assertThat(rejectedReasons(batch)).containsExactly("C2:UNDECODABLE_TEXT");
  }

  @Test
  void anUnknownEncodingIsAConfigErrorNamingTheKey() {
    SourceConfig config =
        new SourceConfig(
            "crm", "crm", "crm.csv", null, null, Map.of("encoding", "latin-42"), Map.of(), "US",
            null, null, null, null, null, List.of(), null, null);
    assertThatThrownBy(
            () -> new CrmConnector().validate(config, new SourceCheck(Path.of("job.yaml"), "sources[0]")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("job.yaml")
        .hasMessageContaining("sources[0].reader_options.encoding")
        .hasMessageContaining("latin-42");
  }
}
