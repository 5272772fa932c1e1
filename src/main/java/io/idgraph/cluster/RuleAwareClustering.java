package io.idgraph.cluster;

import static org.apache.spark.sql.functions.*;

import io.idgraph.config.GraphConfig;
import io.idgraph.schema.Cols;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Connected components with the identity rules enforced while they form, not afterwards.
 *
 * <p>Groups of atoms (see {@link Atoms}) are merged one identifier type at a time, in priority order
 * (tier 0: user_id, then email, phone, ...). At each tier:
 *
 * <ol>
 *   <li>every identifier of the tier's type that sits in two or more groups is a <em>bridge</em>;
 *   <li>each bridge decides alone which of its groups it may join ({@link
 *       IdentityConstraints#decide}): most recent first, refusing a group that would break a limit or a
 *       do-not-link pair together with the groups already accepted;
 *   <li>connected components over the accepted joins give the new groups; a new group that still
 *       breaks a rule (two bridges of the tier that are each fine but not together) or exceeds the
 *       size cap loses its weakest bridge (least recently seen) and components are recomputed, for a
 *       few rounds; after that every bridge of the tier inside a still-broken group is refused, which
 *       restores groups that held before the tier.
 * </ol>
 *
 * Groups that hold before a tier hold after it, so every final profile respects every limit, pair and
 * the cap (except a single atom, which is never split). A tier can only refuse links of its own type,
 * so a lower-priority identifier can never undo a higher-priority merge. All steps are joins and
 * aggregations over identifiers; the only per-link logic runs inside one aggregate row per bridge, on
 * the small summaries of the groups it touches. Nothing is collected to the driver.
 */
public final class RuleAwareClustering {
  public static final String GROUP = "group";
  public static final String DEGREE = "degree";
  public static final String DETAIL = "detail";
  /** Rounds of "refuse the weakest bridge" before all of a broken group's bridges are refused. */
  static final int MAX_ROUNDS = 3;
  /** Not a connected-components algorithm: the whole clustering on the driver (see {@link #onDriver}). */
  private static final String DRIVER = "driver";

  private static final String RANK = Cols.INTERNAL_PREFIX + "rank";
  private static final String KEY = Cols.INTERNAL_PREFIX + "key";
  private static final String SUMMARIZED = Cols.INTERNAL_PREFIX + "summarized";
  private static final String LIMITED = Cols.INTERNAL_PREFIX + "limited";
  private static final String RECENCY = "recency";
  private static final String CANDIDATES = Cols.INTERNAL_PREFIX + "candidates";
  private static final String C = Cols.INTERNAL_PREFIX + "c";
  private static final String IDS = "ids";
  private static final String N = Cols.INTERNAL_PREFIX + "n";
  private static final String REASON = "reason";
  private static final String MEMBERS = Cols.INTERNAL_PREFIX + "members";
  private static final String LARGEST = Cols.INTERNAL_PREFIX + "largest";
  private static final String SIZE = Cols.INTERNAL_PREFIX + "size";
  private static final String WEAKEST = Cols.INTERNAL_PREFIX + "weakest";
  private static final String EDGES = Cols.INTERNAL_PREFIX + "edges";

  private static final StructType CANDIDATE =
      new StructType()
          .add(GROUP, DataTypes.LongType)
          .add(RECENCY, DataTypes.TimestampType)
          .add(IDS, DataTypes.createArrayType(DataTypes.StringType))
          .add(REASON, DataTypes.StringType);

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RuleAwareClustering.class);
  private final IdentityConstraints rules;
  private final String algorithm;
  private final long driverMaxEdges;
  private final List<Dataset<Row>> cached = new ArrayList<>();
  private final ClusteringStats stats = new ClusteringStats();

  /** With the connected-components algorithm and its settings from {@code graph}. */
  public RuleAwareClustering(IdentityConstraints rules, GraphConfig graph) {
    this.rules = rules;
    this.algorithm = graph.algorithm();
    this.driverMaxEdges = graph.driverFinishMaxEdges();
  }

  /** With the named connected-components algorithm and its default settings. */
  public RuleAwareClustering(IdentityConstraints rules, String algorithm) {
    this(rules, new GraphConfig(null, algorithm));
  }

  /**
   * Both stored and materialized; {@link #release()} frees them.
   *
   * @param atomGroups atom → group for every atom
   * @param refusals rule, id_type, id_hash, degree (groups the identifier was kept from joining),
   *     detail, records (records carrying the identifier)
   */
  public record Result(Dataset<Row> atomGroups, Dataset<Row> refusals) {}

  /** @param atomIds {@link Atoms#identifiers} output */
  public Result cluster(Dataset<Row> atomIds) {
    if (onDriver()) {
      return new DriverRuleAwareClustering(rules, stats).cluster(atomIds);
    }
    Dataset<Row> ranked = keep(ranked(fresh(atomIds)));
    Dataset<Row> atomGroups =
        keep(ranked.select(Atoms.ATOM).distinct().withColumn(GROUP, col(Atoms.ATOM)));
    Dataset<Row> refusals = null;
    for (int tier = 0; tier < rules.tiers(); tier++) {
      TierResult merged = runTier(tier, ranked, atomGroups);
      if (merged == null) {
        continue;
      }
      io.idgraph.spark.Plans.release(atomGroups);
      atomGroups = merged.atomGroups();
      refusals = refusals == null ? merged.refusals() : refusals.unionByName(merged.refusals());
    }
    return new Result(atomGroups, described(refusals, ranked));
  }

  /** Type of the synthetic identifiers that carry scored pairs through {@link #linkPairs}. */
  public static final String PAIR_TYPE = "probabilistic";

  /**
   * Joins groups through scored pairs, as one more tier after every identifier type, so the identity
   * rules hold for probabilistic links as they do for deterministic ones: a pair that would give a
   * profile two user ids is refused and recorded (id_type {@value #PAIR_TYPE}, id_hash "a|b"). Each
   * pair is a bridge between its two groups; where bridges compete, the more probable one is taken
   * first and the least probable is the weakest.
   *
   * @param atomIds {@link Atoms#identifiers} output
   * @param atomGroups atom → group, from {@link #cluster}
   * @param pairs group_a, group_b (group ids), probability
   */
  public Result linkPairs(Dataset<Row> atomIds, Dataset<Row> atomGroups, Dataset<Row> pairs) {
    if (onDriver()) {
      return new DriverRuleAwareClustering(rules, stats).linkPairs(atomIds, atomGroups, pairs);
    }
    Dataset<Row> ranked = ranked(fresh(atomIds));
    // Probability orders bridges the way recency orders identifiers (greater first); carried as a
    // timestamp of that many microseconds, an encoding that never leaves this class.
    Column pairKey = concat_ws("|", col("group_a").cast("string"), col("group_b").cast("string"));
    Column order = timestamp_micros(round(col("probability").multiply(1e12)).cast("long"));
    Dataset<Row> synthetic =
        pairs
            .select(explode(array(col("group_a"), col("group_b"))).as(Atoms.ATOM), pairKey.as(Cols.ID_HASH), order.as(Cols.LAST_SEEN))
            .select(
                col(Atoms.ATOM),
                lit(PAIR_TYPE).as(Cols.ID_TYPE),
                col(Cols.ID_HASH),
                col(Cols.LAST_SEEN),
                lit(0L).as(Atoms.RECORDS),
                lit(rules.tiers()).as(RANK),
                lit(false).as(LIMITED),
                concat(lit(PAIR_TYPE + "="), col(Cols.ID_HASH)).as(KEY));
    Dataset<Row> all = keep(ranked.unionByName(synthetic));
    TierResult merged = runTier(rules.tiers(), all, keep(atomGroups));
    if (merged == null) {
      return new Result(atomGroups, described(null, all));
    }
    return new Result(merged.atomGroups(), described(merged.refusals(), all));
  }

  /**
   * The same clustering computed on the driver ({@link DriverRuleAwareClustering}), for a graph the
   * caller knows is small enough to collect (a scoped incremental night): the distributed tiers cost
   * about 2 s each in Spark jobs, whatever the size.
   */
  public static RuleAwareClustering onDriver(IdentityConstraints rules) {
    return new RuleAwareClustering(rules, DRIVER);
  }

  private boolean onDriver() {
    return DRIVER.equals(algorithm);
  }

  /** Adds each identifier's tier and whether its type is limited, both as {@link IdentityConstraints} says. */
  private Dataset<Row> ranked(Dataset<Row> atomIds) {
    IdentityConstraints r = rules;
    UserDefinedFunction rank = udf((UDF1<String, Integer>) r::rank, DataTypes.IntegerType);
    UserDefinedFunction limited =
        udf((UDF1<String, Boolean>) type -> r.limit(type) > 0, DataTypes.BooleanType);
    return atomIds
        .withColumn(RANK, rank.apply(col(Cols.ID_TYPE)))
        .withColumn(LIMITED, limited.apply(col(Cols.ID_TYPE)))
        .withColumn(KEY, concat(col(Cols.ID_TYPE), lit("="), col(Cols.ID_HASH)));
  }

  /** A tier's new atom → group and its refusals, both cached. */
  private record TierResult(Dataset<Row> atomGroups, Dataset<Row> refusals) {}

  /** One tier, or null when it has no bridges. */
  private TierResult runTier(int tier, Dataset<Row> ranked, Dataset<Row> atomGroups) {
    long start = System.nanoTime();
    Tier t = new Tier(tier, ranked, atomGroups);
    if (!t.hasBridges()) {
      t.release();
      return null;
    }
    Dataset<Row> next = keep(t.merged());
    next.count();
    Dataset<Row> tierRefusals = keep(t.refusals);
    tierRefusals.count();
    t.release();
    stats.tier(t.rounds);
    LOG.info(
        "tier {} ({}): {} round(s), {} s",
        tier,
        tier < rules.priority().size() ? rules.priority().get(tier) : tier == rules.tiers() ? PAIR_TYPE : "other",
        t.rounds,
        String.format("%.1f", (System.nanoTime() - start) / 1e9));
    return new TierResult(next, tierRefusals);
  }

  /** The refusals with their rule, detail and record counts; stored and materialized. */
  private Dataset<Row> described(Dataset<Row> refusals, Dataset<Row> ranked) {
    if (refusals == null) {
      refusals = ranked.sparkSession().createDataFrame(List.of(), Tier.REFUSAL_SCHEMA);
    }
    Dataset<Row> records =
        ranked.groupBy(Cols.ID_TYPE, Cols.ID_HASH).agg(sum(Atoms.RECORDS).as(Atoms.RECORDS));
    UserDefinedFunction describe =
        udf((UDF1<String, String>) rules::describe, DataTypes.StringType);
    Dataset<Row> described = keep(refusals
        .groupBy(Cols.ID_TYPE, Cols.ID_HASH, REASON)
        .agg(sum(DEGREE).as(DEGREE))
        .join(records, new String[] {Cols.ID_TYPE, Cols.ID_HASH}, "left")
        .select(
            substring_index(col(REASON), ":", 1).as(Cols.RULE),
            col(Cols.ID_TYPE),
            col(Cols.ID_HASH),
            col(DEGREE),
            describe.apply(col(REASON)).as(DETAIL),
            coalesce(col(Atoms.RECORDS), lit(0L)).as(Atoms.RECORDS)));
    described.count();
    return described;
  }

  /** What the calls so far did (tiers, repair rounds, connected-components graphs and rounds). */
  public ClusteringStats stats() {
    return stats;
  }

  /** Frees every Dataset this clustering stored; call once its results are written. */
  public void release() {
    cached.forEach(io.idgraph.spark.Plans::release);
    cached.clear();
  }

  private static Dataset<Row> fresh(Dataset<Row> ds) {
    return io.idgraph.spark.Plans.fresh(ds);
  }

  /**
   * Stored with its lineage cut (Plans.store), not cached: a cached tier result kept the plans of
   * every tier before it, and with them the tiers' shuffle files, until the night ended (at 1M
   * persons 22.6 GB of shuffle files were on disk when scoring started).
   */
  private Dataset<Row> keep(Dataset<Row> ds) {
    Dataset<Row> p = io.idgraph.spark.Plans.store(ds, "idgraph");
    cached.add(p);
    return p;
  }

  /** Identifiers a tier's decisions look at: limited types of rank ≤ tier, and do-not-link ids. */
  private Column summarized(int tier) {
    Column paired =
        rules.pairedKeys().isEmpty() ? lit(false) : col(KEY).isin(rules.pairedKeys().toArray());
    return col(LIMITED).and(col(RANK).leq(tier)).or(paired);
  }

  /** One tier's merge: bridges, per-bridge decisions, components and the rounds that repair them. */
  private final class Tier {
    static final StructType REFUSAL_SCHEMA =
        new StructType()
            .add(Cols.ID_TYPE, DataTypes.StringType)
            .add(Cols.ID_HASH, DataTypes.StringType)
            .add(REASON, DataTypes.StringType)
            .add(DEGREE, DataTypes.LongType);

    private final int tier;
    private final Dataset<Row> ranked;
    private final Dataset<Row> atomGroups;
    private final Dataset<Row> bridges;
    private Dataset<Row> refusals;
    private int rounds;
    private final List<Dataset<Row>> local = new ArrayList<>();

    Tier(int tier, Dataset<Row> ranked, Dataset<Row> atomGroups) {
      this.tier = tier;
      this.ranked = ranked;
      this.atomGroups = atomGroups;
      this.bridges =
          local(
              ranked
                  .where(col(RANK).equalTo(tier))
                  .select(Atoms.ATOM, Cols.ID_TYPE, Cols.ID_HASH, Cols.LAST_SEEN)
                  .join(atomGroups, Atoms.ATOM)
                  .groupBy(Cols.ID_TYPE, Cols.ID_HASH, GROUP)
                  .agg(max(Cols.LAST_SEEN).as(RECENCY))
                  .groupBy(Cols.ID_TYPE, Cols.ID_HASH)
                  .agg(collect_list(struct(col(GROUP), col(RECENCY))).as(CANDIDATES))
                  .where(size(col(CANDIDATES)).geq(2)));
    }

    private Dataset<Row> local(Dataset<Row> ds) {
      Dataset<Row> p = io.idgraph.spark.Plans.cache(ds, "idgraph");
      local.add(p);
      return p;
    }

    /** Frees the tier's working sets once its result and refusals are materialized. */
    void release() {
      local.forEach(Dataset::unpersist);
    }

    boolean hasBridges() {
      return !bridges.isEmpty();
    }

    /** atom → group after this tier's merges; sets {@link #refusals}. */
    Dataset<Row> merged() {
      Dataset<Row> involved =
          bridges
              .select(explode(col(CANDIDATES)).as(C))
              .select(col(C).getField(GROUP).as(GROUP))
              .distinct();
      Dataset<Row> groupKeys =
          local(
              ranked
                  .join(atomGroups, Atoms.ATOM)
                  .join(involved, GROUP)
                  .select(col(GROUP), col(KEY), summarized(tier).as(SUMMARIZED))
                  .distinct());
      Dataset<Row> summaries =
          local(
              groupKeys
                  .groupBy(GROUP)
                  .agg(
                      collect_set(when(col(SUMMARIZED), col(KEY))).as(IDS),
                      count(lit(1)).as(N)));

      Dataset<Row> decided = local(decide(summaries));
      Dataset<Row> edges =
          local(
              decided
                  .where(col(REASON).isNull())
                  .groupBy(Cols.ID_TYPE, Cols.ID_HASH)
                  .agg(
                      max(RECENCY).as(RECENCY),
                      min(GROUP).as(Cols.SRC),
                      collect_list(GROUP).as(EDGES))
                  .select(
                      col(Cols.ID_TYPE),
                      col(Cols.ID_HASH),
                      col(RECENCY),
                      col(Cols.SRC),
                      explode(col(EDGES)).as(Cols.DST))
                  .where(col(Cols.DST).notEqual(col(Cols.SRC))));
      refusals =
          decided
              .where(col(REASON).isNotNull())
              .groupBy(Cols.ID_TYPE, Cols.ID_HASH, REASON)
              .agg(count(lit(1)).as(DEGREE));

      Dataset<Row> mapping;
      for (int round = 0; ; round++) {
        rounds = round + 1;
        long t0 = System.nanoTime();
        mapping = components(edges);
        LOG.info("tier {} round {}: components {} s", tier, round, String.format("%.1f", (System.nanoTime() - t0) / 1e9));
        if (round > MAX_ROUNDS) {
          break; // after the fallback every remaining join is one that held before this tier
        }
        Dataset<Row> broken = local(broken(mapping, summaries, groupKeys));
        if (broken.isEmpty()) {
          break;
        }
        Dataset<Row> inBroken =
            edges
                .join(mapping, col(Cols.SRC).equalTo(col(Cols.VERTEX_ID)))
                .join(broken, Cols.COMPONENT);
        Dataset<Row> refused =
            round < MAX_ROUNDS
                ? inBroken
                    .groupBy(Cols.COMPONENT, REASON)
                    .agg(min(struct(col(RECENCY), col(Cols.ID_HASH), col(Cols.ID_TYPE))).as(WEAKEST))
                    .select(
                        col(WEAKEST).getField(Cols.ID_TYPE).as(Cols.ID_TYPE),
                        col(WEAKEST).getField(Cols.ID_HASH).as(Cols.ID_HASH),
                        col(REASON))
                : inBroken
                    .select(col(Cols.ID_TYPE), col(Cols.ID_HASH), concat(col(REASON), lit(":all")).as(REASON))
                    .distinct();
        Dataset<Row> refusedWithDegree =
            local(
                refused
                    .join(
                        edges.groupBy(Cols.ID_HASH).agg(count(lit(1)).plus(1).as(DEGREE)),
                        Cols.ID_HASH)
                    .select(Cols.ID_TYPE, Cols.ID_HASH, REASON, DEGREE));
        refusedWithDegree.count();
        edges =
            local(fresh(edges.join(refusedWithDegree.select(Cols.ID_HASH), Cols.ID_HASH, "left_anti")));
        refusals = refusals.unionByName(refusedWithDegree);
      }
      refusals = local(refusals);
      return atomGroups
          .join(mapping, col(GROUP).equalTo(col(Cols.VERTEX_ID)), "left")
          .select(col(Atoms.ATOM), coalesce(col(Cols.COMPONENT), col(GROUP)).as(GROUP));
    }

    /** One row per (bridge, candidate group): id_type, id_hash, group, recency, reason (null: joins). */
    private Dataset<Row> decide(Dataset<Row> summaries) {
      int t = tier;
      IdentityConstraints r = rules;
      UserDefinedFunction decide =
          udf(
              (UDF1<scala.collection.Seq<Row>, List<Row>>)
                  seq -> {
                    List<Row> rows = CollectionConverters.asJava(seq);
                    List<IdentityConstraints.Candidate> cands = new ArrayList<>();
                    for (Row c : rows) {
                      cands.add(
                          new IdentityConstraints.Candidate(
                              c.getLong(0), c.isNullAt(1) ? null : (Timestamp) c.get(1), c.getList(2)));
                    }
                    List<String> reasons = r.decide(cands, t);
                    List<Row> out = new ArrayList<>();
                    for (int i = 0; i < rows.size(); i++) {
                      Row c = rows.get(i);
                      out.add(RowFactory.create(c.get(0), c.get(1), c.get(2), reasons.get(i)));
                    }
                    return out;
                  },
              new ArrayType(CANDIDATE, false));
      return bridges
          .select(col(Cols.ID_TYPE), col(Cols.ID_HASH), explode(col(CANDIDATES)).as(C))
          .join(summaries, col(C).getField(GROUP).equalTo(col(GROUP)))
          .groupBy(Cols.ID_TYPE, Cols.ID_HASH)
          .agg(
              collect_list(
                      struct(
                          col(GROUP),
                          col(C).getField(RECENCY).as(RECENCY),
                          coalesce(col(IDS), array().cast("array<string>")).as(IDS)))
                  .as(CANDIDATES))
          .select(col(Cols.ID_TYPE), col(Cols.ID_HASH), explode(decide.apply(col(CANDIDATES))).as(C))
          .select(
              col(Cols.ID_TYPE),
              col(Cols.ID_HASH),
              col(C).getField(GROUP).as(GROUP),
              col(C).getField(RECENCY).as(RECENCY),
              col(C).getField(REASON).as(REASON));
    }

    /** Merged groups that break a rule: component, reason. */
    private Dataset<Row> broken(Dataset<Row> mapping, Dataset<Row> summaries, Dataset<Row> groupKeys) {
      int t = tier;
      IdentityConstraints r = rules;
      UserDefinedFunction brokenRule =
          udf(
              (UDF1<scala.collection.Seq<scala.collection.Seq<String>>, String>)
                  members -> {
                    List<List<String>> lists = new ArrayList<>();
                    for (scala.collection.Seq<String> m : CollectionConverters.asJava(members)) {
                      lists.add(CollectionConverters.asJava(m));
                    }
                    return r.broken(lists, t);
                  },
              DataTypes.StringType);
      Dataset<Row> members =
          mapping
              .join(summaries, col(Cols.VERTEX_ID).equalTo(col(GROUP)))
              .groupBy(Cols.COMPONENT)
              .agg(collect_list(col(IDS)).as(MEMBERS), max(N).as(LARGEST));
      Column reason = brokenRule.apply(col(MEMBERS));
      if (rules.capped()) {
        Dataset<Row> sizes =
            groupKeys
                .join(mapping, col(GROUP).equalTo(col(Cols.VERTEX_ID)))
                .groupBy(Cols.COMPONENT)
                .agg(countDistinct(KEY).as(SIZE));
        members = members.join(sizes, Cols.COMPONENT);
        reason =
            coalesce(
                reason,
                when(
                    col(SIZE).gt(rules.maxIdentifiers()).and(col(SIZE).gt(col(LARGEST))),
                    lit(IdentityConstraints.SIZE_CAP)));
      }
      return members.select(col(Cols.COMPONENT), reason.as(REASON)).where(col(REASON).isNotNull());
    }

    private Dataset<Row> components(Dataset<Row> edges) {
      ConnectedComponents cc = ConnectedComponents.named(algorithm, driverMaxEdges);
      try {
        Dataset<Row> mapping = local(cc.components(edges.select(Cols.SRC, Cols.DST)));
        mapping.count();
        if (cc instanceof ContractingConnectedComponents c) {
          stats.components(c.givenEdges(), c.rounds());
        } else {
          stats.components(-1, 0);
        }
        return mapping;
      } finally {
        cc.release();
      }
    }
  }
}
