package io.idgraph.graph;

import static io.idgraph.testing.CanonicalRecords.record;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.cluster.IdentityConstraints;
import io.idgraph.config.GraphConfig;
import io.idgraph.config.RulesConfig;
import io.idgraph.normalize.Blocklist;
import io.idgraph.normalize.EmailOptions;
import io.idgraph.normalize.IdentifierHasher;
import io.idgraph.normalize.IdentifierNormalizer;
import io.idgraph.normalize.RecordNormalizer;
import io.idgraph.source.RawRecords;
import java.nio.charset.StandardCharsets;
import org.apache.spark.sql.RowFactory;
import io.idgraph.normalize.DoNotLinkIdentifiers;
import io.idgraph.schema.Cols;
import io.idgraph.testing.CanonicalRecords;
import io.idgraph.testing.Clustering;
import io.idgraph.testing.SparkTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Hub isolation and do-not-link on tiny graphs, through the same stages NightlyRun uses. */
@SparkTest
class IdentityRulesScenarioTest {

  private static Map<String, String> profiles(Dataset<Row> records, Dataset<Row> unlinkable) {
    return Clustering.profiles(records, GraphConfig.DEFAULTS, unlinkable);
  }

  @Test
  void switchboardOnFifteenContactsIsIsolatedAndRecorded(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      rows.add(
          record("crm", "c" + i, null,
              "external_id:crm=x-" + i + " email=e-" + i + " phone=p-switchboard", Map.of()));
    }
    // One person with two emails and two phones stays one profile.
    rows.add(record("crm", "ann1", null, "external_id:crm=x-ann email=e-ann-work phone=p-ann-1", Map.of()));
    rows.add(record("email", "ann2", null, "email=e-ann-work email=e-ann-home", Map.of()));
    rows.add(record("support", "ann3", null, "email=e-ann-home phone=p-ann-2", Map.of()));
    rows.add(record("web", "ann4", null, "phone=p-ann-2 user_id=u-ann", Map.of()));
    Dataset<Row> records = CanonicalRecords.of(spark, rows.toArray(Row[]::new));

    Dataset<Row> hubs = LinkRules.hubs(records, GraphConfig.DEFAULTS, 10, 20);
    List<Row> hubRows = hubs.collectAsList();
    assertThat(hubRows).hasSize(1);
    assertThat((String) hubRows.get(0).getAs(Cols.ID_HASH)).isEqualTo("p-switchboard");
    assertThat((Long) hubRows.get(0).getAs(LinkRules.DEGREE)).isEqualTo(30L);
    assertThat((Long) hubRows.get(0).getAs(LinkRules.RECORDS)).isEqualTo(15L);

    Map<String, String> isolated = profiles(records, hubs);
    assertThat(isolated.entrySet().stream().filter(e -> e.getKey().startsWith("c")).map(Map.Entry::getValue).distinct())
        .hasSize(15);
    assertThat(List.of(isolated.get("ann1"), isolated.get("ann2"), isolated.get("ann3"), isolated.get("ann4")))
        .containsOnly(isolated.get("ann1"));

    Map<String, String> unruled =
        Clustering.cluster(records, GraphConfig.DEFAULTS, LinkDecisions.none(spark), IdentityConstraints.none())
            .profiles();
    assertThat(unruled.get("c0")).isEqualTo(unruled.get("c14"));

