package io.idgraph.cluster;

import static org.apache.spark.sql.functions.*;

import io.idgraph.schema.Cols;
import io.idgraph.spark.Plans;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Connected components by contraction rounds, finished by a union-find on the driver once the
 * contracted graph is small. Where GraphX's Pregel needs one superstep (a pass over the graph) per
 * unit of diameter, a round here shrinks every component at once.
 *
 * <p><b>Local rounds.</b> The edges are split into tasks of about {@link #EDGES_PER_TASK} edges, and
 * each task runs a union-find over its edges in primitive arrays. A vertex whose edges fell into
 * several tasks has a local root (least vertex) in each; the next round's graph links those roots.
 * With few, large tasks most components end inside one task, so one round usually leaves a small
 * fraction of the edges, for one shuffle.
 *
 * <p><b>Random hooks</b>, once a round leaves more than half its edges (a component spread thin
 * over many tasks, such as a long chain on a large graph): every vertex hooks to the vertex of least
 * random priority among itself and its neighbours (a bijective hash of id and round, so no ties), and
 * each edge's ends are replaced by their hooks. Every component that still has an edge shrinks by a
 * constant share per round in expectation, chains and stars included: logarithmically many rounds.
 *
 * <p><b>Driver finish.</b> Once at most {@code driverMaxEdges} edges remain (the input itself, if it
 * is that small) they are collected as one packed long array per partition (16 bytes an edge, one
 * Spark job) and finished by a union-find on the driver (about 50 bytes per edge more; about 70 MB
 * in all at the default 1,000,000, with the labels shipped back as arrays); with
 * 0, every round stays distributed and nothing reaches the driver. The answer is then carried back
 * through the rounds' hooks, and each component is named by its least vertex id (the interface's
 * contract).
 */
public final class ContractingConnectedComponents implements ConnectedComponents {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(ContractingConnectedComponents.class);
  private static final String PARENT = Cols.INTERNAL_PREFIX + "parent";
  private static final String LABEL = Cols.INTERNAL_PREFIX + "label";
  private static final String BEST = Cols.INTERNAL_PREFIX + "best";
  private static final String PRIORITY = Cols.INTERNAL_PREFIX + "priority";
  private static final String KIND = Cols.INTERNAL_PREFIX + "kind";
  private static final String A = Cols.INTERNAL_PREFIX + "a";
  private static final String B = Cols.INTERNAL_PREFIX + "b";
  private static final StructType ROUND =
      new StructType()
          .add(KIND, DataTypes.IntegerType, false)
          .add(A, DataTypes.LongType, false)
          .add(B, DataTypes.LongType, false);
  private static final StructType LABELS =
      new StructType()
          .add(Cols.VERTEX_ID, DataTypes.LongType, false)
          .add(LABEL, DataTypes.LongType, false);

  /** The largest driver finish the arrays can hold (two ids per edge in one Java array). */
  public static final long MAX_DRIVER_EDGES = 1_000_000_000L;

  /** Vertices per slice shipped from the driver finish to the executors. */
  private static final int CHUNK = 200_000;

  /** Edges per task in a local round: the task's union-find holds about 50 bytes per edge. */
  static final long EDGES_PER_TASK = 2_000_000L;

  private final long driverMaxEdges;
  private final long edgesPerTask;
  private final List<Dataset<Row>> cached = new ArrayList<>();
  private int rounds;
  private long givenEdges;

  /** @param driverMaxEdges the largest contracted graph finished on the driver; 0 for never */
  public ContractingConnectedComponents(long driverMaxEdges) {
    this(driverMaxEdges, EDGES_PER_TASK);
  }

  /** @param edgesPerTask edges per task in a local round (tests use few, to get many tasks) */
  ContractingConnectedComponents(long driverMaxEdges, long edgesPerTask) {
    this.edgesPerTask = edgesPerTask;
    if (driverMaxEdges < 0 || driverMaxEdges > MAX_DRIVER_EDGES) {
      throw new IllegalArgumentException(
          "driverMaxEdges must be between 0 and " + MAX_DRIVER_EDGES + ", got " + driverMaxEdges);
    }
    this.driverMaxEdges = driverMaxEdges;
  }

  /** Edges (duplicates included) the last {@link #components} call was given. */
  public long givenEdges() {
    return givenEdges;
  }

  /** Contraction rounds the last {@link #components} call ran before its finish. */
  public int rounds() {
    return rounds;
  }

