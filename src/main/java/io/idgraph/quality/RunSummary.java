package io.idgraph.quality;

import io.idgraph.quality.RunMetrics.SourceCounts;
import java.time.Duration;
import java.util.Map;
import org.apache.hadoop.fs.Path;

/** The console summary printed at the end of a run. */
public final class RunSummary {
  private RunSummary() {}

  /** The summary of a run that found no new or changed input and wrote nothing. */
  public static String nothingNew(String runId, String previousRunId, String outputRoot) {
    return String.format(
        "idgraph run %s: nothing new since run %s (no source has a new or changed file, config"
            + " unchanged); nothing written, the tables under %s stand%n",
        runId, previousRunId, outputRoot);
  }

  public static String format(RunMetrics m, String outputRoot) {
    StringBuilder out = new StringBuilder();
    double total = Duration.between(m.startedAt(), m.endedAt()).toMillis() / 1000.0;
    out.append(String.format("idgraph run %s finished in %.1f s%n%n", m.runId(), total));
    out.append(
        String.format(
            "  %-12s %10s %10s %10s %10s %14s%n",
            "source", "read", "accepted", "rejected", "duplicates", "values dropped"));
    for (SourceCounts s : m.sources()) {
      out.append(
          String.format(
              "  %-12s %10d %10d %10d %10d %14d%n",
              s.source(), s.read(), s.accepted(), s.rejected(), s.duplicates(), s.valuesDropped()));
    }
    out.append("\n  identifiers by type:\n");
    m.identifiersByType().forEach((k, v) -> out.append(String.format("    %-22s %10d%n", k, v)));
    out.append(String.format("%n  profiles: %d%n", m.profiles()));
    m.profilesByState().forEach((k, v) -> out.append(String.format("    %-22s %10d%n", k, v)));
    out.append(
        String.format(
            "  merges: %d (source entities: %d, duplicate-detection rate %.4f)%n",
            m.merges(), m.entities(), m.duplicateDetectionRate()));
    out.append(
        String.format(
            "  largest profile: %s with %d records%n",
            m.largestProfileId(), m.largestProfileRecords()));
    out.append(String.format("  identity edges: %d%n", m.identityEdges()));
    if (!m.clustering().isEmpty()) {
      // One line: scripts/bench prints it with the graph size.
      out.append("  clustering:");
      m.clustering().forEach((k, v) -> out.append(" ").append(k).append(" ").append(v));
      out.append("\n");
    }
    if (!m.rejectionsByReason().isEmpty()) {
      out.append("  rejections by reason:\n");
      m.rejectionsByReason()
          .forEach((k, v) -> out.append(String.format("    %-22s %10d%n", k, v)));
    }
    if (!m.linkDecisionsByRule().isEmpty()) {
      out.append("  kept from linking (identity rules, see link_decisions):\n");
      m.linkDecisionsByRule()
          .forEach(
              (k, v) ->
                  out.append(
                      String.format(
                          "    %-22s %10d identifiers on %d records%n",
                          k, v, m.linkDecisionRecordsByRule().getOrDefault(k, 0L))));
    }
    if (!m.scoring().isEmpty()) {
      out.append("  probabilistic scoring (see merge_candidates, model_parameters):\n");
      m.scoring().forEach((k, v) -> out.append(String.format("    %-22s %10d%n", k, v)));
    }
    if (!m.idChanges().isEmpty()) {
      out.append("  profile ids against the previous run (see profile_id_changes):\n");
      m.idChanges().forEach((k, v) -> out.append(String.format("    %-22s %10d%n", k, v)));
    }
    out.append("\n  time per stage:\n");
    for (Map.Entry<String, Double> e : m.stageSeconds().entrySet()) {
      out.append(String.format("    %-22s %8.1f s%n", e.getKey(), e.getValue()));
    }
    out.append(String.format("%n  tables written under %s%n", outputRoot));
    out.append(String.format("  report: %s%n", new Path(outputRoot, HtmlReport.FILE_NAME)));
    return out.toString();
  }
}
