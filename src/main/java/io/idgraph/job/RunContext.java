package io.idgraph.job;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Identity of one run: its id (sortable by start time, unique across machines), when it started, and
 * where it reads and writes.
 *
 * @param fullRebuild ignore the run manifest and the record state: read every file of every source
 *     (see {@link RunManifest}, {@link RecordState})
 */
public record RunContext(
    String runId,
    Instant startedAt,
    String inputRoot,
    String outputRoot,
    boolean skipPublishGate,
    boolean fullRebuild) {

  public RunContext(
      String runId, Instant startedAt, String inputRoot, String outputRoot, boolean skipPublishGate) {
    this(runId, startedAt, inputRoot, outputRoot, skipPublishGate, false);
  }

  /** This run, reading every file of every source instead of only what is new. */
  public RunContext withFullRebuild() {
    return new RunContext(runId, startedAt, inputRoot, outputRoot, skipPublishGate, true);
  }

  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  public static RunContext start(String inputRoot, String outputRoot) {
    return start(inputRoot, outputRoot, false);
  }

  /** @param skipPublishGate write the night even if a source collapsed (see {@link PublishGate}) */
  public static RunContext start(String inputRoot, String outputRoot, boolean skipPublishGate) {
    Instant now = Instant.now();
    String suffix = String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
    return new RunContext(
        "run_" + ID_TIME.format(now) + "_" + suffix, now, inputRoot, outputRoot, skipPublishGate);
  }
}
