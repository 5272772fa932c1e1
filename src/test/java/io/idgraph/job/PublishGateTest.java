package io.idgraph.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.quality.MetricsTable;
import io.idgraph.quality.RunMetrics;
import io.idgraph.quality.RunMetrics.SourceCounts;
import io.idgraph.sink.OutputTables;
import io.idgraph.testing.SparkTest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SparkTest
class PublishGateTest {
  @TempDir Path out;

  @Test
  void aSourceBelowTheRatioOfThePreviousRunCollapsesNewAndRemovedSourcesDoNot() {
    Map<String, Long> previous = Map.of("crm", 1000L, "web", 5000L, "old", 10L);
    List<PublishGate.Collapse> collapses =
        PublishGate.collapses(previous, Map.of("crm", 499L, "web", 2500L, "support", 3L), 0.5);
    assertThat(collapses).extracting(PublishGate.Collapse::source).containsExactly("crm");
    assertThat(collapses.get(0).describe(0.5))
        .contains("'crm'", "499", "1000", "50%", "history.min_source_ratio");
    assertThat(PublishGate.collapses(previous, Map.of("crm", 0L, "web", 5000L), 0.5))
        .extracting(PublishGate.Collapse::source)
        .containsExactly("crm");
    assertThat(PublishGate.collapses(Map.of(), Map.of("crm", 1L), 0.5)).isEmpty();
  }

  private static RunMetrics metrics(String runId, Instant at, long crm) {
    return new RunMetrics(runId, at, at, List.of(new SourceCounts("crm", crm, crm, 0, 0, 0)),
        Map.of(), Map.of(), 1, 0, 1, "p", 0, 1, 0.0, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
  }

  @Test
  void mergesAboveTheRatioOfPreviousProfilesSpike() {
    assertThat(PublishGate.mergeSpike(1000, 50, 0.05)).isEmpty();
    assertThat(PublishGate.mergeSpike(1000, 51, 0.05))
        .hasValueSatisfying(m -> assertThat(m).contains("51 of the previous run's 1000 profiles", "max_merge_ratio"));
    assertThat(PublishGate.mergeSpike(0, 10, 0.05)).as("first night: nothing to compare").isEmpty();
  }

  @Test
  void previousCountsAreTheLatestRunsFromRunMetrics(SparkSession spark) {
    assertThat(PublishGate.previousAccepted(spark, out.toString())).isEmpty();
    String table = out.resolve(OutputTables.RUN_METRICS).toString();
    MetricsTable.of(spark, metrics("run_b", Instant.parse("2026-11-02T02:00:00Z"), 800))
        .write().format("delta").mode("append").save(table);
    MetricsTable.of(spark, metrics("run_a", Instant.parse("2026-11-01T02:00:00Z"), 1000))
        .write().format("delta").mode("append").save(table);
    assertThat(PublishGate.previousAccepted(spark, out.toString())).containsExactly(Map.entry("crm", 800L));
  }
}
