package io.idgraph.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.schema.Cols;
import io.idgraph.testing.SparkTest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The contraction algorithm gives exactly GraphX's partition (every vertex named by its component's
 * least id), fully distributed (driver finish 0), finished on the driver after some rounds, and
 * finished on the driver at once. One edge list holds many disjoint shapes, so one GraphX run checks
 * them all: random graphs, chains in id order and in shuffled order, a star around its largest id, a
 * giant random tree, self-loop singletons, negative ids, duplicated and reversed edges.
 */
@SparkTest
class ContractingConnectedComponentsTest {
  private static final StructType EDGES =
      new StructType().add(Cols.SRC, DataTypes.LongType, false).add(Cols.DST, DataTypes.LongType, false);

  private static List<long[]> shapes(long seed) {
    Random random = new Random(seed);
    List<long[]> edges = new ArrayList<>();
    for (int i = 0; i < 250; i++) { // a random sparse graph on 300 vertices, negative ids among them
      long a = (random.nextBoolean() ? 1 : -1) * (10_000L + random.nextInt(300));
      long b = (random.nextBoolean() ? 1 : -1) * (10_000L + random.nextInt(300));
      edges.add(new long[] {a, b});
    }
    for (long v = 100_000; v < 100_060; v++) { // a chain in id order, every edge twice, once reversed
      edges.add(new long[] {v, v + 1});
      edges.add(new long[] {v + 1, v});
    }
    List<Long> shuffled = new ArrayList<>();
    for (long v = 0; v < 60; v++) {
      shuffled.add(150_000L + v * 37);
    }
    Collections.shuffle(shuffled, random);
    for (int i = 0; i + 1 < shuffled.size(); i++) { // a chain in shuffled id order
      edges.add(new long[] {shuffled.get(i), shuffled.get(i + 1)});
    }
    for (long leaf = 200_000; leaf < 200_040; leaf++) { // a star around its largest id
      edges.add(new long[] {200_999, leaf});
    }
    for (int i = 1; i < 400; i++) { // a giant random tree, plus a few cycles
      edges.add(new long[] {300_000L + i, 300_000L + random.nextInt(i)});
      if (i % 20 == 0) {
        edges.add(new long[] {300_000L + i, 300_000L + random.nextInt(400)});
      }
    }
    for (long v = 500_000; v < 500_020; v++) { // singletons: only a self-loop
      edges.add(new long[] {v, v});
    }
    return edges;
  }

  private static Dataset<Row> frame(SparkSession spark, List<long[]> edges) {
    List<Row> rows = new ArrayList<>();
    for (long[] e : edges) {
      rows.add(RowFactory.create(e[0], e[1]));
    }
    return spark.createDataFrame(rows, EDGES).repartition(4);
  }

  /** vertex → component, checking one row per vertex. */
  private static Map<Long, Long> partition(ConnectedComponents cc, Dataset<Row> edges) {
    try {
      Map<Long, Long> out = new TreeMap<>();
      for (Row r : cc.components(edges).collectAsList()) {
        assertThat(out.put(r.getLong(r.fieldIndex(Cols.VERTEX_ID)), r.getLong(r.fieldIndex(Cols.COMPONENT))))
            .as("one row per vertex")
            .isNull();
      }
      return out;
    } finally {
      cc.release();
    }
  }

  /** The expected answer, by a plain union-find: each vertex → its component's least vertex. */
  private static Map<Long, Long> expected(List<long[]> edges) {
    Map<Long, Long> parent = new HashMap<>();
    for (long[] e : edges) {
      parent.putIfAbsent(e[0], e[0]);
      parent.putIfAbsent(e[1], e[1]);
      long a = root(parent, e[0]);
      long b = root(parent, e[1]);
      parent.put(Math.max(a, b), Math.min(a, b));
    }
    Map<Long, Long> out = new TreeMap<>();
    parent.keySet().forEach(v -> out.put(v, root(parent, v)));
    return out;
  }

  private static long root(Map<Long, Long> parent, long v) {
    while (parent.get(v) != v) {
      v = parent.get(v);
    }
    return v;
  }

  @Test
  void givesGraphXsPartitionDistributedAndFinishedOnTheDriver(SparkSession spark) {
    List<long[]> edges = shapes(7);
    Dataset<Row> frame = frame(spark, edges);
    Map<Long, Long> expected = expected(edges);

    Map<Long, Long> graphx = partition(new GraphXConnectedComponents(), frame);
    // Thirty-odd tasks of 40 edges: local rounds, then random hooks when they stop contracting.
    ContractingConnectedComponents distributed = new ContractingConnectedComponents(0, 40);
    Map<Long, Long> contracted = partition(distributed, frame);
    ContractingConnectedComponents finishedLate = new ContractingConnectedComponents(100, 40);
    Map<Long, Long> late = partition(finishedLate, frame);
    // One task holds the whole graph: one local round leaves no edge.
    ContractingConnectedComponents oneTask = new ContractingConnectedComponents(0);
    Map<Long, Long> single = partition(oneTask, frame);
    ContractingConnectedComponents onDriver = new ContractingConnectedComponents(1_000_000);
    Map<Long, Long> early = partition(onDriver, frame);

    assertThat(graphx).isEqualTo(expected);
    assertThat(contracted).isEqualTo(expected);
    assertThat(late).isEqualTo(expected);
    assertThat(single).isEqualTo(expected);
    assertThat(early).isEqualTo(expected);
    assertThat(distributed.rounds()).as("rounds until no edge is left").isGreaterThan(1);
    assertThat(finishedLate.rounds()).isBetween(1, distributed.rounds() - 1);
    assertThat(oneTask.rounds()).isEqualTo(1);
    assertThat(onDriver.rounds()).isZero();
  }

  @Test
  void contractsLongChainsAndStarsInFewRounds(SparkSession spark) {
    List<long[]> edges = new ArrayList<>();
    for (long v = 0; v < 4_000; v++) { // a chain whose ids rise then fall: no id order helps
      long a = v < 2_000 ? v : 6_000 - v;
      long b = v + 1 < 2_000 ? v + 1 : 6_000 - (v + 1);
      edges.add(new long[] {a, b});
    }
    for (long leaf = 10_000; leaf < 12_000; leaf++) {
      edges.add(new long[] {20_000, leaf});
    }
    // Sixty tasks of 100 edges: the chain is spread thin, local rounds give way to random hooks.
    ContractingConnectedComponents cc = new ContractingConnectedComponents(0, 100);

    assertThat(partition(cc, frame(spark, edges))).isEqualTo(expected(edges));
    // GraphX would need about 4,000 supersteps for the chain; halving it takes about 12.
    assertThat(cc.rounds()).isLessThan(40);
  }
}
