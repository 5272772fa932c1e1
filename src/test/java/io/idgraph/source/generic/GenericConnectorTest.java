package io.idgraph.source.generic;

import static io.idgraph.source.ConnectorTestAccess.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idgraph.config.BadInputException;
import io.idgraph.config.SourceConfig;
import io.idgraph.schema.Cols;
import io.idgraph.source.SourceBatch;
import io.idgraph.testing.Fixtures;
import io.idgraph.testing.SparkTest;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SparkTest
class GenericConnectorTest {
  @TempDir Path dir;

  private static SourceConfig config(String format, String path, Map<String, String> ids) {
    return new SourceConfig(
        "loyalty", "generic", path, format, null, null, null, "DE", "member_no", "updated", ids,
        Map.of("first_name", "fname"), "land", List.of(), null, null);
  }

  private static Map<String, String> ids() {
    Map<String, String> ids = new LinkedHashMap<>();
    ids.put("external_id:loyalty", "member_no");
    ids.put("email", "mail");
    ids.put("phone", "mobile");
    ids.put("fingerprint", "fp");
    return ids;
  }

  @Test
  void mapsAnyCsvByConfig(SparkSession spark) {
    Path file =
        Fixtures.write(
            dir,
            "loyalty.csv",
            "member_no,mail,mobile,fname,land,updated,fp",
            "L1,ann@x.com,0151 23456789,Ann,,2026-01-01,f1",
            "L2,,+44 20 7946 0018,,GB,,",
            ",x@y.com,,,,,");
    SourceBatch batch = new GenericConnector().read(spark, config("csv", null, ids()), file.toString());
    Map<String, Row> rows = byRecordId(batch);
    assertThat(rawIds(rows.get("L1")))
        .containsExactly("external_id:loyalty=L1", "email=ann@x.com", "phone=0151 23456789@DE");
    assertThat(rawIds(rows.get("L2")))
        .containsExactly("external_id:loyalty=L2", "phone=+44 20 7946 0018@GB");
    assertThat(traits(rows.get("L1"))).containsEntry("first_name", "Ann");
    assertThat((String) rows.get("L1").getAs(Cols.ENTITY_TYPE)).isEqualTo("external_id:loyalty");
    assertThat(rows.get("L1").getList(rows.get("L1").fieldIndex(Cols.RAW_SIGNALS))).hasSize(1);
    assertThat(rejectedReasons(batch)).containsExactly("null:MISSING_RECORD_ID");
  }

  @Test
  void readsParquetAndReportsMissingColumns(SparkSession spark) {
    String parquet = dir.resolve("p").toString();
    spark
        .sql("SELECT 'L9' AS member_no, 'z@x.com' AS mail, CAST(NULL AS STRING) AS mobile,"
            + " 'Zed' AS fname, 'DE' AS land, '2026-01-01' AS updated, 'f' AS fp")
        .write()
        .parquet(parquet);
    SourceBatch batch = new GenericConnector().read(spark, config("parquet", null, ids()), parquet);
    assertThat(rawIds(byRecordId(batch).get("L9")))
        .containsExactly("external_id:loyalty=L9", "email=z@x.com");
    Map<String, String> wrong = new LinkedHashMap<>(ids());
    wrong.put("user_id", "uid");
    assertThatThrownBy(
            () -> new GenericConnector().read(spark, config("parquet", null, wrong), parquet))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("column 'uid' missing");
    assertThatThrownBy(
            () ->
                new GenericConnector()
                    .read(spark, config("parquet", null, ids()), dir.resolve("none").toString()))
        .isInstanceOf(BadInputException.class);
  }
}
