package io.idgraph.inspect;

import java.util.List;
import java.util.Map;

/**
 * Everything {@code idgraph lookup} shows about one profile, collected from the output tables for
 * that profile only. Times are ISO-8601 UTC strings; identifiers are hashes, never raw values.
 *
 * @param profile the profiles row
 * @param identifiers its identity_links rows (at most {@link ProfileLookup#MAX_IDENTIFIERS}, known
 *     person types first, then by records), with the rules that kept any of them from linking
 * @param identifiersOmitted identifiers of the profile not listed
 * @param traits the surviving traits with their provenance (trait_sources), in column order
 * @param recordsBySource record_profiles rows of the profile per source
 * @param merges merge_history rows naming the profile, newest first (at most {@link
 *     ProfileLookup#MAX_HISTORY})
 * @param absorbedIds profile_id_changes rows whose new id is this profile: old ids it took in
 * @param redirect how the asked id led here when it was an old id that changed, else null
 */
public record ProfileReport(
    Profile profile,
    List<Identifier> identifiers,
    long identifiersOmitted,
    List<Trait> traits,
    Map<String, Long> recordsBySource,
    List<Merge> merges,
    List<IdChange> absorbedIds,
    String redirect) {

  /** A profiles row without its traits. */
  public record Profile(
      String profileId,
      String state,
      Map<String, Long> identifierCounts,
      String firstSeen,
      String lastSeen,
      List<String> sources,
      long recordCount,
      String runId) {}

  /**
   * An identity_links row; {@code rules} lists the link_decisions rules (hub_isolation, limit, ...)
   * that kept it from linking, in part or whole.
   */
  public record Identifier(
      String idType,
      String idHash,
      String firstSeen,
      String lastSeen,
      List<String> sources,
      long records,
      String linkMethod,
      Double confidence,
      List<String> rules) {}

  /** A surviving trait value and the record it came from. */
  public record Trait(
      String name,
      String value,
      String source,
      String recordId,
      String observedAt,
      String strategy) {}

  /** A merge_history row. */
  public record Merge(
      String mergeId,
      String runId,
      String event,
      String mergedAt,
      String survivingProfileId,
      List<String> mergedProfileIds,
      List<String> splitProfileIds,
      String method,
      Double probability,
      String actor,
      String reason) {}

  /** A profile_id_changes row. */
  public record IdChange(
      String runId, String changedAt, String oldProfileId, String newProfileId, String changeType,
      String mergeId) {}

  /** One profile holding a looked-up identifier, in brief (when several hold it). */
  public record Holder(
      String profileId,
      String state,
      long recordCount,
      List<String> sources,
      String linkMethod,
      Double confidence,
      long identifierRecords) {}

  /** A link_decisions row about the looked-up identifier. */
  public record Decision(String rule, Long records, Long degree, String detail, String runId) {}
}
