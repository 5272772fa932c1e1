package io.idgraph.job;

import io.idgraph.quality.RunMetrics;

/**
 * How a run ended: it ran and wrote its tables ({@link #metrics} set), or there was nothing new since
 * the last run ({@link #nothingNewSince} names it) and it wrote nothing at all.
 */
public record RunResult(String runId, RunMetrics metrics, String nothingNewSince) {

  public static RunResult ran(RunMetrics metrics) {
    return new RunResult(metrics.runId(), metrics, null);
  }

  public static RunResult nothingNew(String runId, String previousRunId) {
    return new RunResult(runId, null, previousRunId);
  }

  public boolean noop() {
    return metrics == null;
  }
}
