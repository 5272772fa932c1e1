package io.idgraph.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.cluster.Atoms;
import io.idgraph.cluster.IdentityConstraints;
import io.idgraph.cluster.ProfileAssignment;
import io.idgraph.cluster.RuleAwareClustering;
import io.idgraph.config.GraphConfig;
import io.idgraph.config.RulesConfig;
import io.idgraph.config.SurvivorshipConfig;
import io.idgraph.graph.DeterministicEdges;
import io.idgraph.normalize.Blocklist;
import io.idgraph.normalize.EmailOptions;
import io.idgraph.normalize.IdentifierHasher;
import io.idgraph.normalize.IdentifierNormalizer;
import io.idgraph.normalize.RecordNormalizer;
import io.idgraph.schema.Cols;
import io.idgraph.source.SourceBatch;
import io.idgraph.source.crm.CrmConnector;
import io.idgraph.source.email.EmailToolConnector;
import io.idgraph.testing.Fixtures;
import io.idgraph.testing.SparkTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * From export files to profiles through the job's own stages (connector → normalize and hash →
 * deterministic graph → components → profiles), without scoring: profiles exist before any event,
 * and the email tool's consent travels into the profile.
 */
@SparkTest
class ProfilesFromImportsTest {
  static final String CRM_HEADER =
      "contact_id,email,phone,first_name,last_name,company,city,country,user_id,created_at,updated_at";
  static final String EMAIL_HEADER =
      "subscriber_id,email,status,first_name,last_name,subscribed_at,last_opened_at";
  @TempDir Path dir;

  private static Dataset<Row> read(SparkSession spark, String type, Path file) {
    SourceBatch batch =
        (type.equals("crm") ? new CrmConnector() : new EmailToolConnector())
            .read(spark, Fixtures.source(type, type, file.toString(), "US"), file.toString());
    return batch.records();
  }

  /** Profiles by profile id, from raw records as NightlyRun builds them (deterministic links only). */
  private static Map<String, Row> profiles(Dataset<Row> raw, SurvivorshipConfig survivorship) {
    IdentifierNormalizer normalizer = new IdentifierNormalizer(EmailOptions.DEFAULTS);
    RecordNormalizer records =
        new RecordNormalizer(
            normalizer,
            new IdentifierHasher("test-key-test-key-test-key-test-key".getBytes(StandardCharsets.UTF_8)),
            Blocklist.of(RulesConfig.DEFAULTS, normalizer));
    Dataset<Row> atomized =
        Atoms.withAtom(
            DeterministicEdges.withAnchors(
                RecordNormalizer.records(records.evaluate(raw)), GraphConfig.DEFAULTS));
    RuleAwareClustering clustering =
        new RuleAwareClustering(
            IdentityConstraints.of(RulesConfig.DEFAULTS, List.of()), GraphConfig.DEFAULTS.algorithm());
    Dataset<Row> assigned = null;
    try {
      // Read three times by profiles(), as in NightlyRun, which persists it too.
      assigned =
          ProfileAssignment.assign(
                  atomized, clustering.cluster(Atoms.identifiers(atomized)).atomGroups())
              .persist();
      return ProfileTables.profiles(
              assigned, ProfileTables.identityLinks(assigned, "r1"), survivorship, "r1")
          .collectAsList()
          .stream()
          .collect(Collectors.toMap(r -> r.getAs(Cols.PROFILE_ID), r -> r));
    } finally {
      if (assigned != null) {
        assigned.unpersist();
      }
      clustering.release();
    }
  }

