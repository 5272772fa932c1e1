package io.idgraph.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.config.JobConfig;
import io.idgraph.config.SourceConfig;
import io.idgraph.job.RunManifest.Entry;
import io.idgraph.job.RunManifest.History;
import io.idgraph.normalize.IdentifierHasher;
import io.idgraph.sink.DeltaSink;
import io.idgraph.sink.OutputTables;
import io.idgraph.source.InputFile;
import io.idgraph.source.InputSelection.Action;
import io.idgraph.source.InputSelection.Decision;
import io.idgraph.testing.Fixtures;
import io.idgraph.testing.SparkTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SparkTest
class RunManifestTest {
  private static final IdentifierHasher HASHER =
      new IdentifierHasher("k".repeat(32).getBytes(StandardCharsets.UTF_8));
  private static final SourceConfig WEB = Fixtures.source("web", "web", "web/", "US");
  private static final SourceConfig CRM = Fixtures.source("crm", "crm", "crm.csv", "US");
  private static final Instant T = Instant.parse("2026-11-24T02:00:00Z");

  private static InputFile file(String name, long size) {
    return new InputFile("file:/in/" + name, size, T.minusSeconds(size));
  }

  @Test
  void historyKnowsEveryConsumedFileAndEachSourcesLastRead() {
    InputFile crm1 = file("crm.csv", 500);
    InputFile crm2 = file("crm.csv", 480);
    InputFile day1 = file("web/day1.jsonl", 100);
    InputFile day2 = file("web/day2.jsonl", 40);
    List<Entry> entries =
        List.of(
            new Entry("r1", 1, "crm", "read_all", crm1, "hc", "cfg1"),
            new Entry("r1", 1, "web", "read_all", day1, "hw", "cfg1"),
            new Entry("r2", 2, "crm", "read_all", crm2, "hc", "cfg2"),
            new Entry("r2", 2, "web", "read_new", day2, "hw", "cfg2"),
            new Entry("r3", 3, "crm", "unchanged", null, "hc", "cfg2"),
            new Entry("r3", 3, "web", "unchanged", null, "hw", "cfg2"));
    History h = History.of(entries).orElseThrow();
    assertThat(h.lastSequence()).isEqualTo(3);
    assertThat(h.lastRunId()).isEqualTo("r3");
    assertThat(h.configHash()).isEqualTo("cfg2");
    assertThat(h.lastSources()).containsExactlyInAnyOrder("crm", "web");
    assertThat(h.sources().get("crm").lastRead()).containsExactly(crm2);
    assertThat(h.sources().get("web").consumed()).containsExactlyInAnyOrder(day1, day2);
    assertThat(h.sources().get("web").lastRead()).containsExactly(day2);
    assertThat(History.of(List.of())).isEmpty();
  }

  @Test
  void rowsRoundTripThroughTheDeltaTable(SparkSession spark, @TempDir Path out) {
    InputFile day1 = file("web/day1.jsonl", 100);
    InputFile day2 = file("web/day2.jsonl", 40);
    Map<String, Decision> decisions = new LinkedHashMap<>();
    decisions.put(
        "web",
        new Decision(WEB, Action.READ_NEW, List.of(day2), List.of(day1, day2), true, "1 new file"));
    decisions.put(
        "crm", new Decision(CRM, Action.UNCHANGED, List.of(), List.of(), false, "unchanged"));
    var rows =
        RunManifest.rows(spark, "r7", 7, T, decisions, Map.of("web", "hw", "crm", "hc"), "cfg",
            Map.of("web", Map.of("day2.jsonl", 3L)));
    new DeltaSink(spark, out.toString(), "r7").append(OutputTables.RUN_MANIFEST, rows);

    Row web =
        spark.read().format("delta").load(out.resolve(OutputTables.RUN_MANIFEST).toString())
            .where("source = 'web'").first();
    assertThat((String) web.getAs("file")).isEqualTo(day2.path());
    assertThat((Long) web.getAs("records")).isEqualTo(3L);
    assertThat((String) web.getAs("mode")).isEqualTo("append");
    assertThat((String) web.getAs("action")).isEqualTo("read_new");
    History h = RunManifest.read(spark, out.toString()).orElseThrow();
    assertThat(h.lastSequence()).isEqualTo(7);
    assertThat(h.sources().get("web").consumed()).containsExactly(day2);
    assertThat(h.sources()).doesNotContainKey("crm");
    assertThat(RunManifest.nextSequence(spark, out.toString(), java.util.Optional.of(h))).isEqualTo(8);
  }

  @Test
  void fingerprintsAreStableAndFollowTheConfigAndTheKey() {
    JobConfig job = new JobConfig(null, List.of(CRM, WEB), null, null, null, null, null, null, null, null);
    String crm = RunManifest.sourceHash(CRM, job, HASHER);
    assertThat(RunManifest.sourceHash(CRM, job, HASHER)).isEqualTo(crm);
    assertThat(RunManifest.sourceHash(WEB, job, HASHER)).isNotEqualTo(crm);
    SourceConfig otherRegion = Fixtures.source("crm", "crm", "crm.csv", "DE");
    assertThat(RunManifest.sourceHash(otherRegion, job, HASHER)).isNotEqualTo(crm);
    IdentifierHasher otherKey = new IdentifierHasher("q".repeat(32).getBytes(StandardCharsets.UTF_8));
    assertThat(RunManifest.sourceHash(CRM, job, otherKey)).isNotEqualTo(crm);
    assertThat(RunManifest.configHash(job, HASHER)).isEqualTo(RunManifest.configHash(job, HASHER));
    JobConfig noScoring =
        new JobConfig(null, List.of(CRM, WEB), null, null, null, null,
            new io.idgraph.config.ScoringConfig(false, null, null, null, null, null, null), null, null, null);
    assertThat(RunManifest.configHash(noScoring, HASHER)).isNotEqualTo(RunManifest.configHash(job, HASHER));
    assertThat(Set.of(crm.length())).containsExactly(16);
  }
}
