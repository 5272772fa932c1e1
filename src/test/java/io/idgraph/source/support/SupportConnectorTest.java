package io.idgraph.source.support;

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
class SupportConnectorTest {
  static final String HEADER =
      "ticket_id,requester_email,requester_phone,requester_name,channel,subject,created_at";
  @TempDir Path dir;

  private SourceBatch read(SparkSession spark, Path file) {
    return new SupportConnector()
        .read(spark, Fixtures.source("support", "support", file.toString(), "GB"), file.toString());
  }

  @Test
  void mapsTicketsAndSplitsNames(SparkSession spark) {
    Path file =
        Fixtures.write(
            dir,
            "t.csv",
            HEADER,
            "T1,ann@x.com,,Ann  Van Lee,Email,\"Refund, please\",2026-01-01",
            "T2,,020 7946 0018,Bob,phone,Call me,2026-01-02",
            "T3,,,,chat,hi,2026-01-03",
            "T4,a,b");
    SourceBatch batch = read(spark, file);
    Map<String, Row> rows = byRecordId(batch);
    assertThat(rawIds(rows.get("T1"))).containsExactly("email=ann@x.com");
    assertThat(traits(rows.get("T1")))
        .containsEntry("first_name", "Ann")
        .containsEntry("last_name", "Van Lee");
    assertThat((String) rows.get("T1").getAs(Cols.ENTITY_TYPE)).isEqualTo("email");
    assertThat(rawIds(rows.get("T2"))).containsExactly("phone=020 7946 0018@GB");
    assertThat(traits(rows.get("T2"))).containsOnlyKeys("first_name");
    assertThat((String) rows.get("T2").getAs(Cols.ENTITY_TYPE)).isEqualTo("phone");
    assertThat(rawIds(rows.get("T3"))).isEmpty();
    assertThat(rejectedReasons(batch)).containsExactly("T4:MALFORMED_ROW");
  }

  @Test
  void emptyAndMissing(SparkSession spark) {
    assertThat(read(spark, Fixtures.write(dir, "h.csv", HEADER)).records().count()).isZero();
    assertThatThrownBy(() -> read(spark, dir.resolve("nope.csv")))
        .isInstanceOf(BadInputException.class);
  }
}
