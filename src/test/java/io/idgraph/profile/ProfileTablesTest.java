package io.idgraph.profile;

import static io.idgraph.testing.CanonicalRecords.record;
import static org.apache.spark.sql.functions.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.schema.Cols;
import io.idgraph.testing.CanonicalRecords;
import io.idgraph.testing.SparkTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class ProfileTablesTest {

  /** Records already assigned to profiles P1 (unified), P2 (known) and P3 (anonymous). */
  private static Dataset<Row> assigned(SparkSession spark) {
    Dataset<Row> records =
        CanonicalRecords.of(
            spark,
            record("web", "m1", "2026-01-01T00:00:00Z", "anonymous_id=a-1", Map.of()),
            record("web", "m2", "2026-01-05T00:00:00Z", "anonymous_id=a-1 user_id=u-1",
                Map.of("first_name", "Annie")),
            record("crm", "c1", "2026-01-03T00:00:00Z", "external_id:crm=x-1 user_id=u-1 email=e-ann",
                Map.of("first_name", "Ann", "last_name", "Lee", "city", "Berlin")),
            record("support", "t1", null, "email=e-ann", Map.of("last_name", "Old")),
            record("crm", "c2", "2026-01-02T00:00:00Z", "external_id:crm=x-2 email=e-bob",
                Map.of("first_name", "Bob")),
            record("web", "m3", "2026-01-02T00:00:00Z", "anonymous_id=a-9", Map.of()));
    return records.withColumn(
        Cols.PROFILE_ID,
        when(col(Cols.RECORD_ID).isin("m1", "m2", "c1", "t1"), lit("P1"))
            .when(col(Cols.RECORD_ID).equalTo("c2"), lit("P2"))
            .otherwise(lit("P3")));
  }

  @Test
  void profilesCarryStateCountsAndMostRecentTraits(SparkSession spark) {
    Dataset<Row> assigned = assigned(spark);
    Dataset<Row> links = ProfileTables.identityLinks(assigned, "r1");
    Map<String, Row> byId =
        ProfileTables.profiles(assigned, links, "r1").collectAsList().stream()
            .collect(java.util.stream.Collectors.toMap(r -> r.getAs(Cols.PROFILE_ID), r -> r));
    Row p1 = byId.get("P1");
    assertThat((String) p1.getAs(Cols.STATE)).isEqualTo("unified");
    assertThat((String) p1.getAs(Cols.FIRST_NAME)).isEqualTo("Annie");
    assertThat((String) p1.getAs(Cols.LAST_NAME)).isEqualTo("Lee");
    assertThat((String) p1.getAs(Cols.CITY)).isEqualTo("Berlin");
    assertThat((Long) p1.getAs(Cols.RECORD_COUNT)).isEqualTo(4L);
    assertThat(p1.<String, Long>getJavaMap(p1.fieldIndex(Cols.IDENTIFIER_COUNTS)))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("anonymous_id", 1L, "user_id", 1L, "email", 1L, "external_id:crm", 1L));
    assertThat(p1.getList(p1.fieldIndex(Cols.SOURCES))).containsExactly("crm", "support", "web");
    assertThat(p1.getTimestamp(p1.fieldIndex(Cols.FIRST_SEEN)).toInstant())
        .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat((String) byId.get("P2").getAs(Cols.STATE)).isEqualTo("known");
    assertThat((String) byId.get("P3").getAs(Cols.STATE)).isEqualTo("anonymous");
    assertThat((String) p1.getAs(Cols.RUN_ID)).isEqualTo("r1");
  }

  @Test
  void identityLinksHaveOneRowPerIdentifierWithSpanAndSources(SparkSession spark) {
    Dataset<Row> links = ProfileTables.identityLinks(assigned(spark), "r1");
    Row ann =
        links.where(col(Cols.ID_HASH).equalTo("e-ann")).collectAsList().get(0);
    assertThat((Long) ann.getAs(Cols.RECORD_COUNT)).isEqualTo(2L);
    assertThat(ann.getList(ann.fieldIndex(Cols.SOURCES))).containsExactly("crm", "support");
    assertThat(links.count()).isEqualTo(7);
  }

  @Test
  void mergeHistoryHasOneRowPerProfileJoiningEntities(SparkSession spark) {
    Instant at = Instant.parse("2026-02-01T00:00:00Z");
    List<Row> merges =
        ProfileTables.mergeHistory(assigned(spark), "r1", at, 30).collectAsList();
    assertThat(merges).hasSize(1);
    Row m = merges.get(0);
    assertThat((String) m.getAs("surviving_profile_id")).isEqualTo("P1");
    assertThat(m.getList(m.fieldIndex("merged_profile_ids")))
        .containsExactly("anonymous_id:a-1", "email:e-ann", "external_id:crm:x-1");
    assertThat(m.getList(m.fieldIndex(Cols.SIGNALS))).containsExactly("email", "user_id");
    assertThat((String) m.getAs(Cols.METHOD)).isEqualTo("deterministic");
    assertThat((String) m.getAs("actor")).isEqualTo("system");
    assertThat(m.getTimestamp(m.fieldIndex("reversible_until")).toInstant())
        .isEqualTo(Instant.parse("2026-03-03T00:00:00Z"));
  }
}
