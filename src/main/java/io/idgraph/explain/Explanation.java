package io.idgraph.explain;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What {@code idgraph explain} found about two ends (records or profiles): when they share a final
 * profile, the numbered hops that join them; when they do not, the reasons the tables give. {@link
 * #format()} is the text the command prints; the record itself is what {@code --json} writes.
 *
 * @param joined whether both ends are in the same final profile
 * @param hops the chain from end A to end B, in order; empty when not joined, when no link is
 *     needed (same record or profile) or when the tables do not show the links (see notes)
 * @param notes sentences that qualify the chain (what a record stands for, what is missing)
 * @param reasons when not joined: scored pairs and shared identifiers between the two sides
 * @param summary one line: how many links of which kind, or why not joined
 */
public record Explanation(
    End a,
    End b,
    boolean joined,
    List<Hop> hops,
    List<String> notes,
    List<Reason> reasons,
    String summary) {

  /** One end: a record, a final profile or a deterministic profile, with the profiles it is in. */
  public record End(
      String kind,
      String name,
      String source,
      String recordId,
      String profileId,
      String deterministicProfileId) {
    public static final String RECORD = "record";
    public static final String FINAL_PROFILE = "final profile";
    public static final String DETERMINISTIC_PROFILE = "deterministic profile";

    public static End ofRecord(RecordRef ref, String profileId, String deterministicProfileId) {
      return new End(
          RECORD, ref.label(), ref.source(), ref.recordId(), profileId, deterministicProfileId);
    }

    public static End ofFinalProfile(String profileId) {
      return new End(FINAL_PROFILE, profileId, null, null, profileId, null);
    }

    public static End ofDeterministicProfile(String deterministicProfileId, String profileId) {
      return new End(
          DETERMINISTIC_PROFILE,
          deterministicProfileId,
          null,
          null,
          profileId,
          deterministicProfileId);
    }

    String describe() {
      return switch (kind) {
        case FINAL_PROFILE -> kind + " " + name;
        case DETERMINISTIC_PROFILE -> kind + " " + name + " (in final profile " + profileId + ")";
        default ->
            kind
                + " "
                + name
                + " (final profile "
                + profileId
                + ", deterministic profile "
                + deterministicProfileId
                + ")";
      };
    }
  }

  /**
   * One link of the chain. Deterministic: two records sharing an identifier (type and the first 12
   * hex characters of its hash). Probabilistic: two deterministic profiles joined by a merged
   * scored pair, with its probability, match weight, blocking keys and per-comparison log2 weights.
   */
  public record Hop(
      int number,
      String method,
      String from,
      String to,
      String idType,
      String idHashPrefix,
      Double probability,
      Double matchWeight,
      String candidateId,
      List<String> blockingKeys,
      List<Contribution> contributions,
      String note) {
    static Hop deterministic(
        int number, String from, String to, String idType, String idHashPrefix, String note) {
      return new Hop(
          number,
          LinkChain.DETERMINISTIC,
          from,
          to,
          idType,
          idHashPrefix,
          null,
          null,
          null,
          null,
          null,
          note);
    }

    static Hop probabilistic(
        int number,
        String from,
        String to,
        double probability,
        double matchWeight,
        String candidateId,
        List<String> blockingKeys,
        List<Contribution> contributions) {
      return new Hop(
          number,
          LinkChain.PROBABILISTIC,
          from,
          to,
          null,
          null,
          probability,
          matchWeight,
          candidateId,
          blockingKeys,
          contributions,
          null);
    }
  }

  /**
   * The log2 weight one comparison (or the prior) added to a pair's match weight, and its level.
   */
  public record Contribution(String comparison, double weight, String level) {
    String format() {
      String signed = String.format(Locale.ROOT, "%s %+.2f", comparison, weight);
      return level == null ? signed : signed + " (" + level + ")";
    }
  }

  /**
   * Why two sides are apart: a scored pair between them (kind "scored_pair", with status and
   * probability) or an identifier records of both hold (kind "identifier", with the refusing rule
   * or none).
   */
  public record Reason(
      String kind,
      String profileA,
      String profileB,
      String status,
      Double probability,
      List<Contribution> contributions,
      String idType,
      String idHashPrefix,
      String rule,
      String text) {
    static Reason scoredPair(
        String profileA,
        String profileB,
        String status,
        double probability,
        List<Contribution> contributions,
        String text) {
      return new Reason(
          LinkChain.SCORED_PAIR,
          profileA,
          profileB,
          status,
          probability,
          contributions,
          null,
          null,
          null,
          text);
    }

    static Reason identifier(String idType, String idHashPrefix, String rule, String text) {
      return new Reason(
          LinkChain.IDENTIFIER, null, null, null, null, null, idType, idHashPrefix, rule, text);
    }
  }

  /** The text {@code idgraph explain} prints. */
  public String format() {
    StringBuilder out = new StringBuilder();
    out.append("explain ").append(a.name()).append(" and ").append(b.name()).append('\n');
    out.append("  A  ").append(a.describe()).append('\n');
    out.append("  B  ").append(b.describe()).append('\n');
    for (String note : notes) {
      out.append("  note: ").append(note).append('\n');
    }
    for (Hop hop : hops) {
      out.append(
          String.format(
              Locale.ROOT,
              "  %d. %-13s  %s -> %s",
              hop.number(),
              hop.method(),
              hop.from(),
              hop.to()));
      if (hop.idType() != null) {
        out.append("  via ").append(hop.idType()).append(' ').append(hop.idHashPrefix());
      }
      if (hop.probability() != null) {
        out.append(
            String.format(
                Locale.ROOT,
                "  probability %.3f, match weight %.2f",
                hop.probability(),
                hop.matchWeight()));
        out.append(" (candidate ").append(hop.candidateId());
        if (hop.blockingKeys() != null && !hop.blockingKeys().isEmpty()) {
          out.append("; blocked on ").append(String.join(", ", hop.blockingKeys()));
        }
        out.append(')');
      }
      out.append('\n');
      if (hop.contributions() != null && !hop.contributions().isEmpty()) {
        out.append("       ").append(formatContributions(hop.contributions())).append('\n');
      }
      if (hop.note() != null) {
        out.append("       ").append(hop.note()).append('\n');
      }
    }
    for (Reason reason : reasons) {
      out.append("  - ").append(reason.text()).append('\n');
      if (reason.contributions() != null && !reason.contributions().isEmpty()) {
        out.append("      ").append(formatContributions(reason.contributions())).append('\n');
      }
    }
    out.append(summary).append('\n');
    return out.toString();
  }

  static String formatContributions(List<Contribution> contributions) {
    return contributions.stream().map(Contribution::format).collect(Collectors.joining(", "));
  }
}
