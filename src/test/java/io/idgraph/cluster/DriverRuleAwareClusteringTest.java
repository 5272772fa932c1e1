package io.idgraph.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.config.GraphConfig;
import io.idgraph.config.RulesConfig;
import io.idgraph.schema.Cols;
import io.idgraph.testing.SparkTest;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The clustering computed on the driver gives exactly the distributed clustering's groups and
 * refusals (rule, identifier, degree, detail, records), for the deterministic tiers and for scored
 * pairs. One graph holds many disjoint shapes at once, so one distributed run checks them all: random
 * soups of shared identifiers (limits, do-not-link pairs and the size cap all bite), a long chain of
 * emails, a star of user ids around one phone, a giant component through one device id, singletons,
 * and identifiers never seen at a known time.
 */
@SparkTest
class DriverRuleAwareClusteringTest {
  private static final StructType ATOM_IDS =
      new StructType()
          .add(Atoms.ATOM, DataTypes.LongType, false)
          .add(Cols.ID_TYPE, DataTypes.StringType)
          .add(Cols.ID_HASH, DataTypes.StringType)
          .add(Cols.LAST_SEEN, DataTypes.TimestampType)
          .add(Atoms.RECORDS, DataTypes.LongType, false);
  private static final StructType PAIRS =
      new StructType().add("group_a", "long").add("group_b", "long").add("probability", "double");

  private static Row id(long atom, String type, String hash, Long seconds, long records) {
    return RowFactory.create(atom, type, hash, seconds == null ? null : new Timestamp(seconds * 1000), records);
  }

