package io.idgraph.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.config.SourceConfig;
import io.idgraph.source.InputSelection.Action;
import io.idgraph.source.InputSelection.Decision;
import io.idgraph.source.InputSelection.SourceHistory;
import io.idgraph.testing.Fixtures;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InputSelectionTest {
  private static final SourceConfig WEB = Fixtures.source("web", "web", "web/", "US");
  private static final SourceConfig CRM = Fixtures.source("crm", "crm", "crm.csv", "US");
  private static final InputFile DAY1 = file("file:/in/web/day1.jsonl", 100, 1);
  private static final InputFile DAY2 = file("file:/in/web/day2.jsonl", 40, 2);
  private static final InputFile CRM_V1 = file("file:/in/crm.csv", 500, 1);

  private static InputFile file(String path, long size, long minute) {
    return new InputFile(path, size, Instant.parse("2026-11-24T00:00:00Z").plusSeconds(60 * minute));
  }

  private static Decision decide(
      SourceConfig source, List<InputFile> listed, SourceHistory before, String hash) {
    return InputSelection.decide(source, listed, before, hash, true, false);
  }

  @Test
  void anAppendSourceReadsOnlyFilesNoEarlierNightConsumed() {
    SourceHistory before = new SourceHistory("h", Set.of(DAY1), Set.of(DAY1));
    Decision d = decide(WEB, List.of(DAY1, DAY2), before, "h");
    assertThat(d.action()).isEqualTo(Action.READ_NEW);
    assertThat(d.files()).containsExactly(DAY2);
    assertThat(d.diff()).isTrue();

    assertThat(decide(WEB, List.of(DAY1), before, "h").action()).isEqualTo(Action.UNCHANGED);
    // Rewritten in place: same path, new size and time, so it is read again.
    InputFile rewritten = file(DAY1.path(), 120, 5);
    assertThat(decide(WEB, List.of(rewritten), before, "h").files()).containsExactly(rewritten);
  }

  @Test
  void aSnapshotIsReadWholeWhenAnyOfItsFilesChangedAndSkippedWhenNone() {
    SourceHistory before = new SourceHistory("h", Set.of(CRM_V1), Set.of(CRM_V1));
    assertThat(decide(CRM, List.of(CRM_V1), before, "h").action()).isEqualTo(Action.UNCHANGED);
    InputFile v2 = file(CRM_V1.path(), 480, 60);
    Decision changed = decide(CRM, List.of(v2), before, "h");
    assertThat(changed.action()).isEqualTo(Action.READ_ALL);
    assertThat(changed.files()).containsExactly(v2);
    assertThat(changed.diff()).isTrue();
    // A snapshot split into parts: a part gone is a change too.
    assertThat(decide(CRM, List.of(), before, "h").action()).isEqualTo(Action.READ_ALL);
  }

  @Test
  void aChangedSourceConfigNewKeyMissingStateOrFullRebuildReadsEverythingWithoutDiff() {
    SourceHistory before = new SourceHistory("h", Set.of(DAY1), Set.of(DAY1));
    Decision rehashed = decide(WEB, List.of(DAY1, DAY2), before, "other");
    assertThat(rehashed.action()).isEqualTo(Action.READ_ALL);
    assertThat(rehashed.files()).containsExactly(DAY1, DAY2);
    assertThat(rehashed.diff()).isFalse();
    assertThat(decide(WEB, List.of(DAY1), null, "h").action()).isEqualTo(Action.READ_ALL);
    assertThat(InputSelection.decide(WEB, List.of(DAY1), before, "h", false, false).action())
        .isEqualTo(Action.READ_ALL);
    Decision rebuild = InputSelection.decide(WEB, List.of(DAY1, DAY2), before, "h", true, true);
    assertThat(rebuild.action()).isEqualTo(Action.READ_ALL);
    assertThat(rebuild.files()).containsExactly(DAY1, DAY2);
  }

  @Test
  void aSupportSourceSetToSnapshotBehavesAsOne() {
    SourceConfig tickets =
        new SourceConfig("support", "support", "t.csv", null, null, null, null, null, null, null,
            null, null, null, List.of(), null, "snapshot");
    InputFile t1 = file("file:/in/t.csv", 10, 1);
    InputFile t2 = file("file:/in/t.csv", 12, 2);
    Decision d = decide(tickets, List.of(t2), new SourceHistory("h", Set.of(t1), Set.of(t1)), "h");
    assertThat(d.action()).isEqualTo(Action.READ_ALL);
    assertThat(WEB.effectiveMode()).isEqualTo("append");
    assertThat(CRM.effectiveMode()).isEqualTo("snapshot");
  }
}
