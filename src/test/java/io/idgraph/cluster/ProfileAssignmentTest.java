package io.idgraph.cluster;

import static io.idgraph.testing.CanonicalRecords.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.config.GraphConfig;
import io.idgraph.schema.Cols;
import io.idgraph.testing.CanonicalRecords;
import io.idgraph.testing.Clustering;
import io.idgraph.testing.SparkTest;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class ProfileAssignmentTest {

  private static Map<String, String> profiles(Dataset<Row> records, GraphConfig graph) {
    return Clustering.profiles(records, graph, null);
  }

  @Test
  void recordsSharingIdentifiersTransitivelyFormOneProfile(SparkSession spark) {
    Dataset<Row> records =
        CanonicalRecords.of(
            spark,
            record("web", "m1", "2026-01-01T00:00:00Z", "anonymous_id=a-1", Map.of()),
            record("web", "m2", "2026-01-01T00:01:00Z", "anonymous_id=a-1 user_id=u-1", Map.of()),
            record("crm", "c1", "2026-01-02T00:00:00Z", "external_id:crm=x-1 user_id=u-1 email=e-ann", Map.of()),
            record("support", "t1", "2026-01-03T00:00:00Z", "email=e-ann", Map.of()),
            record("crm", "c2", "2026-01-02T00:00:00Z", "external_id:crm=x-2 email=e-bob", Map.of()),
            record("support", "t2", null, "", Map.of()),
            record("support", "t3", null, "", Map.of()));
    Map<String, String> p = profiles(records, GraphConfig.DEFAULTS);
    assertThat(List.of(p.get("m1"), p.get("m2"), p.get("c1"), p.get("t1"))).containsOnly(p.get("m1"));
    assertThat(p.get("c2")).isNotEqualTo(p.get("m1"));
    assertThat(p.get("t2")).isNotEqualTo(p.get("t3")).isNotEqualTo(p.get("c2"));
    assertThat(p.values()).allSatisfy(id -> assertThat(id).matches("prf_[0-9a-f]{16}"));
    assertThat(p.values().stream().distinct().count()).isEqualTo(4);
  }

  @Test
  void profileIdsAreStableAndTypesCanBeExcludedFromLinking(SparkSession spark) {
    Dataset<Row> records =
        CanonicalRecords.of(
            spark,
            record("crm", "c1", null, "external_id:crm=x-1 phone=p-switchboard", Map.of()),
            record("crm", "c2", null, "external_id:crm=x-2 phone=p-switchboard", Map.of()));
    Map<String, String> linked = profiles(records, GraphConfig.DEFAULTS);
    assertThat(linked.get("c1")).isEqualTo(linked.get("c2"));
    assertThat(profiles(records, GraphConfig.DEFAULTS)).isEqualTo(linked);
    GraphConfig noPhones =
        new GraphConfig(List.of("email", "user_id", "external_id"), "graphx");
    Map<String, String> apart = profiles(records, noPhones);
    assertThat(apart.get("c1")).isNotEqualTo(apart.get("c2"));
  }
}