  /** Many disjoint shapes; atoms of each shape in their own id range (negative ids too: xxhash64). */
  private static List<Row> shapes(long seed) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>();
    String[] types = {"user_id", "email", "phone", "external_id:crm", "device_id", "anonymous_id"};
    int[] pool = {12, 10, 6, 8, 5, 9};
    for (int a = 0; a < 120; a++) { // random soup
      long atom = (a % 2 == 0 ? 1 : -1) * (1_000_000L + a * 7919L);
      int n = 1 + random.nextInt(4);
      for (int k = 0; k < n; k++) {
        int t = random.nextInt(types.length);
        Long seen = random.nextInt(10) == 0 ? null : 1_700_000_000L + random.nextInt(1000) * 60L;
        rows.add(id(atom, types[t], types[t] + "-" + random.nextInt(pool[t]), seen, 1 + random.nextInt(3)));
      }
    }
    for (int a = 0; a < 40; a++) { // a chain: atom a holds email a and email a+1
      long atom = 2_000_000L + a;
      rows.add(id(atom, "email", "chain-" + a, 1_700_000_000L + a, 1));
      rows.add(id(atom, "email", "chain-" + (a + 1), 1_700_000_000L + a, 1));
    }
    for (int a = 0; a < 15; a++) { // a star: one phone, fifteen user ids
      long atom = 3_000_000L + a;
      rows.add(id(atom, "phone", "star-phone", 1_700_000_000L + (a % 4) * 60L, 1));
      rows.add(id(atom, "user_id", "star-user-" + a, 1_700_000_000L + a, 1));
    }
    for (int a = 0; a < 30; a++) { // a giant component through one device id, no rule broken
      long atom = 4_000_000L + a;
      rows.add(id(atom, "device_id", "giant-device", 1_700_000_000L + a, 2));
      rows.add(id(atom, "anonymous_id", "giant-anon-" + a, null, 1));
    }
    for (int a = 0; a < 6; a++) { // a do-not-link pair: an email and a phone, their atoms sharing a device
      long atom = 6_000_000L + a;
      rows.add(id(atom, a % 2 == 0 ? "email" : "phone", a % 2 == 0 ? "dnl-email" : "dnl-phone", 1_700_000_000L + a, 1));
      rows.add(id(atom, "device_id", "dnl-device-" + a / 3, 1_700_000_000L + a, 1));
    }
    for (int a = 0; a < 10; a++) { // singletons
      rows.add(id(5_000_000L + a, "email", "single-" + a, 1_700_000_000L, 1));
    }
    return rows;
  }

  private static IdentityConstraints rules(int cap) {
    Map<String, Set<String>> partners = new HashMap<>();
    partners.put("email=dnl-email", Set.of("phone=dnl-phone"));
    partners.put("phone=dnl-phone", Set.of("email=dnl-email"));
    return new IdentityConstraints(
        RulesConfig.DEFAULT_PRIORITY, Map.of("user_id", 1, "email", 2, "phone", 2), partners, cap);
  }

  @Test
  void sameGroupsAndRefusalsAsTheDistributedClustering(SparkSession spark) {
    Dataset<Row> atomIds = spark.createDataFrame(shapes(7), ATOM_IDS);
    IdentityConstraints rules = rules(9);
    // Fully distributed: connected components by contraction that never finishes on the driver.
    RuleAwareClustering distributed = new RuleAwareClustering(rules, new GraphConfig(null, "contraction", 0L));
    try {
      RuleAwareClustering.Result expected = distributed.cluster(atomIds);
      RuleAwareClustering.Result actual = RuleAwareClustering.onDriver(rules).cluster(atomIds);
      Map<Long, Long> groups = groups(expected.atomGroups());
      assertThat(groups(actual.atomGroups())).isEqualTo(groups);
      assertThat(refusals(actual.refusals())).isEqualTo(refusals(expected.refusals()));
      // The graph exercises what it claims to: every rule refused something, and groups merged.
      assertThat(refusals(expected.refusals()).stream().map(r -> r.substring(0, r.indexOf('|'))))
          .contains(IdentityConstraints.LIMIT, IdentityConstraints.SIZE_CAP, IdentityConstraints.DO_NOT_LINK_PAIR);
      assertThat(refusals(expected.refusals())).anyMatch(r -> r.contains("were all refused"));
      assertThat(new HashSet<>(groups.values()).size()).as("groups after merging").isLessThan(groups.size() - 20);

      // Scored pairs between random groups, some competing for the same group.
      List<Long> ids = new ArrayList<>(new TreeSet<>(groups.values()));
      Random random = new Random(11);
      List<Row> pairs = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        long a = ids.get(random.nextInt(ids.size()));
        long b = ids.get(random.nextInt(ids.size()));
        if (a < b) {
          pairs.add(RowFactory.create(a, b, 0.5 + random.nextInt(500) / 1000.0));
        }
      }
      Dataset<Row> pairRows = spark.createDataFrame(pairs, PAIRS);
      RuleAwareClustering.Result expectedLinked =
          distributed.linkPairs(atomIds, expected.atomGroups(), pairRows);
      RuleAwareClustering.Result actualLinked =
          RuleAwareClustering.onDriver(rules).linkPairs(atomIds, expected.atomGroups(), pairRows);
      assertThat(groups(actualLinked.atomGroups())).isEqualTo(groups(expectedLinked.atomGroups()));
      assertThat(refusals(actualLinked.refusals())).isEqualTo(refusals(expectedLinked.refusals()));
      assertThat(refusals(expectedLinked.refusals())).isNotEmpty();
      assertThat(groups(expectedLinked.atomGroups())).isNotEqualTo(groups);
    } finally {
      distributed.release();
    }
  }

  private static Map<Long, Long> groups(Dataset<Row> atomGroups) {
    Map<Long, Long> out = new TreeMap<>();
    for (Row r : atomGroups.select(Atoms.ATOM, RuleAwareClustering.GROUP).collectAsList()) {
      out.put(r.getLong(0), r.getLong(1));
    }
    return out;
  }

  private static List<String> refusals(Dataset<Row> refusals) {
    List<String> out = new ArrayList<>();
    for (Row r :
        refusals
            .select(Cols.RULE, Cols.ID_TYPE, Cols.ID_HASH, RuleAwareClustering.DEGREE, RuleAwareClustering.DETAIL, Atoms.RECORDS)
            .collectAsList()) {
      out.add(r.mkString("|"));
    }
    out.sort(null);
    return out;
  }
}