    Row decision = LinkDecisions.isolatedHubs(hubs).first();
    assertThat((String) decision.getAs(Cols.RULE)).isEqualTo(LinkDecisions.HUB_ISOLATION);
  }

  @Test
  void valueTypedWithMoreThanTwentyNamesIsAHubEvenWithoutStrongIds(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 21; i++) {
      // A shop's own phone typed into every guest order: anonymous checkouts, 21 different buyers.
      rows.add(record("web", "o" + i, null, "anonymous_id=a-" + i + " phone=p-shop",
          Map.of("first_name", "Buyer", "last_name", "Number" + i)));
    }
    rows.add(record("web", "o-again", null, "anonymous_id=a-0 phone=p-shop",
        Map.of("first_name", " BUYER ", "last_name", "number0")));
    Dataset<Row> records = CanonicalRecords.of(spark, rows.toArray(Row[]::new));
    Row hub = LinkRules.hubs(records, GraphConfig.DEFAULTS, 10, 20).first();
    assertThat((String) hub.getAs(Cols.ID_HASH)).isEqualTo("p-shop");
    assertThat((Long) hub.getAs(LinkRules.NAMES)).isEqualTo(21L);
    assertThat((Long) hub.getAs(LinkRules.DEGREE)).isNull();
    assertThat(LinkRules.hubs(records, GraphConfig.DEFAULTS, 10, 21).isEmpty()).isTrue();
    assertThat(LinkRules.hubs(records, GraphConfig.DEFAULTS, 10, 0).isEmpty()).isTrue();
    Row decision = LinkDecisions.isolatedHubs(LinkRules.hubs(records, GraphConfig.DEFAULTS, 10, 20)).first();
    assertThat((String) decision.getAs(LinkDecisions.DETAIL)).contains("21 distinct names");
    Map<String, String> p = profiles(records, LinkRules.hubs(records, GraphConfig.DEFAULTS, 10, 20));
    assertThat(p.get("o1")).isNotEqualTo(p.get("o2"));
    assertThat(p.get("o0")).isEqualTo(p.get("o-again"));
  }

  @Test
  void doNotLinkIdentifierNeverLinks(SparkSession spark) {
    Dataset<Row> records =
        CanonicalRecords.of(
            spark,
            record("crm", "a", null, "external_id:crm=x-a email=e-family", Map.of()),
            record("crm", "b", null, "external_id:crm=x-b email=e-family", Map.of()));
    Dataset<Row> dnl =
        LinkDecisions.identifiers(spark, List.of(new DoNotLinkIdentifiers.Hashed("email", "e-family")));
    Map<String, String> p = profiles(records, dnl);
    assertThat(p.get("a")).isNotEqualTo(p.get("b"));
    Row decision = LinkDecisions.doNotLink(LinkRules.withRecordCounts(records, dnl)).first();
    assertThat((String) decision.getAs(Cols.RULE)).isEqualTo(LinkDecisions.DO_NOT_LINK);
    assertThat((Long) decision.getAs(LinkRules.RECORDS)).isEqualTo(2L);
    assertThat(profiles(records, LinkDecisions.none(spark)).get("a"))
        .isEqualTo(profiles(records, LinkDecisions.none(spark)).get("b"));
  }

  private static Row raw(String id, String... ids) {
    List<Row> rawIds = new ArrayList<>();
    for (String spec : ids) {
      String[] p = spec.split("=", 2);
      rawIds.add(RowFactory.create(p[0], p[1], "US"));
    }
    return RowFactory.create(
        "crm", id, "2026-01-01", rawIds, Map.of(), List.of(), Map.of(), "external_id:crm", "f.csv");
  }

  /** Junk values from real exports, each on contacts of different people, through the normalizer. */
  @Test
  void junkEmailPhoneAndUserIdNeverMergeAndAreCounted(SparkSession spark) {
    Dataset<Row> rawRecords =
        spark.createDataFrame(
            List.of(
                raw("c1", "external_id:crm=c1", "email=no@email.com", "phone=+44 7777 777777", "user_id=undefined"),
                raw("c2", "external_id:crm=c2", "email=No@Email.com ", "phone=+44 7777-777 777", "user_id=undefined"),
                raw("c3", "external_id:crm=c3", "email=test@test.com", "phone=+44 (7777) 777777", "user_id=null"),
                raw("c4", "external_id:crm=c4", "email=test@test.com", "phone=0044 7777 777777", "user_id=null"),
                raw("c5", "external_id:crm=c5", "email=ann@shop.de", "phone=+1 201 555 0199", "user_id=u-5")),
            RawRecords.SCHEMA);
    IdentifierNormalizer normalizer = new IdentifierNormalizer(EmailOptions.DEFAULTS);
    RecordNormalizer records =
        new RecordNormalizer(
            normalizer,
            new IdentifierHasher("test-key-test-key-test-key-test-key".getBytes(StandardCharsets.UTF_8)),
            Blocklist.of(RulesConfig.DEFAULTS, normalizer));
    Dataset<Row> evaluated = records.evaluate(rawRecords);
    Map<String, String> p = profiles(RecordNormalizer.records(evaluated), LinkDecisions.none(spark));
    assertThat(List.of(p.get("c1"), p.get("c2"), p.get("c3"), p.get("c4"), p.get("c5"))).doesNotHaveDuplicates();
    List<Row> blocked = RecordNormalizer.blocked(evaluated).collectAsList();
    assertThat(blocked).extracting(r -> r.<String>getAs(Cols.ID_TYPE))
        .containsOnly("email", "phone", "user_id")
        .hasSize(12);
    assertThat(blocked).extracting(r -> r.<String>getAs(Cols.RECORD_ID)).doesNotContain("c5");
  }
}