  @Override
  public Dataset<Row> components(Dataset<Row> edges) {
    SparkSession spark = edges.sparkSession();
    rounds = 0;
    Dataset<Row> pairs =
        cache(
            edges.select(
                col(Cols.SRC).cast(DataTypes.LongType).as(Cols.SRC),
                col(Cols.DST).cast(DataTypes.LongType).as(Cols.DST)));
    long remaining = pairs.count();
    givenEdges = remaining;
    LOG.info("connected components: {} edge(s) given", remaining);
    if (remaining <= driverMaxEdges) {
      // Small enough as given: one union-find, whose labels are already each component's least vertex.
      return finishOnDriver(spark, pairs).withColumnRenamed(LABEL, Cols.COMPONENT);
    }
    // Each round's hooks, last round first; the first round's cover every vertex of the input.
    Deque<Dataset<Row>> hooks = new ArrayDeque<>();
    boolean localRounds = true;
    boolean leastLabels = true;
    Dataset<Row> current = pairs;
    while (remaining > driverMaxEdges) {
      rounds++;
      Dataset<Row> next;
      if (localRounds) {
        Dataset<Row> round = cache(localRound(current, remaining, edgesPerTask));
        hooks.push(
            round.where(col(KIND).equalTo(LocalHooks.HOOK))
                .select(col(A).as(Cols.VERTEX_ID), col(B).as(PARENT)));
        next = round.where(col(KIND).equalTo(LocalHooks.EDGE)).select(col(A).as(Cols.SRC), col(B).as(Cols.DST));
      } else {
        Dataset<Row> hook = cache(hooks(current, rounds));
        hooks.push(hook);
        next = cache(contract(current, hook));
        leastLabels = false;
      }
      long left = next.count();
      LOG.info(
          "connected components: round {} ({}) leaves {} of {} edge(s)",
          rounds,
          localRounds ? "local union-find" : "random hooks",
          left,
          remaining);
      // Local rounds contract little when a component is spread thin over many tasks (a long chain
      // on a large graph); random hooks then shrink every component by a constant share per round.
      if (left > remaining / 2) {
        localRounds = false;
      }
      current = next;
      remaining = left;
    }
    // The contracted graph's vertices, labelled by its components (empty when no edge remains).
    Dataset<Row> labels = cache(finishOnDriver(spark, current));
    LOG.info("connected components: driver finish over {} edge(s) done; composing {} round(s)", remaining, rounds);
    // Back through the rounds: a vertex takes its hook's label, or its hook itself when the hook had
    // no edge left in the next round (then it is a component of its own there).
    while (!hooks.isEmpty()) {
      Dataset<Row> hook = hooks.pop();
      labels =
          cache(
              hook.join(labels.withColumnRenamed(Cols.VERTEX_ID, PARENT), PARENT, "left")
                  .select(col(Cols.VERTEX_ID), coalesce(col(LABEL), col(PARENT)).as(LABEL)));
    }
    if (leastLabels) {
      // Local roots, their least and the driver's labels are all least vertices.
      return labels.withColumnRenamed(LABEL, Cols.COMPONENT);
    }
    // A random hook names a component by some vertex; the interface names it by its least.
    Dataset<Row> least = labels.groupBy(LABEL).agg(min(Cols.VERTEX_ID).as(Cols.COMPONENT));
    return labels.join(least, LABEL).select(Cols.VERTEX_ID, Cols.COMPONENT);
  }

  /**
   * A local round: the edges in tasks of about {@code edgesPerTask} each, a union-find inside each
   * task, and per vertex the root (least vertex) of its local component in every task it is in.
   *
   * @return vertex_id, label (one row per vertex and task), hash-partitioned by vertex_id
   */
  static Dataset<Row> localRoots(Dataset<Row> edges, long count, long edgesPerTask) {
    long needed = Math.max(1, (count + edgesPerTask - 1) / edgesPerTask);
    // Several tasks make a whole number of waves: 3 tasks on 2 cores would leave one core idle for the
    // last third. One task stays one: it contracts the graph completely in a single round.
    long parallelism = Math.max(1, edges.sparkSession().sparkContext().defaultParallelism());
    long waves = needed == 1 ? 1 : (needed + parallelism - 1) / parallelism * parallelism;
    int tasks = (int) Math.min(Integer.MAX_VALUE, waves);
    int partitions = edges.rdd().getNumPartitions();
    // Partitions at most twice the planned size are taken as they are: spreading them cost a full
    // shuffle of the edges (2.8 s of the 5.2M-edge benchmark's first round).
    Dataset<Row> spread =
        partitions >= tasks
            ? edges.coalesce(tasks)
            : 2L * partitions >= needed ? edges : edges.repartition(tasks);
    // Internal rows in and out: converting millions of two-long rows to Java Rows and back cost more
    // than the union-find itself.
    JavaRDD<InternalRow> local =
        Plans.internalRows(spread)
            .mapPartitions(
                rows -> {
                  EdgeUnionFind uf = new EdgeUnionFind();
                  rows.forEachRemaining(r -> uf.add(r.getLong(0), r.getLong(1)));
                  return uf.labels().internalRows();
                });
    return Plans.fromInternalRows(edges.sparkSession(), local, LABELS).repartition(col(Cols.VERTEX_ID));
  }

  /**
   * A whole local round: {@link #localRoots}, then per vertex (one shuffle by vertex) its hook, the
   * least of its local roots, and an edge from each other root to the hook: the graph between local
   * roots ({@link LocalHooks}).
   *
   * @return kind, a, b: hooks (vertex_id, parent) and the next round's edges (src, dst)
   */
  static Dataset<Row> localRound(Dataset<Row> edges, long count, long edgesPerTask) {
    Dataset<Row> roots = localRoots(edges, count, edgesPerTask);
    return Plans.fromInternalRows(
        edges.sparkSession(), Plans.internalRows(roots).mapPartitions(LocalHooks::of), ROUND);
  }

