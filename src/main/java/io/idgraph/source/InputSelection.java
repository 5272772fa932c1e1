package io.idgraph.source;

import io.idgraph.config.SourceConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides, per source, what tonight reads: every file (the first night, a changed snapshot, a source
 * whose config changed, {@code --full-rebuild}), only the files no earlier night consumed (an append
 * source), or nothing (an unchanged snapshot, an append source without new files: its records from the
 * state are reused). Pure: file listings and what earlier nights consumed in, decisions out.
 *
 * <p>A file is known by path, size and modification time, so an export rewritten in place counts as
 * new. A source that is not a set of plain files (a table, a Delta or JDBC source) cannot be compared
 * and is read whole every night.
 */
public final class InputSelection {
  private InputSelection() {}

  /** What a night does with one source. */
  public enum Action {
    /** Read every file; the source's previous records leave the state. */
    READ_ALL,
    /** Read the new files of an append source; their records join the state, newest first. */
    READ_NEW,
    /** Read nothing; the source's records in the state stand. */
    UNCHANGED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * What the earlier nights left about one source.
   *
   * @param sourceHash fingerprint of the source's config (and normalization, key) at its last read
   * @param lastRead the files of the last night that read the source
   * @param consumed every file any night read for it
   */
  public record SourceHistory(String sourceHash, Set<InputFile> lastRead, Set<InputFile> consumed) {}

  /**
   * Tonight's decision for a source.
   *
   * @param files the files to read (empty for {@link Action#UNCHANGED})
   * @param listed every file the source's path stands for tonight
   * @param diff whether tonight's records should be compared with the state's (a snapshot whose
   *     files changed, an append source's re-sent records), for {@code record_changes}; false when the
   *     whole source is re-read because its config or the key changed, where every record would differ
   * @param reason why, in words, for the log
   */
  public record Decision(
      SourceConfig source,
      Action action,
      List<InputFile> files,
      List<InputFile> listed,
      boolean diff,
      String reason) {}

  /**
   * @param listings each source's files tonight (by source name; empty for a source that is not
   *     file-based)
   * @param history what earlier nights consumed, by source name (absent: never read)
   * @param sourceHashes each source's fingerprint tonight
   * @param stateAvailable whether the previous night's records can be reused at all
   * @param fullRebuild {@code --full-rebuild}: read everything
   */
  public static Map<String, Decision> decide(
      List<SourceConfig> sources,
      Map<String, List<InputFile>> listings,
      Map<String, SourceHistory> history,
      Map<String, String> sourceHashes,
      boolean stateAvailable,
      boolean fullRebuild) {
    Map<String, Decision> out = new LinkedHashMap<>();
    for (SourceConfig source : sources) {
      out.put(
          source.name(),
          decide(
              source,
              listings.getOrDefault(source.name(), List.of()),
              history.get(source.name()),
              sourceHashes.get(source.name()),
              stateAvailable,
              fullRebuild));
    }
    return out;
  }

  static Decision decide(
      SourceConfig source,
      List<InputFile> listed,
      SourceHistory before,
      String hash,
      boolean stateAvailable,
      boolean fullRebuild) {
    if (fullRebuild) {
      return all(source, listed, false, "--full-rebuild");
    }
    if (!stateAvailable) {
      return all(source, listed, false, "no state from an earlier night");
    }
    if (before == null) {
      return all(source, listed, false, "first night of this source");
    }
    if (!before.sourceHash().equals(hash)) {
      return all(
          source, listed, false, "its config, the normalization or the hashing key changed");
    }
    if (!source.fileBased()) {
      return all(source, listed, true, "a table or non-file source is read whole every night");
    }
    if (SourceConfig.APPEND.equals(source.effectiveMode())) {
      List<InputFile> fresh = new ArrayList<>();
      for (InputFile f : listed) {
        if (!before.consumed().contains(f)) {
          fresh.add(f);
        }
      }
      return fresh.isEmpty()
          ? new Decision(source, Action.UNCHANGED, List.of(), listed, false, "no new file")
          : new Decision(
              source, Action.READ_NEW, fresh, listed, true, fresh.size() + " new file(s)");
    }
    if (new HashSet<>(listed).equals(before.lastRead())) {
      return new Decision(source, Action.UNCHANGED, List.of(), listed, false, "snapshot unchanged");
    }
    return all(source, listed, true, "snapshot changed");
  }

  private static Decision all(
      SourceConfig source, List<InputFile> listed, boolean diff, String reason) {
    return new Decision(source, Action.READ_ALL, listed, listed, diff, reason);
  }
}
