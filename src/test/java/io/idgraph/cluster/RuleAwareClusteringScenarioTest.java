package io.idgraph.cluster;

import static io.idgraph.testing.CanonicalRecords.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.config.GraphConfig;
import io.idgraph.config.RulesConfig;
import io.idgraph.normalize.DoNotLinkIdentifiers.Hashed;
import io.idgraph.schema.Cols;
import io.idgraph.testing.CanonicalRecords;
import io.idgraph.testing.Clustering;
import io.idgraph.testing.Clustering.Clustered;
import io.idgraph.testing.SparkTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The identity rules enforced while profiles form, on tiny graphs, through the job's own stages. */
@SparkTest
class RuleAwareClusteringScenarioTest {
  private static final IdentityConstraints DEFAULTS = IdentityConstraints.of(RulesConfig.DEFAULTS, List.of());

  private static Clustered cluster(Dataset<Row> records, IdentityConstraints rules) {
    return Clustering.cluster(records, GraphConfig.DEFAULTS, null, rules);
  }

  private static Set<String> distinct(Map<String, String> profiles, String... recordIds) {
    Set<String> out = new HashSet<>();
    for (String id : recordIds) {
      out.add(profiles.get(id));
    }
    return out;
  }

  private static Row refusal(Clustered c, String hash) {
    return c.refusals().stream()
        .filter(r -> hash.equals(r.getAs(Cols.ID_HASH)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no refusal recorded for " + hash + ": " + c.refusals()));
  }

  @Test
  void sharedLaptopWithTwoUserIdsGivesTwoProfilesAndTheBrowserFollowsTheLastLogin(SparkSession spark) {
    Dataset<Row> records =
        CanonicalRecords.of(
            spark,
            record("web", "ann-login", "2026-03-01T10:00:00Z", "anonymous_id=a-laptop user_id=u-ann", Map.of()),
            record("web", "ann-page", "2026-03-01T10:05:00Z", "user_id=u-ann", Map.of()),
            record("web", "bob-login", "2026-03-02T20:00:00Z", "anonymous_id=a-laptop user_id=u-bob", Map.of()),
            record("crm", "bob-crm", "2026-01-01T00:00:00Z", "user_id=u-bob email=e-bob", Map.of()),
            record("web", "anon-view", "2026-03-03T08:00:00Z", "anonymous_id=a-laptop", Map.of()));
    Clustered c = cluster(records, DEFAULTS);
    Map<String, String> p = c.profiles();
    assertThat(p.get("ann-login")).isEqualTo(p.get("ann-page")).isNotEqualTo(p.get("bob-login"));
    assertThat(p.get("bob-login")).isEqualTo(p.get("bob-crm"));
    // Bob logged in on the laptop last, so its anonymous page view is his.
    assertThat(p.get("anon-view")).isEqualTo(p.get("bob-login"));
    Row refused = refusal(c, "a-laptop");
    assertThat((String) refused.getAs(Cols.RULE)).isEqualTo(IdentityConstraints.LIMIT);
    assertThat((String) refused.getAs(Cols.ID_TYPE)).isEqualTo("anonymous_id");
    assertThat((Long) refused.getAs(RuleAwareClustering.DEGREE)).isEqualTo(1L);
    assertThat((Long) refused.getAs(Atoms.RECORDS)).isEqualTo(3L);
    assertThat((String) refused.getAs(RuleAwareClustering.DETAIL)).contains("more than 1 user_id");

    Map<String, String> unruled = cluster(records, IdentityConstraints.none()).profiles();
    assertThat(distinct(unruled, "ann-login", "bob-login", "anon-view")).hasSize(1);
  }

  @Test
  void onePersonWithTwoEmailsAndTwoPhonesIsOneProfile(SparkSession spark) {
    Dataset<Row> records =
        CanonicalRecords.of(
            spark,
            record("crm", "c1", null, "external_id:crm=x-1 email=e-work phone=p-1", Map.of()),
            record("email", "s1", null, "email=e-work email=e-home", Map.of()),
            record("support", "t1", null, "email=e-home phone=p-2", Map.of()),
            record("web", "w1", null, "phone=p-2 user_id=u-1 anonymous_id=a-1", Map.of()),
            record("web", "w2", null, "anonymous_id=a-1", Map.of()));
    Clustered c = cluster(records, DEFAULTS);
    assertThat(distinct(c.profiles(), "c1", "s1", "t1", "w1", "w2")).hasSize(1);
    assertThat(c.refusals()).isEmpty();
  }

  /**
   * A family phone shared by two user ids, and an anonymous page view that belongs to Ann. Splitting
   * after clustering cuts the weakest type (anonymous_id) first, which does not help, then the phone:
   * three profiles, and Ann loses her page view. Enforcing while clustering refuses the phone when it
   * would join the two user ids, and the browser then links Ann's page view to her: two profiles.
   */
  @Test
  void enforcingWhileClusteringKeepsLinksThatSplittingAfterwardsLoses(SparkSession spark) {
    Row[] rows = {
      record("crm", "ann", "2026-02-01T00:00:00Z", "user_id=u-ann phone=p-family", Map.of()),
      record("crm", "bob", "2026-02-02T00:00:00Z", "user_id=u-bob phone=p-family", Map.of()),
      record("web", "ann-login", "2026-02-03T00:00:00Z", "user_id=u-ann anonymous_id=a-ann", Map.of()),
      record("web", "ann-view", "2026-02-04T00:00:00Z", "anonymous_id=a-ann", Map.of())
    };
    Map<String, String> enforced = cluster(CanonicalRecords.of(spark, rows), DEFAULTS).profiles();
    assertThat(enforced.get("ann-view")).isEqualTo(enforced.get("ann")).isEqualTo(enforced.get("ann-login"));
    assertThat(enforced.get("bob")).isNotEqualTo(enforced.get("ann"));

    Map<String, Integer> splitAfterwards = splitAfterClustering(rows);
    assertThat(splitAfterwards.get("ann-view")).isNotEqualTo(splitAfterwards.get("ann"));
    assertThat(new HashSet<>(splitAfterwards.values())).hasSize(3);
    assertThat(new HashSet<>(enforced.values())).hasSize(2);
  }

  @Test
  void doNotLinkPairNeverEndsInOneProfile(SparkSession spark) {
    Dataset<Row> records =
        CanonicalRecords.of(
            spark,
            record("crm", "r1", "2026-01-01T00:00:00Z", "external_id:crm=x-1 email=e-a", Map.of()),
            record("support", "r2", "2026-01-02T00:00:00Z", "email=e-a phone=p-1", Map.of()),
            record("email", "r3", "2026-01-03T00:00:00Z", "phone=p-1 email=e-b", Map.of()));
    assertThat(distinct(cluster(records, DEFAULTS).profiles(), "r1", "r2", "r3")).hasSize(1);
    IdentityConstraints rules =
        IdentityConstraints.of(
            RulesConfig.DEFAULTS, List.of(List.of(new Hashed("email", "e-a"), new Hashed("email", "e-b"))));
    Clustered c = cluster(records, rules);
    assertThat(c.profiles().get("r1")).isEqualTo(c.profiles().get("r2")).isNotEqualTo(c.profiles().get("r3"));
    assertThat((String) refusal(c, "p-1").getAs(Cols.RULE)).isEqualTo(IdentityConstraints.DO_NOT_LINK_PAIR);
  }

  /**
   * The cap refuses the weakest link of the tier (least recently seen) and keeps the rest: two cookies
   * would join Ann (4 ids) and a subscriber's group; without the older one every profile fits 4.
   */
  @Test
  void sizeCapDropsTheWeakestLinkFirst(SparkSession spark) {
    Dataset<Row> records =
        CanonicalRecords.of(
            spark,
            record("crm", "ann-1", "2026-01-01T00:00:00Z", "user_id=u-ann email=e-ann", Map.of()),
            record("crm", "ann-2", "2026-01-01T00:00:00Z", "user_id=u-ann phone=p-ann", Map.of()),
            record("web", "ann-old", "2026-01-02T00:00:00Z", "user_id=u-ann anonymous_id=a-old", Map.of()),
            record("web", "sub-old", "2026-01-02T00:00:00Z", "anonymous_id=a-old email=e-sub", Map.of()),
            record("email", "sub", "2026-01-03T00:00:00Z", "email=e-sub anonymous_id=a-new", Map.of()),
            record("web", "app", "2026-06-01T00:00:00Z", "anonymous_id=a-new device_id=d-1", Map.of()));
    RulesConfig capped = new RulesConfig(null, null, null, null, null, null, null, null, 4, null);
    Clustered c = cluster(records, IdentityConstraints.of(capped, List.of()));
    Map<String, String> p = c.profiles();
    assertThat(distinct(p, "ann-1", "ann-2", "ann-old")).hasSize(1);
    assertThat(distinct(p, "sub-old", "sub", "app")).hasSize(1);
    assertThat(p.get("ann-1")).isNotEqualTo(p.get("sub"));
    Row refused = refusal(c, "a-old");
    assertThat((String) refused.getAs(Cols.RULE)).isEqualTo(IdentityConstraints.SIZE_CAP);
    assertThat(distinct(cluster(records, DEFAULTS).profiles(), "ann-1", "sub", "app")).hasSize(1);
  }

  /**
   * Five user ids chained through cookies that are each harmless alone: every round peels off the
   * least recent cookie, and after {@link RuleAwareClustering#MAX_ROUNDS} rounds the rest of the
   * tier's links in the still-broken profile are refused at once. Either way no profile ends with two
   * user ids.
   */
  @Test
  void chainsThatRoundsCannotRepairFallBackToRefusingTheTiersLinks(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    int minute = 0;
    for (int i = 1; i <= 5; i++) {
      String in = i == 1 ? "" : " anonymous_id=x-" + (2 * i - 2);
      String out = i == 5 ? "" : " anonymous_id=x-" + (2 * i - 1);
      rows.add(record("web", "u" + i, "2026-05-01T00:" + String.format("%02d", minute++) + ":00Z",
          "user_id=u-" + i + in + out, Map.of()));
      if (i < 5) {
        rows.add(record("web", "n" + i, "2026-05-01T00:" + String.format("%02d", minute++) + ":00Z",
            "anonymous_id=x-" + (2 * i - 1) + " anonymous_id=x-" + (2 * i), Map.of()));
      }
    }
    Clustered c = cluster(CanonicalRecords.of(spark, rows.toArray(Row[]::new)), DEFAULTS);
    assertThat(distinct(c.profiles(), "u1", "u2", "u3", "u4", "u5")).hasSize(5);
    assertThat(c.refusals())
        .extracting(r -> r.<String>getAs(Cols.RULE))
        .containsOnly(IdentityConstraints.LIMIT);
    assertThat(c.refusals())
        .extracting(r -> r.<String>getAs(RuleAwareClustering.DETAIL))
        .anyMatch(d -> d.contains("all refused"))
        .anyMatch(d -> !d.contains("all refused"));
    // The first three rounds each refused the least recent cookie of the chain.
    assertThat(c.refusals())
        .filteredOn(r -> !r.<String>getAs(RuleAwareClustering.DETAIL).contains("all refused"))
        .extracting(r -> r.<String>getAs(Cols.ID_HASH))
        .containsExactlyInAnyOrder("x-1", "x-2", "x-3");
  }

  @Test
  void scoredPairsObeyTheSameRulesAndTheLikeliestWins(SparkSession spark) {
    Dataset<Row> records =
        CanonicalRecords.of(
            spark,
            record("web", "ann", "2026-04-01T10:00:00Z", "user_id=u-ann anonymous_id=a-1", Map.of()),
            record("web", "reset", "2026-04-01T10:20:00Z", "anonymous_id=a-2", Map.of()),
            record("web", "bob", "2026-04-02T10:00:00Z", "user_id=u-bob anonymous_id=a-3", Map.of()));
    Dataset<Row> atomized =
        Atoms.withAtom(io.idgraph.graph.DeterministicEdges.withAnchors(records, GraphConfig.DEFAULTS));
    RuleAwareClustering clustering = new RuleAwareClustering(DEFAULTS, GraphConfig.DEFAULTS.algorithm());
    try {
      Dataset<Row> atomIds = Atoms.identifiers(atomized);
      RuleAwareClustering.Result deterministic = clustering.cluster(atomIds);
      Map<String, Long> group = groups(atomized, deterministic.atomGroups());
      assertThat(new HashSet<>(group.values())).hasSize(3);
      Dataset<Row> pairs =
          spark.createDataFrame(
              List.of(
                  org.apache.spark.sql.RowFactory.create(group.get("ann"), group.get("reset"), 0.95),
                  org.apache.spark.sql.RowFactory.create(group.get("reset"), group.get("bob"), 0.90)),
              new org.apache.spark.sql.types.StructType()
                  .add("group_a", "long").add("group_b", "long").add("probability", "double"));
      RuleAwareClustering.Result linked = clustering.linkPairs(atomIds, deterministic.atomGroups(), pairs);
      Map<String, Long> after = groups(atomized, linked.atomGroups());
      assertThat(after.get("reset")).isEqualTo(after.get("ann")).isNotEqualTo(after.get("bob"));
      List<Row> refused = linked.refusals().collectAsList();
      assertThat(refused).hasSize(1);
      assertThat((String) refused.get(0).getAs(Cols.ID_TYPE)).isEqualTo(RuleAwareClustering.PAIR_TYPE);
      assertThat((String) refused.get(0).getAs(Cols.RULE)).isEqualTo(IdentityConstraints.LIMIT);
      assertThat((String) refused.get(0).getAs(Cols.ID_HASH))
          .isEqualTo(group.get("reset") + "|" + group.get("bob"));
    } finally {
      clustering.release();
    }
  }

  private static Map<String, Long> groups(Dataset<Row> atomized, Dataset<Row> atomGroups) {
    Map<String, Long> out = new HashMap<>();
    for (Row r :
        atomized
            .join(atomGroups, Atoms.ATOM)
            .select(Cols.RECORD_ID, RuleAwareClustering.GROUP)
            .collectAsList()) {
      out.put(r.getString(0), r.getLong(1));
    }
    return out;
  }

  /**
   * A common "split afterwards" strategy, for comparison: plain connected components, then, while a
   * component breaks the user_id limit, drop its links through the lowest-priority type still present.
   * Driver-side union-find over a handful of test records.
   */
  private static Map<String, Integer> splitAfterClustering(Row[] rows) {
    List<String> priority = RulesConfig.DEFAULT_PRIORITY;
    Set<String> dropped = new HashSet<>();
    while (true) {
      Map<String, Integer> parts = components(rows, dropped);
      String worst = null;
      for (Integer part : new HashSet<>(parts.values())) {
        Set<String> users = new HashSet<>();
        Set<String> types = new HashSet<>();
        for (Row r : rows) {
          if (parts.get(r.getString(1)).equals(part)) {
            for (Row id : ids(r)) {
              types.add(id.getString(0));
              if (id.getString(0).equals("user_id")) {
                users.add(id.getString(1));
              }
            }
          }
        }
        if (users.size() > 1) {
          for (String t : priority) {
            if (types.contains(t) && !t.equals("user_id") && !dropped.contains(t)) {
              worst = t;
            }
          }
        }
      }
      if (worst == null) {
        return parts;
      }
      dropped.add(worst);
    }
  }

  private static Map<String, Integer> components(Row[] rows, Set<String> droppedTypes) {
    int[] parent = new int[rows.length];
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
    }
    Map<String, Integer> holder = new HashMap<>();
    for (int i = 0; i < rows.length; i++) {
      for (Row id : ids(rows[i])) {
        if (droppedTypes.contains(id.getString(0))) {
          continue;
        }
        Integer j = holder.putIfAbsent(id.getString(0) + "=" + id.getString(1), i);
        if (j != null) {
          parent[find(parent, i)] = find(parent, j);
        }
      }
    }
    Map<String, Integer> out = new HashMap<>();
    for (int i = 0; i < rows.length; i++) {
      out.put(rows[i].getString(1), find(parent, i));
    }
    return out;
  }

  /** A fixture row's identifiers (a java List until Spark has seen the row). */
  @SuppressWarnings("unchecked")
  private static List<Row> ids(Row record) {
    return (List<Row>) record.get(3);
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      i = parent[i];
    }
    return i;
  }
}
