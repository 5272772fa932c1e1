package io.idgraph.cluster;

import java.util.Arrays;

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

  /** The vertices seen (sorted) and, at the same index, each one's component label. */
  record Labels(long[] vertex, long[] label) {}

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