  private static Row only(Map<String, Row> profiles, String firstName) {
    return profiles.values().stream()
        .filter(p -> firstName.equals(p.getAs(Cols.FIRST_NAME)))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aCrmImportAloneMakesKnownProfilesWithTraitsAndProvenance(SparkSession spark) {
    Path crm =
        Fixtures.write(
            dir,
            "crm.csv",
            CRM_HEADER,
            "C1,ann@x.com,,Ann,Lee,Acme,Berlin,de,,2026-01-01,2026-01-02T10:00:00Z",
            "C2,bob@y.com,,Bob,,,,,,2026-01-05,");
    Map<String, Row> profiles = profiles(read(spark, "crm", crm), SurvivorshipConfig.DEFAULTS);
    assertThat(profiles).hasSize(2);
    Row ann = only(profiles, "Ann");
    assertThat((String) ann.getAs(Cols.STATE)).isEqualTo("known");
    assertThat(ann.<String, Long>getJavaMap(ann.fieldIndex(Cols.IDENTIFIER_COUNTS)))
        .containsOnlyKeys("email", "external_id:crm");
    assertThat((String) ann.getAs(Cols.LAST_NAME)).isEqualTo("Lee");
    assertThat((String) ann.getAs(Cols.COMPANY)).isEqualTo("Acme");
    assertThat((String) ann.getAs(Cols.COUNTRY)).isEqualTo("DE");
    assertThat((String) ann.getAs(Cols.EMAIL_CONSENT)).isNull();
    Map<String, Row> sources = ann.getJavaMap(ann.fieldIndex(Cols.TRAIT_SOURCES));
    assertThat(sources)
        .containsOnlyKeys(Cols.FIRST_NAME, Cols.LAST_NAME, Cols.COMPANY, Cols.CITY, Cols.COUNTRY);
    Row firstName = sources.get(Cols.FIRST_NAME);
    assertThat((String) firstName.getAs(Cols.SOURCE)).isEqualTo("crm");
    assertThat((String) firstName.getAs(Cols.RECORD_ID)).isEqualTo("C1");
    assertThat(firstName.<Timestamp>getAs(Cols.OBSERVED_AT).toInstant())
        .isEqualTo(Instant.parse("2026-01-02T10:00:00Z"));
    assertThat((String) firstName.getAs(Cols.STRATEGY)).isEqualTo("most_recent");
    Row bob = only(profiles, "Bob");
    assertThat((String) bob.getAs(Cols.STATE)).isEqualTo("known");
    assertThat(bob.<String, Row>getJavaMap(bob.fieldIndex(Cols.TRAIT_SOURCES)))
        .containsOnlyKeys(Cols.FIRST_NAME);
  }

  /**
   * Ann unsubscribed (S1, last opened Jan 10) and subscribed again as a new subscriber (S2, Mar 1):
   * the later re-subscribe is her consent. The email tool's later first name loses to the CRM's
   * under source_priority.
   */
  @Test
  void emailToolConsentTravelsIntoTheProfile(SparkSession spark) {
    Path crm =
        Fixtures.write(
            dir, "crm.csv", CRM_HEADER, "C1,ann@x.com,,Ann,Lee,,,,,2026-01-01,2026-01-02T10:00:00Z");
    Path email =
        Fixtures.write(
            dir,
            "subs.csv",
            EMAIL_HEADER,
            "S1,Ann@X.com,unsubscribed,Annie,,2025-12-01T00:00:00Z,2026-01-10T00:00:00Z",
            "S2,ann@x.com,Subscribed,Annie,,2026-03-01T00:00:00Z,");
    SurvivorshipConfig config =
        new SurvivorshipConfig(
            null, List.of("crm"), Map.of(Cols.FIRST_NAME, SurvivorshipConfig.SOURCE_PRIORITY));
    Map<String, Row> profiles =
        profiles(read(spark, "crm", crm).unionByName(read(spark, "email", email)), config);
    assertThat(profiles).hasSize(1);
    Row ann = profiles.values().iterator().next();
    assertThat((String) ann.getAs(Cols.FIRST_NAME)).isEqualTo("Ann");
    assertThat((String) ann.getAs(Cols.EMAIL_CONSENT)).isEqualTo("subscribed");
    Row consent = ann.<String, Row>getJavaMap(ann.fieldIndex(Cols.TRAIT_SOURCES)).get(Cols.EMAIL_CONSENT);
    assertThat((String) consent.getAs(Cols.SOURCE)).isEqualTo("email");
    assertThat((String) consent.getAs(Cols.RECORD_ID)).isEqualTo("S2");
    assertThat(consent.<Timestamp>getAs(Cols.OBSERVED_AT).toInstant())
        .isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
  }
}
