package io.idgraph.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.codegen.UnsafeRowWriter;

/**
 * The second half of a local contraction round, inside one task: given every (vertex, local root)
 * row of the vertices hashed to this task, each vertex hooks to the least of its roots, and each of
 * its other roots gets an edge to that least one (the next round's graph). Both come out of one pass
 * over the rows, as (kind, a, b) rows: {@link #HOOK} (vertex, parent) or {@link #EDGE} (src, dst).
 * Where Spark did this as a group-by, a join and a distinct it shuffled the rows three more times.
 */
final class LocalHooks {
  static final int HOOK = 0;
  static final int EDGE = 1;

  private LocalHooks() {}

  static Iterator<InternalRow> of(Iterator<InternalRow> rows) {
    long[] vertex = new long[1024];
    long[] root = new long[1024];
    int n = 0;
    while (rows.hasNext()) {
      InternalRow r = rows.next();
      if (n == vertex.length) {
        vertex = Arrays.copyOf(vertex, n * 2);
        root = Arrays.copyOf(root, n * 2);
      }
      vertex[n] = r.getLong(0);
      root[n] = r.getLong(1);
      n++;
    }
    LeastRoots least = new LeastRoots(n);
    for (int i = 0; i < n; i++) {
      least.offer(vertex[i], root[i]);
    }
    List<InternalRow> out = new ArrayList<>(least.size() + n / 4);
    least.forEach((v, parent) -> out.add(row(HOOK, v, parent)));
    for (int i = 0; i < n; i++) {
      long parent = least.get(vertex[i]);
      if (root[i] != parent) {
        out.add(row(EDGE, parent, root[i]));
      }
    }
    return out.iterator();
  }

  private static InternalRow row(int kind, long a, long b) {
    UnsafeRowWriter writer = new UnsafeRowWriter(3);
    writer.resetRowWriter();
    writer.write(0, kind);
    writer.write(1, a);
    writer.write(2, b);
    return writer.getRow();
  }

  /** Vertex → least root seen, in open addressing over primitive arrays (no boxing per row). */
  static final class LeastRoots {
    private final long[] keys;
    private final long[] values;
    private final boolean[] used;
    private final int mask;
    private int size;

    LeastRoots(int expected) {
      int capacity = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
      keys = new long[capacity];
      values = new long[capacity];
      used = new boolean[capacity];
      mask = capacity - 1;
    }

    void offer(long key, long value) {
      int i = slot(key);
      if (!used[i]) {
        used[i] = true;
        keys[i] = key;
        values[i] = value;
        size++;
      } else if (value < values[i]) {
        values[i] = value;
      }
    }

    long get(long key) {
      return values[slot(key)];
    }

    int size() {
      return size;
    }

    void forEach(Pair action) {
      for (int i = 0; i < keys.length; i++) {
        if (used[i]) {
          action.accept(keys[i], values[i]);
        }
      }
    }

    private int slot(long key) {
      // A multiplicative (Fibonacci) hash spreads ids that differ in a few bits (sequences).
      long h = key * 0x9E3779B97F4A7C15L;
      h ^= h >>> 32;
      int i = (int) h & mask;
      while (used[i] && keys[i] != key) {
        i = (i + 1) & mask;
      }
      return i;
    }

    interface Pair {
      void accept(long key, long value);
    }
  }
}
