package io.idgraph.quality;

import io.idgraph.quality.RunMetrics.SourceCounts;
import io.idgraph.quality.RunReport.Hub;
import io.idgraph.quality.RunReport.LargeProfile;
import io.idgraph.quality.RunReport.MethodCount;
import io.idgraph.quality.RunReport.RunTotals;
import io.idgraph.quality.RunReport.SizeBucket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A hand-built {@link RunReport}: every section filled, with a hostile source name to escape. */
final class ReportFixtures {
  private ReportFixtures() {}

  static final String HOSTILE_SOURCE = "<script>alert(\"x&y\")</script>";

  static RunMetrics metrics(Map<String, Long> scoring) {
    Map<String, Double> stages = new LinkedHashMap<>();
    stages.put("normalize", 10.0);
    stages.put("components", 5.0);
    stages.put("write", 2.5);
    stages.put("metrics", 0.0);
    return new RunMetrics(
        "run_20261128T010000Z_abc123",
        Instant.parse("2026-11-28T01:00:00Z"),
        Instant.parse("2026-11-28T01:00:17.5Z"),
        List.of(
            new SourceCounts("crm", 120, 110, 4, 5, 7),
            new SourceCounts(HOSTILE_SOURCE, 30, 30, 0, 0, 1)),
        new TreeMap<>(Map.of("email", 90L, "phone", 40L, "user_id", 25L)),
        new TreeMap<>(Map.of("anonymous", 10L, "known", 50L, "unified", 20L)),
        80,
        12,
        140,
        "p_largest",
        300,
        120,
        (120 - 80) / 120.0,
        new TreeMap<>(Map.of("INVALID_EMAIL", 6L, "MALFORMED_ROW", 4L, "DUPLICATE_SUPERSEDED", 5L)),
        new TreeMap<>(Map.of("blocklist", 3L, "hub_isolation", 2L)),
        new TreeMap<>(Map.of("blocklist", 9L, "hub_isolation", 44L)),
        stages,
        scoring,
        Map.of(),
        Map.of("tiers_merged", 3L));
  }

  static List<SizeBucket> sizes(long... counts) {
    List<SizeBucket> out = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      SizeBucket b = ReportQueries.SIZE_BUCKETS.get(i);
      out.add(new SizeBucket(b.label(), b.min(), b.max(), counts[i]));
    }
    return out;
  }

  /** Scoring on, a previous run, every list filled; the ">100" size bucket and one stage are zero. */
  static RunReport full() {
    return new RunReport(
        metrics(new LinkedHashMap<>(Map.of("candidates", 40L, "merged", 6L))),
        "/data/out",
        List.of(
            new MethodCount("merge", "deterministic", 9),
            new MethodCount("merge", "probabilistic", 3)),
        new TreeMap<>(Map.of("pending", 7L, "merged", 6L, "refused", 1L)),
        new TreeMap<>(Map.of(1, 30L, 2, 35L, 3, 15L)),
        sizes(40, 20, 10, 5, 2, 2, 1, 0),
        List.of(
            new LargeProfile("p_largest", 140, 33, List.of("crm", "web")),
            new LargeProfile("p_second", 60, 12, List.of("web"))),
        List.of(
            new Hub("phone", "0123456789ab", 25L, 30, "seen with 25 distinct emails; links nothing"),
            new Hub("email", "ba9876543210", null, 14, "seen with 22 distinct names; links nothing")),
        new RunTotals(
            "run_20261127T010000Z_def456",
            Instant.parse("2026-11-27T01:00:00Z"),
            75,
            12,
            100,
            6,
            new TreeMap<>(Map.of("email", 80L, "phone", 40L, "device_id", 3L))));
  }

  /** Scoring off, first run, no hubs, no merges. */
  static RunReport firstRunScoringOff() {
    return new RunReport(
        metrics(Map.of()),
        "/data/out",
        List.of(),
        null,
        new TreeMap<>(Map.of(1, 80L)),
        sizes(80, 0, 0, 0, 0, 0, 0, 0),
        List.of(new LargeProfile("p_largest", 1, 1, List.of("crm"))),
        List.of(),
        null);
  }
}
