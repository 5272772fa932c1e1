package io.idgraph.profile;

import static io.idgraph.testing.CanonicalRecords.record;
import static org.apache.spark.sql.functions.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.config.SurvivorshipConfig;
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
        ProfileTables.profiles(assigned, links, SurvivorshipConfig.DEFAULTS, "r1").collectAsList().stream()
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
    // No email-tool record: no consent, and no provenance for it.
    assertThat((String) p1.getAs(Cols.EMAIL_CONSENT)).isNull();
    assertThat(traitSources(p1)).containsOnlyKeys(Cols.FIRST_NAME, Cols.LAST_NAME, Cols.CITY);
    assertThat(traitSources(byId.get("P3"))).isEmpty();
  }

  /**
   * One profile whose records disagree, so that each strategy picks another value:
   *
   * <ul>
   *   <li>first_name: Ann (crm, oldest), Anne twice (support), Annie (web, latest), Zed (no time).
   *   <li>company: Acme twice (crm, support), Beta twice (web latest, email without time).
   *   <li>last_name: only unlisted sources (web Lee latest, email Li without time).
   *   <li>city: Berlin then Bonn (support), Paris (web, latest).
   *   <li>country: DE and AT at the same time (support), ZZ without time.
   * </ul>
   */
  private static Dataset<Row> disagreeing(SparkSession spark) {
    return CanonicalRecords.of(
            spark,
            record("crm", "c1", "2026-01-01T00:00:00Z", "email=e-ann",
                Map.of("first_name", "Ann", "company", "Acme")),
            record("support", "t1", "2026-01-02T00:00:00Z", "email=e-ann",
                Map.of("first_name", "Anne", "company", "Acme", "city", "Berlin", "country", "DE")),
            record("support", "t2", "2026-01-03T00:00:00Z", "email=e-ann",
                Map.of("first_name", "Anne", "city", "Bonn")),
            record("support", "t3", "2026-01-02T00:00:00Z", "email=e-ann", Map.of("country", "AT")),
            record("web", "w1", "2026-01-04T00:00:00Z", "email=e-ann",
                Map.of("first_name", "Annie", "company", "Beta", "last_name", "Lee", "city", "Paris")),
            record("email", "e1", null, "email=e-ann",
                Map.of("first_name", "Zed", "company", "Beta", "last_name", "Li", "country", "ZZ")))
        .withColumn(Cols.PROFILE_ID, lit("P"));
  }

  private static Row profile(Dataset<Row> records, SurvivorshipConfig config) {
    List<Row> rows =
        ProfileTables.profiles(records, ProfileTables.identityLinks(records, "r1"), config, "r1")
            .collectAsList();
    assertThat(rows).hasSize(1);
    return rows.get(0);
  }

  private static Map<String, Row> traitSources(Row profile) {
    return profile.getJavaMap(profile.fieldIndex(Cols.TRAIT_SOURCES));
  }

  /** source/record_id/observed_at/strategy of one trait's provenance. */
  private static String provenance(Row profile, String trait) {
    Row p = traitSources(profile).get(trait);
    java.sql.Timestamp at = p.getAs(Cols.OBSERVED_AT);
    return p.getAs(Cols.SOURCE) + "/" + p.getAs(Cols.RECORD_ID) + "/"
        + (at == null ? null : at.toInstant()) + "/" + p.getAs(Cols.STRATEGY);
  }

  private static SurvivorshipConfig all(String strategy) {
    return new SurvivorshipConfig(strategy, List.of("crm", "support"), null);
  }

  @Test
  void mostRecentTakesTheLatestValueAndBreaksTiesByValue(SparkSession spark) {
    Row p = profile(disagreeing(spark), all(SurvivorshipConfig.MOST_RECENT));
    assertThat((String) p.getAs(Cols.FIRST_NAME)).isEqualTo("Annie");
    assertThat(provenance(p, Cols.FIRST_NAME))
        .isEqualTo("web/w1/2026-01-04T00:00:00Z/most_recent");
    assertThat((String) p.getAs(Cols.CITY)).isEqualTo("Paris");
    // DE and AT share a time: the greater value wins; ZZ has no time and counts as oldest.
    assertThat((String) p.getAs(Cols.COUNTRY)).isEqualTo("DE");
    assertThat(provenance(p, Cols.COUNTRY)).isEqualTo("support/t1/2026-01-02T00:00:00Z/most_recent");
  }

  @Test
  void sourcePriorityTakesTheMostTrustedSourceThenItsLatestValue(SparkSession spark) {
    Row p = profile(disagreeing(spark), all(SurvivorshipConfig.SOURCE_PRIORITY));
    assertThat((String) p.getAs(Cols.FIRST_NAME)).isEqualTo("Ann");
    assertThat(provenance(p, Cols.FIRST_NAME))
        .isEqualTo("crm/c1/2026-01-01T00:00:00Z/source_priority");
    // support outranks the newer web value; within support the later record wins.
    assertThat((String) p.getAs(Cols.CITY)).isEqualTo("Bonn");
    // Only unlisted sources hold a last name: they rank equal, so the latest wins.
    assertThat((String) p.getAs(Cols.LAST_NAME)).isEqualTo("Lee");
    assertThat(provenance(p, Cols.LAST_NAME)).isEqualTo("web/w1/2026-01-04T00:00:00Z/source_priority");
  }

  @Test
  void mostFrequentTakesTheCommonestValueThenTheLatestSeen(SparkSession spark) {
    Row p = profile(disagreeing(spark), all(SurvivorshipConfig.MOST_FREQUENT));
    assertThat((String) p.getAs(Cols.FIRST_NAME)).isEqualTo("Anne");
    // Provenance is the latest record carrying the winning value.
    assertThat(provenance(p, Cols.FIRST_NAME))
        .isEqualTo("support/t2/2026-01-03T00:00:00Z/most_frequent");
    // Acme and Beta are carried twice each; Beta was seen last (web, Jan 4).
    assertThat((String) p.getAs(Cols.COMPANY)).isEqualTo("Beta");
    assertThat(provenance(p, Cols.COMPANY)).isEqualTo("web/w1/2026-01-04T00:00:00Z/most_frequent");
  }

  @Test
  void eachTraitFollowsItsOwnStrategyAndProvenanceNamesIt(SparkSession spark) {
    SurvivorshipConfig config =
        new SurvivorshipConfig(
            null,
            List.of("crm", "support"),
            Map.of(
                Cols.FIRST_NAME, SurvivorshipConfig.SOURCE_PRIORITY,
                Cols.COMPANY, SurvivorshipConfig.MOST_FREQUENT));
    Row p = profile(disagreeing(spark), config);
    assertThat((String) p.getAs(Cols.FIRST_NAME)).isEqualTo("Ann");
    assertThat((String) p.getAs(Cols.COMPANY)).isEqualTo("Beta");
    assertThat((String) p.getAs(Cols.LAST_NAME)).isEqualTo("Lee");
    assertThat((String) p.getAs(Cols.CITY)).isEqualTo("Paris");
    Map<String, Row> sources = traitSources(p);
    assertThat(sources)
        .containsOnlyKeys(Cols.FIRST_NAME, Cols.LAST_NAME, Cols.COMPANY, Cols.CITY, Cols.COUNTRY);
    assertThat(sources.get(Cols.FIRST_NAME).<String>getAs(Cols.STRATEGY)).isEqualTo("source_priority");
    assertThat(sources.get(Cols.COMPANY).<String>getAs(Cols.STRATEGY)).isEqualTo("most_frequent");
    assertThat(sources.get(Cols.CITY).<String>getAs(Cols.STRATEGY)).isEqualTo("most_recent");
    assertThat(provenance(p, Cols.CITY)).isEqualTo("web/w1/2026-01-04T00:00:00Z/most_recent");
    // The plain trait columns stay (analysts query them), trait_sources follows them.
    assertThat(p.schema().fieldNames())
        .containsSubsequence(
            Cols.FIRST_NAME, Cols.COUNTRY, Cols.EMAIL_CONSENT, Cols.TRAIT_SOURCES, Cols.FIRST_SEEN);
  }

  @Test
  void aLaterResubscribeWinsConsentAndALaterUnsubscribeTakesItBack(SparkSession spark) {
    Dataset<Row> records =
        CanonicalRecords.of(
                spark,
                record("email", "s1", "2026-01-01T00:00:00Z", "email=e-ann",
                    Map.of("email_consent", "unsubscribed")),
                record("email", "s2", "2026-02-01T00:00:00Z", "email=e-ann",
                    Map.of("email_consent", "subscribed")),
                record("email", "s3", "2026-01-01T00:00:00Z", "email=e-bob",
                    Map.of("email_consent", "subscribed")),
                record("email", "s4", "2026-02-01T00:00:00Z", "email=e-bob",
                    Map.of("email_consent", "unsubscribed")),
                record("crm", "c1", "2026-03-01T00:00:00Z", "email=e-cy", Map.of("first_name", "Cy")))
            .withColumn(Cols.PROFILE_ID, substring(col(Cols.ENTITY), 9, 10));
    Map<String, Row> byId =
        ProfileTables.profiles(
                records, ProfileTables.identityLinks(records, "r1"), SurvivorshipConfig.DEFAULTS, "r1")
            .collectAsList()
            .stream()
            .collect(java.util.stream.Collectors.toMap(r -> r.getAs(Cols.PROFILE_ID), r -> r));
    assertThat(byId).containsOnlyKeys("ann", "bob", "cy");
    assertThat((String) byId.get("ann").getAs(Cols.EMAIL_CONSENT)).isEqualTo("subscribed");
    assertThat(provenance(byId.get("ann"), Cols.EMAIL_CONSENT))
        .isEqualTo("email/s2/2026-02-01T00:00:00Z/most_recent");
    assertThat((String) byId.get("bob").getAs(Cols.EMAIL_CONSENT)).isEqualTo("unsubscribed");
    assertThat(provenance(byId.get("bob"), Cols.EMAIL_CONSENT))
        .isEqualTo("email/s4/2026-02-01T00:00:00Z/most_recent");
    assertThat((String) byId.get("cy").getAs(Cols.EMAIL_CONSENT)).isNull();
    assertThat(traitSources(byId.get("cy"))).containsOnlyKeys(Cols.FIRST_NAME);
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
