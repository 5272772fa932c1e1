package io.idgraph.graph;

import static io.idgraph.testing.CanonicalRecords.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.config.GraphConfig;
import io.idgraph.schema.Cols;
import io.idgraph.testing.CanonicalRecords;
import io.idgraph.testing.SparkTest;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class DeterministicEdgesTest {

  @Test
  void eachRecordLinksItsIdentifiersAsAStarAndEdgesAggregate(SparkSession spark) {
    Dataset<Row> records =
        CanonicalRecords.of(
            spark,
            record("crm", "c1", "2026-01-02T00:00:00Z", "external_id:crm=h3 email=h1 user_id=h2", Map.of()),
            record("crm", "c2", "2026-01-01T00:00:00Z", "external_id:crm=h4 email=h1 user_id=h2", Map.of()),
            record("web", "m1", "2026-01-01T00:00:00Z", "anonymous_id=h5", Map.of()));
    Dataset<Row> edges =
        DeterministicEdges.aggregate(
            DeterministicEdges.recordEdges(
                DeterministicEdges.withAnchors(records, GraphConfig.DEFAULTS)),
            "r1");
    List<String> pairs =
        edges.collectAsList().stream()
            .map(r -> r.getAs(Cols.SRC_HASH) + "-" + r.getAs(Cols.DST_HASH) + ":" + r.getAs(Cols.RECORD_COUNT))
            .sorted()
            .collect(Collectors.toList());
    assertThat(pairs).containsExactly("h1-h2:2", "h1-h3:1", "h1-h4:1");
    Row shared =
        edges.where(org.apache.spark.sql.functions.col(Cols.DST_HASH).equalTo("h2")).first();
    assertThat((String) shared.getAs(Cols.RULE)).isEqualTo("crm:record");
    assertThat((String) shared.getAs(Cols.METHOD)).isEqualTo("deterministic");
    assertThat(shared.getList(shared.fieldIndex(Cols.SIGNALS))).containsExactly("email", "user_id");
    assertThat(shared.getTimestamp(shared.fieldIndex(Cols.FIRST_SEEN)).toString())
        .startsWith("2026-01-01");
  }
}
