package io.idgraph.generate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recall yardsticks computed per person while generating: the pairwise recall of the best partition a
 * purely deterministic resolver could reach (each person's records joined only through clean shared
 * identifiers), and of that partition plus same-device links. Precision is 1 by construction, since
 * records are only ever joined within one person.
 */
final class Ceilings {
  private long truePairs;
  private long deterministicPairs;
  private long devicePairs;

  /** One accepted record: its clean identifier keys and its device keys (fingerprints). */
  record Rec(Set<String> keys, Set<String> deviceKeys) {}

  void addPerson(List<Rec> records) {
    long n = records.size();
    truePairs += n * (n - 1) / 2;
    deterministicPairs += pairs(records, false);
    devicePairs += pairs(records, true);
  }

  double deterministicRecall() {
    return truePairs == 0 ? 1.0 : deterministicPairs / (double) truePairs;
  }

  double deterministicPlusDeviceRecall() {
    return truePairs == 0 ? 1.0 : devicePairs / (double) truePairs;
  }

  private static long pairs(List<Rec> records, boolean withDevices) {
    int[] parent = new int[records.size()];
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
    }
    Map<String, Integer> firstHolder = new HashMap<>();
    for (int i = 0; i < records.size(); i++) {
      Rec r = records.get(i);
      for (String key : r.keys()) {
        link(parent, firstHolder, key, i);
      }
      if (withDevices) {
        for (String key : r.deviceKeys()) {
          link(parent, firstHolder, "device:" + key, i);
        }
      }
    }
    Map<Integer, Long> sizes = new HashMap<>();
    for (int i = 0; i < parent.length; i++) {
      sizes.merge(find(parent, i), 1L, Long::sum);
    }
    long pairs = 0;
    for (long s : sizes.values()) {
      pairs += s * (s - 1) / 2;
    }
    return pairs;
  }

  private static void link(int[] parent, Map<String, Integer> firstHolder, String key, int i) {
    Integer first = firstHolder.get(key);
    if (first == null) {
      firstHolder.put(key, i);
    } else {
      union(parent, first, i);
    }
  }

  private static void union(int[] parent, int a, int b) {
    int ra = find(parent, a);
    int rb = find(parent, b);
    if (ra != rb) {
      parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }
}
