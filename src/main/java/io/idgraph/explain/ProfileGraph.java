package io.idgraph.explain;

import java.util.List;

/**
 * One profile's identity graph as {@code idgraph graph} draws it: its identifiers as nodes and the
 * links between them as edges, collected by {@link ProfileGraphInputs} for that profile only.
 *
 * @param profileId the final profile
 * @param nodes the identifiers drawn (at most {@link ProfileGraphInputs#MAX_NODES}: known person
 *     types first, then those on the most records)
 * @param edges links between drawn identifiers
 * @param omittedNodes identifiers of the profile left out by the cap
 * @param omittedEdges links left out because an end was left out, or by the edge cap
 */
public record ProfileGraph(
    String profileId, List<Node> nodes, List<Edge> edges, long omittedNodes, long omittedEdges) {

  public static final String DETERMINISTIC = "deterministic";
  public static final String PROBABILISTIC = "probabilistic";
  public static final String MANUAL = "manual";

  /**
   * An identifier of the profile.
   *
   * @param part the deterministic profile (before probabilistic links) most of its records are in
   * @param linkMethod identity_links.link_method: deterministic, or probabilistic when it came in
   *     through a scored pair
   * @param rules link_decisions rules that kept it from linking, in part (limit, size_cap, ...) or
   *     whole (hub_isolation, do_not_link); empty when none
   */
  public record Node(
      String idType,
      String idHash,
      long records,
      String part,
      String linkMethod,
      double confidence,
      List<String> rules) {

    /** The first 8 hex characters of the hash: enough to tell a profile's identifiers apart. */
    public String shortHash() {
      return idHash.length() <= 8 ? idHash : idHash.substring(0, 8);
    }

    /** Whether an identity rule kept this identifier from linking (drawn greyed and dashed). */
    public boolean held() {
      return !rules.isEmpty();
    }
  }

  /**
   * A link between two drawn identifiers (by hash).
   *
   * @param method deterministic (records carry both), probabilistic (a merged scored pair between
   *     the two identifiers' deterministic profiles, drawn between their leading identifiers) or
   *     manual (an admin's merge or approval, likewise)
   * @param detail the rule (e.g. web:identify) for a deterministic link, the scored pair's signals
   *     for a probabilistic one, the actor for a manual one
   * @param confidence 1 for deterministic and manual links, the pair's probability otherwise
   * @param records records carrying both ends (deterministic links; 0 for the others)
   */
  public record Edge(
      String src, String dst, String method, String detail, double confidence, long records) {}
}
