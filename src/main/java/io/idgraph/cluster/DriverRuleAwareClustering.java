package io.idgraph.cluster;

import io.idgraph.cluster.RuleAwareClustering.Result;
import io.idgraph.schema.Cols;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@link RuleAwareClustering}'s tiers computed on the driver, for a graph small enough to collect: a
 * scoped incremental night recomputes a few thousand profiles, and the distributed version spends
 * about 40 Spark jobs per tier on them (about 2 s each tier, whatever the size). Same steps, same
 * rules ({@link IdentityConstraints#decide}, {@link IdentityConstraints#broken}), same tie-breaks, so
 * the same groups and refusals; {@code DriverRuleAwareClusteringTest} compares the two on random and
 * adversarial graphs. The caller decides when a graph is small enough (NightlyRun: a scope of at most
 * {@code DRIVER_CLUSTERING_MAX_RECORDS} records).
 */
final class DriverRuleAwareClustering {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DriverRuleAwareClustering.class);
  private static final StructType ATOM_GROUPS =
      new StructType()
          .add(Atoms.ATOM, DataTypes.LongType, false)
          .add(RuleAwareClustering.GROUP, DataTypes.LongType, false);
  private static final StructType REFUSALS =
      new StructType()
          .add(Cols.RULE, DataTypes.StringType)
          .add(Cols.ID_TYPE, DataTypes.StringType)
          .add(Cols.ID_HASH, DataTypes.StringType)
          .add(RuleAwareClustering.DEGREE, DataTypes.LongType)
          .add(RuleAwareClustering.DETAIL, DataTypes.StringType)
          .add(Atoms.RECORDS, DataTypes.LongType);

  private final IdentityConstraints rules;
  private final ClusteringStats stats;

  DriverRuleAwareClustering(IdentityConstraints rules, ClusteringStats stats) {
    this.rules = rules;
    this.stats = stats;
  }

  /** An identifier: its type and hash. */
  private record Identifier(String type, String hash) {
    /** As {@link IdentityConstraints} names it ("email=…"). */
    String key() {
      return IdentityConstraints.key(type, hash);
    }
  }

  /** One (atom, identifier) row; recency in microseconds since the epoch, null when unknown. */
  private record AtomId(long atom, Identifier id, Long recency, long records, int rank, boolean limited) {}

  /** Why an identifier was kept from joining groups ("limit:user_id", "size_cap:all", ...). */
  private record Refused(Identifier id, String reason) {}

  /** A refusal before {@link #described}: the identifier was kept from joining {@code degree} groups. */
  private record Refusal(Refused refused, long degree) {}

  /** A link kept by a tier: the identifier, its recency, and the two groups it joins. */
  private record Edge(Identifier id, Long recency, long src, long dst) {}

  Result cluster(Dataset<Row> atomIds) {
    List<AtomId> ids = collect(atomIds);
    Map<Long, Long> groups = new HashMap<>();
    for (AtomId id : ids) {
      groups.put(id.atom(), id.atom());
    }
    List<Refusal> refusals = new ArrayList<>();
    for (int tier = 0; tier < rules.tiers(); tier++) {
      runTier(tier, ids, groups, refusals);
    }
    return result(atomIds.sparkSession(), groups, refusals, ids);
  }

  Result linkPairs(Dataset<Row> atomIds, Dataset<Row> atomGroups, Dataset<Row> pairs) {
    List<AtomId> ids = collect(atomIds);
    for (Row p : pairs.select("group_a", "group_b", "probability").collectAsList()) {
      String hash = p.getLong(0) + "|" + p.getLong(1);
      // As RuleAwareClustering.linkPairs: probability orders bridges as recency does.
      Long order =
          p.isNullAt(2)
              ? null
              : BigDecimal.valueOf(p.getDouble(2) * 1e12).setScale(0, RoundingMode.HALF_UP).longValue();
      for (long atom : new long[] {p.getLong(0), p.getLong(1)}) {
        ids.add(
            new AtomId(atom, new Identifier(RuleAwareClustering.PAIR_TYPE, hash), order, 0, rules.tiers(), false));
      }
    }
    Map<Long, Long> groups = new HashMap<>();
    for (Row r : atomGroups.select(Atoms.ATOM, RuleAwareClustering.GROUP).collectAsList()) {
      groups.put(r.getLong(0), r.getLong(1));
    }
    List<Refusal> refusals = new ArrayList<>();
    runTier(rules.tiers(), ids, groups, refusals);
    return result(atomIds.sparkSession(), groups, refusals, ids);
  }

  private List<AtomId> collect(Dataset<Row> atomIds) {
    List<AtomId> ids = new ArrayList<>();
    for (Row r :
        atomIds
            .select(Atoms.ATOM, Cols.ID_TYPE, Cols.ID_HASH, Cols.LAST_SEEN, Atoms.RECORDS)
            .collectAsList()) {
      String type = r.getString(1);
      ids.add(
          new AtomId(
              r.getLong(0),
              new Identifier(type, r.getString(2)),
              r.isNullAt(3) ? null : micros(r.getTimestamp(3)),
              r.getLong(4),
              rules.rank(type),
              rules.limit(type) > 0));
    }
    return ids;
  }

  /** One tier: bridges, per-bridge decisions, components and the rounds that repair them. */
  private void runTier(int tier, List<AtomId> ids, Map<Long, Long> groups, List<Refusal> refusals) {
    long start = System.nanoTime();
    // Bridges: identifiers of the tier's rank in two or more groups, with each group's recency.
    Map<Identifier, Map<Long, Long>> bridgeGroups = new LinkedHashMap<>();
    for (AtomId id : ids) {
      Long group = groups.get(id.atom());
      if (id.rank() != tier || group == null) {
        continue;
      }
      Map<Long, Long> byGroup = bridgeGroups.computeIfAbsent(id.id(), k -> new HashMap<>());
      // A group's recency is unknown (null) until one of its atoms has one.
      byGroup.put(group, byGroup.containsKey(group) ? max(byGroup.get(group), id.recency()) : id.recency());
    }
    bridgeGroups.values().removeIf(m -> m.size() < 2);
    if (bridgeGroups.isEmpty()) {
      return;
    }
    Set<Long> involved = new HashSet<>();
    bridgeGroups.values().forEach(m -> involved.addAll(m.keySet()));
    // Each involved group's identifier keys, and the ones this tier's decisions look at.
    Map<Long, Set<String>> keysOf = new HashMap<>();
    Map<Long, Set<String>> summarized = new HashMap<>();
    for (AtomId id : ids) {
      Long group = groups.get(id.atom());
      if (group == null || !involved.contains(group)) {
        continue;
      }
      keysOf.computeIfAbsent(group, g -> new HashSet<>()).add(id.id().key());
      Set<String> s = summarized.computeIfAbsent(group, g -> new HashSet<>());
      if (summarized(id, tier)) {
        s.add(id.id().key());
      }
    }

    List<Edge> edges = new ArrayList<>();
    Map<Refused, Long> tierRefusals = new LinkedHashMap<>(); // → degree
    for (Map.Entry<Identifier, Map<Long, Long>> bridge : bridgeGroups.entrySet()) {
      List<IdentityConstraints.Candidate> candidates = new ArrayList<>();
      List<Long> recencies = new ArrayList<>();
      for (Map.Entry<Long, Long> g : bridge.getValue().entrySet()) {
        candidates.add(
            new IdentityConstraints.Candidate(g.getKey(), timestamp(g.getValue()), summarized.get(g.getKey())));
        recencies.add(g.getValue());
      }
      List<String> reasons = rules.decide(candidates, tier);
      Long recency = null;
      long src = Long.MAX_VALUE;
      List<Long> accepted = new ArrayList<>();
      for (int i = 0; i < candidates.size(); i++) {
        if (reasons.get(i) == null) {
          accepted.add(candidates.get(i).group());
          recency = max(recency, recencies.get(i));
          src = Math.min(src, candidates.get(i).group());
        } else {
          tierRefusals.merge(new Refused(bridge.getKey(), reasons.get(i)), 1L, Long::sum);
        }
      }
      for (long dst : accepted) {
        if (dst != src) {
          edges.add(new Edge(bridge.getKey(), recency, src, dst));
        }
      }
    }
    tierRefusals.forEach((r, degree) -> refusals.add(new Refusal(r, degree)));

    Map<Long, Long> mapping;
    int rounds = 0;
    for (int round = 0; ; round++) {
      rounds = round + 1;
      mapping = components(edges);
      stats.components(edges.size(), 0);
      if (round > RuleAwareClustering.MAX_ROUNDS) {
        break; // after the fallback every remaining join is one that held before this tier
      }
      Map<Long, String> broken = broken(mapping, summarized, keysOf, tier);
      if (broken.isEmpty()) {
        break;
      }
      // As the distributed version, edges are counted and removed by identifier hash.
      Map<String, Long> edgesPerHash = new HashMap<>();
      for (Edge e : edges) {
        edgesPerHash.merge(e.id().hash(), 1L, Long::sum);
      }
      Set<Refused> refused = new LinkedHashSet<>();
      if (round < RuleAwareClustering.MAX_ROUNDS) {
        // Per broken component, its weakest bridge: least recent (unknown first), then by hash and type.
        Map<Long, Edge> weakest = new TreeMap<>();
        Comparator<Edge> order =
            Comparator.comparing(Edge::recency, Comparator.nullsFirst(Comparator.<Long>naturalOrder()))
                .thenComparing(e -> e.id().hash())
                .thenComparing(e -> e.id().type());
        for (Edge e : edges) {
          Long component = mapping.get(e.src());
          if (broken.containsKey(component)) {
            weakest.merge(component, e, (a, b) -> order.compare(a, b) <= 0 ? a : b);
          }
        }
        weakest.forEach((component, e) -> refused.add(new Refused(e.id(), broken.get(component))));
      } else {
        for (Edge e : edges) {
          Long component = mapping.get(e.src());
          if (broken.containsKey(component)) {
            refused.add(new Refused(e.id(), broken.get(component) + ":all"));
          }
        }
      }
      Set<String> refusedHashes = new HashSet<>();
      for (Refused r : refused) {
        refusals.add(new Refusal(r, edgesPerHash.get(r.id().hash()) + 1));
        refusedHashes.add(r.id().hash());
      }
      edges.removeIf(e -> refusedHashes.contains(e.id().hash()));
    }
    for (Map.Entry<Long, Long> g : groups.entrySet()) {
      Long component = mapping.get(g.getValue());
      if (component != null) {
        g.setValue(component);
      }
    }
    stats.tier(rounds);
    LOG.info(
        "tier {} ({}, on the driver): {} round(s), {} s",
        tier,
        tier < rules.priority().size()
            ? rules.priority().get(tier)
            : tier == rules.tiers() ? RuleAwareClustering.PAIR_TYPE : "other",
        rounds,
        String.format("%.1f", (System.nanoTime() - start) / 1e9));
  }

  /** As RuleAwareClustering's: limited types of rank ≤ tier, and do-not-link ids. */
  private boolean summarized(AtomId id, int tier) {
    return (id.limited() && id.rank() <= tier) || rules.pairedKeys().contains(id.id().key());
  }

  /** Merged components that break a rule: component → reason. */
  private Map<Long, String> broken(
      Map<Long, Long> mapping, Map<Long, Set<String>> summarized, Map<Long, Set<String>> keysOf, int tier) {
    Map<Long, List<Long>> members = new TreeMap<>();
    mapping.forEach((vertex, component) -> members.computeIfAbsent(component, c -> new ArrayList<>()).add(vertex));
    Map<Long, String> broken = new HashMap<>();
    for (Map.Entry<Long, List<Long>> c : members.entrySet()) {
      List<Collection<String>> lists = new ArrayList<>();
      long largest = 0;
      Set<String> keys = new HashSet<>();
      for (long group : c.getValue()) {
        lists.add(summarized.get(group));
        largest = Math.max(largest, keysOf.get(group).size());
        keys.addAll(keysOf.get(group));
      }
      String reason = rules.broken(lists, tier);
      if (reason == null && rules.capped() && keys.size() > rules.maxIdentifiers() && keys.size() > largest) {
        reason = IdentityConstraints.SIZE_CAP;
      }
      if (reason != null) {
        broken.put(c.getKey(), reason);
      }
    }
    return broken;
  }

  /** Union-find: every vertex of an edge → the smallest vertex of its component. */
  private static Map<Long, Long> components(List<Edge> edges) {
    Map<Long, Long> parent = new HashMap<>();
    for (Edge e : edges) {
      long a = find(parent, e.src());
      long b = find(parent, e.dst());
      if (a != b) {
        parent.put(Math.max(a, b), Math.min(a, b));
      }
    }
    Map<Long, Long> mapping = new HashMap<>();
    for (Long v : parent.keySet()) {
      mapping.put(v, find(parent, v));
    }
    return mapping;
  }

  private static long find(Map<Long, Long> parent, long v) {
    parent.putIfAbsent(v, v);
    long root = v;
    while (parent.get(root) != root) {
      root = parent.get(root);
    }
    while (parent.get(v) != root) { // path compression
      long next = parent.get(v);
      parent.put(v, root);
      v = next;
    }
    return root;
  }

  /** The groups as a Dataset, and the refusals with their rule, detail and record counts. */
  private Result result(SparkSession spark, Map<Long, Long> groups, List<Refusal> refusals, List<AtomId> ids) {
    List<Row> atomGroups = new ArrayList<>(groups.size());
    groups.forEach((atom, group) -> atomGroups.add(RowFactory.create(atom, group)));
    return new Result(
        spark.createDataFrame(atomGroups, ATOM_GROUPS), spark.createDataFrame(described(refusals, ids), REFUSALS));
  }

  /** As RuleAwareClustering.described: one row per (identifier, reason), degrees summed. */
  private List<Row> described(List<Refusal> refusals, List<AtomId> ids) {
    Map<Refused, Long> degrees = new LinkedHashMap<>();
    for (Refusal r : refusals) {
      degrees.merge(r.refused(), r.degree(), Long::sum);
    }
    Map<Identifier, Long> records = new HashMap<>();
    for (AtomId id : ids) {
      records.merge(id.id(), id.records(), Long::sum);
    }
    List<Row> rows = new ArrayList<>();
    degrees.forEach(
        (r, degree) -> {
          int colon = r.reason().indexOf(':');
          rows.add(
              RowFactory.create(
                  colon < 0 ? r.reason() : r.reason().substring(0, colon),
                  r.id().type(),
                  r.id().hash(),
                  degree,
                  rules.describe(r.reason()),
                  records.getOrDefault(r.id(), 0L)));
        });
    return rows;
  }

  /** The later of two recencies, ignoring unknown ones (as Spark's max does). */
  private static Long max(Long a, Long b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return Long.valueOf(Math.max(a, b));
  }

  private static long micros(Timestamp t) {
    return Math.floorDiv(t.getTime(), 1000L) * 1_000_000L + t.getNanos() / 1000;
  }

  private static Timestamp timestamp(Long micros) {
    if (micros == null) {
      return null;
    }
    Timestamp t = new Timestamp(Math.floorDiv(micros, 1_000_000L) * 1000L);
    t.setNanos((int) Math.floorMod(micros, 1_000_000L) * 1000);
    return t;
  }
}