  /**
   * (vertex_id, parent) for every vertex of {@code edges}: the vertex of least priority among itself
   * and its neighbours.
   */
  static Dataset<Row> hooks(Dataset<Row> edges, int round) {
    Dataset<Row> both =
        edges
            .select(col(Cols.SRC).as(Cols.VERTEX_ID), col(Cols.DST).as(PARENT))
            .union(edges.select(col(Cols.DST).as(Cols.VERTEX_ID), col(Cols.SRC).as(PARENT)))
            .withColumn(PRIORITY, priority(col(PARENT), round));
    // Both aggregates keep fixed-width buffers, so Spark aggregates by hash, without sorting.
    return both.groupBy(Cols.VERTEX_ID)
        .agg(min_by(col(PARENT), col(PRIORITY)).as(BEST), min(PRIORITY).as(PRIORITY))
        .select(
            col(Cols.VERTEX_ID),
            when(col(PRIORITY).lt(priority(col(Cols.VERTEX_ID), round)), col(BEST))
                .otherwise(col(Cols.VERTEX_ID))
                .as(PARENT));
  }

  /** The edges between hooks: each end replaced by its parent, loops and duplicates dropped. */
  static Dataset<Row> contract(Dataset<Row> edges, Dataset<Row> hooks) {
    Dataset<Row> srcParent = hooks.select(col(Cols.VERTEX_ID).as(Cols.SRC), col(PARENT).as("_ps"));
    Dataset<Row> dstParent = hooks.select(col(Cols.VERTEX_ID).as(Cols.DST), col(PARENT).as("_pd"));
    return edges
        .join(srcParent, Cols.SRC)
        .join(dstParent, Cols.DST)
        .where(col("_ps").notEqual(col("_pd")))
        .select(least(col("_ps"), col("_pd")).as(Cols.SRC), greatest(col("_ps"), col("_pd")).as(Cols.DST))
        .distinct();
  }

  /**
   * A random priority per vertex, drawn afresh each round. A bijection of the id (SplitMix64's
   * finalizer), so no two vertices tie: with ties two vertices could hook to each other forever.
   */
  private static Column priority(Column vertex, int round) {
    return MIX.apply(vertex, lit(round));
  }

  private static final UserDefinedFunction MIX =
      udf(
              (UDF2<Long, Integer, Long>)
                  (v, round) -> {
                    long x = v + round * 0x9E3779B97F4A7C15L;
                    x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
                    x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
                    return x ^ (x >>> 31);
                  },
              DataTypes.LongType)
          .asNonNullable();

  /**
   * (vertex_id, label) for every vertex of {@code edges} by a union-find on the driver; the label is
   * the component's least vertex. Only called with at most {@code driverMaxEdges} edges (loops and
   * duplicates allowed).
   */
  private static Dataset<Row> finishOnDriver(SparkSession spark, Dataset<Row> edges) {
    EdgeUnionFind uf = new EdgeUnionFind();
    // Each task packs its edges into one long array (16 bytes an edge): one Spark job, where a local
    // iterator ran one per partition (about a quarter second each, in every tier of every night), and
    // the driver never holds the graph as Row objects.
    for (long[] packed : Plans.internalRows(edges).mapPartitions(ContractingConnectedComponents::pack).collect()) {
      uf.addAll(packed);
    }
    // Shipped as slices of the arrays and turned into rows on the executors: a list of millions of
    // Row objects would cost the driver ten times the memory.
    List<long[][]> slices = uf.labels().slices(CHUNK);
    JavaRDD<InternalRow> rows =
        JavaSparkContext.fromSparkContext(spark.sparkContext())
            .parallelize(slices, Math.max(1, slices.size()))
            .flatMap(slice -> EdgeUnionFind.Labels.of(slice).internalRows());
    return Plans.fromInternalRows(spark, rows, LABELS);
  }

  /** A partition's edges (src, dst longs) as one array: src, dst, src, dst, ... */
  private static java.util.Iterator<long[]> pack(java.util.Iterator<InternalRow> rows) {
    long[] packed = new long[1024];
    int n = 0;
    while (rows.hasNext()) {
      InternalRow r = rows.next();
      if (n + 2 > packed.length) {
        packed = java.util.Arrays.copyOf(packed, packed.length * 2);
      }
      packed[n++] = r.getLong(0);
      packed[n++] = r.getLong(1);
    }
    return List.of(java.util.Arrays.copyOf(packed, n)).iterator();
  }

  private Dataset<Row> cache(Dataset<Row> ds) {
    Dataset<Row> c = Plans.cache(Plans.fresh(ds), "idgraph-cc");
    cached.add(c);
    return c;
  }

  @Override
  public void release() {
    cached.forEach(Dataset::unpersist);
    cached.clear();
  }
}
