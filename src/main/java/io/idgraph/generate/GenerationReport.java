package io.idgraph.generate;

import java.util.Map;

/**
 * What the generator wrote: rows per file, how often each hard case occurs, and the recall ceilings.
 *
 * @param persons persons generated
 * @param records distinct record ids written (the rows of truth.csv)
 * @param rows rows written per file (including malformed and duplicate rows)
 * @param cases occurrences per hard case, by name (see {@link HardCase})
 * @param deterministicRecall pairwise recall of the best purely deterministic partition
 * @param deterministicPlusDeviceRecall the same plus same-device (cookie reset) links
 */
public record GenerationReport(
    int persons,
    long records,
    Map<String, Long> rows,
    Map<String, Long> cases,
    double deterministicRecall,
    double deterministicPlusDeviceRecall) {

  public long count(HardCase c) {
    return cases.getOrDefault(c.key(), 0L);
  }
}
