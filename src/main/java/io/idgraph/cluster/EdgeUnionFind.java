package io.idgraph.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.codegen.UnsafeRowWriter;

/**
 * Union-find over an edge list held in primitive arrays: vertex ids sorted and deduplicated, sets of
 * int indexes. Each vertex ends labelled with the least vertex id of its component. About 50 bytes per
 * edge while it runs; used on the driver for a small residual graph, and inside one Spark task for the
 * edges of one partition.
 */
final class EdgeUnionFind {
  private long[] src = new long[1024];
  private long[] dst = new long[1024];
  private int edges;

  void add(long a, long b) {
    if (edges == src.length) {
      src = Arrays.copyOf(src, edges * 2);
      dst = Arrays.copyOf(dst, edges * 2);
    }
    src[edges] = a;
    dst[edges] = b;
    edges++;
  }

  /** Adds the edges of {@code packed}: src, dst, src, dst, ... */
  void addAll(long[] packed) {
    for (int i = 0; i + 1 < packed.length; i += 2) {
      add(packed[i], packed[i + 1]);
    }
  }

  /** The vertices seen (sorted) and, at the same index, each one's component label. */
  record Labels(long[] vertex, long[] label) {
    /** The same rows in Spark's internal form (two non-null longs each), for {@code Plans.fromInternalRows}. */
    Iterator<InternalRow> internalRows() {
      return IntStream.range(0, vertex.length)
          .mapToObj(
              i -> {
                UnsafeRowWriter writer = new UnsafeRowWriter(2);
                writer.resetRowWriter();
                writer.write(0, vertex[i]);
                writer.write(1, label[i]);
                return (InternalRow) writer.getRow();
              })
          .iterator();
    }

    /**
     * Slices of at most {@code size} vertices each, as {vertex, label} array pairs: plain arrays, which
     * Spark's serializers ship as they are ({@link #of} makes them Labels again).
     */
    List<long[][]> slices(int size) {
      List<long[][]> out = new ArrayList<>();
      for (int from = 0; from < vertex.length; from += size) {
        int to = Math.min(vertex.length, from + size);
        out.add(new long[][] {Arrays.copyOfRange(vertex, from, to), Arrays.copyOfRange(label, from, to)});
      }
      return out;
    }

    static Labels of(long[][] slice) {
      return new Labels(slice[0], slice[1]);
    }
  }

  Labels labels() {
    long[] ids = new long[2 * edges];
    System.arraycopy(src, 0, ids, 0, edges);
    System.arraycopy(dst, 0, ids, edges, edges);
    Arrays.sort(ids);
    int n = 0;
    for (int i = 0; i < ids.length; i++) {
      if (i == 0 || ids[i] != ids[i - 1]) {
        ids[n++] = ids[i];
      }
    }
    long[] vertex = Arrays.copyOf(ids, n);
    ids = null;
    // Union by least index: indexes follow the sorted ids, so each root is its set's least vertex.
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    for (int i = 0; i < edges; i++) {
      int a = find(parent, Arrays.binarySearch(vertex, src[i]));
      int b = find(parent, Arrays.binarySearch(vertex, dst[i]));
      if (a < b) {
        parent[b] = a;
      } else if (b < a) {
        parent[a] = b;
      }
    }
    long[] label = new long[n];
    for (int i = 0; i < n; i++) {
      label[i] = vertex[find(parent, i)];
    }
    return new Labels(vertex, label);
  }

  private static int find(int[] parent, int i) {
    int root = i;
    while (parent[root] != root) {
      root = parent[root];
    }
    while (parent[i] != root) {
      int next = parent[i];
      parent[i] = root;
      i = next;
    }
    return root;
  }
}
