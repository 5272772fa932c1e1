package io.idgraph.explain;

import java.util.List;
import java.util.Map;

/**
 * The rows {@code idgraph explain} works on, collected to the driver for the one or two final
 * profiles involved and nothing else: their records with identifiers, the scored pairs whose both
 * sides lie in them, and the link decisions of identifiers their records hold (all of the run that
 * wrote record_profiles).
 */
public record Scope(List<RecordRow> records, List<Candidate> candidates, List<Decision> decisions) {

  /** One hashed identifier of a record. */
  public record Identifier(String idType, String idHash) {}

  /** One row of record_profiles. */
  public record RecordRow(
      String source,
      String recordId,
      String profileId,
      String deterministicProfileId,
      List<Identifier> identifiers) {
    /** {@code source:record_id}, as given on the command line. */
    public String label() {
      return source + ":" + recordId;
    }
  }

  /**
   * One row of merge_candidates: a scored pair of deterministic profiles ({@code profileA <
   * profileB}), with per-comparison log2 weights (including "prior") and levels.
   */
  public record Candidate(
      String candidateId,
      String profileA,
      String profileB,
      double probability,
      double matchWeight,
      Map<String, Double> contributions,
      Map<String, String> levels,
      List<String> blockingKeys,
      String status,
      String reason) {}

  /**
   * One row of link_decisions: an identifier the identity rules kept from linking, at least in
   * part.
   */
  public record Decision(
      String rule, String idType, String idHash, Long records, Long degree, String detail) {}
}
