package io.idgraph.explain;

import io.idgraph.explain.Explanation.Contribution;
import io.idgraph.explain.Explanation.End;
import io.idgraph.explain.Explanation.Hop;
import io.idgraph.explain.Explanation.Reason;
import io.idgraph.explain.Scope.Candidate;
import io.idgraph.explain.Scope.Decision;
import io.idgraph.explain.Scope.Identifier;
import io.idgraph.explain.Scope.RecordRow;
import io.idgraph.graph.LinkDecisions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Finds the chain of links that joins two ends, from rows already collected for their final
 * profiles ({@link Scope}). Pure Java, no Spark.
 *
 * <ul>
 *   <li>Two records of one deterministic profile: a shortest path over "both records hold this
 *       identifier" among that profile's records. Identifiers that link nothing (blocklist,
 *       hub_isolation, do_not_link in link_decisions) are never used; identifiers refused only in
 *       part (limit, do_not_link_pair, size_cap) only when no path avoids them, and the hop says
 *       so.
 *   <li>Anything else in one final profile: a shortest path over deterministic profiles through
 *       merge_candidates rows with status merged. A scored pair joins two deterministic profiles as
 *       wholes (it compares profile-level signals), so a record end stands for its deterministic
 *       profile there, and a final-profile end for any of its deterministic profiles.
 *   <li>Different final profiles: not joined; the reasons are the scored pairs between the two
 *       sides (pending, refused) and the identifiers records of both sides hold, with the rules
 *       that refused them.
 * </ul>
 *
 * When record_profiles puts both ends in one final profile but the other tables do not show the
 * links (a manual merge, a missing merge_candidates table), the explanation says so instead of
 * guessing.
 */
public final class LinkChain {
  public static final String DETERMINISTIC = "deterministic";
  public static final String PROBABILISTIC = "probabilistic";
  public static final String MERGED = "merged";
  public static final String REFUSED = "refused";
  public static final String PENDING = "pending";
  public static final String SCORED_PAIR = "scored_pair";
  public static final String IDENTIFIER = "identifier";

  /** How many hex characters of an identifier hash are shown. */
  public static final int HASH_PREFIX = 12;

  /**
   * Rules after which an identifier links nothing; the other rules refuse some of its links only.
   */
  private static final Set<String> LINKS_NOTHING =
      Set.of(LinkDecisions.BLOCKLIST, LinkDecisions.HUB_ISOLATION, LinkDecisions.DO_NOT_LINK);

  private static final Comparator<Identifier> BY_ID =
      Comparator.comparing(Identifier::idType).thenComparing(Identifier::idHash);
  private static final Comparator<Candidate> LIKELIEST_FIRST =
      Comparator.comparingDouble(Candidate::probability)
          .reversed()
          .thenComparing(Candidate::candidateId, Comparator.nullsLast(Comparator.naturalOrder()));

  private LinkChain() {}

  public static Explanation explain(End a, End b, Scope scope) {
    Map<Identifier, List<Decision>> decisions = new HashMap<>();
    for (Decision d : scope.decisions()) {
      decisions
          .computeIfAbsent(new Identifier(d.idType(), d.idHash()), k -> new ArrayList<>())
          .add(d);
    }
    return a.profileId().equals(b.profileId())
        ? joined(a, b, scope, decisions)
        : apart(a, b, scope, decisions);
  }

  private static Explanation joined(
      End a, End b, Scope scope, Map<Identifier, List<Decision>> decisions) {
    List<String> notes = new ArrayList<>();
    Optional<List<Hop>> hops;
    String noLinkNeeded = null;
    if (a.recordId() != null
        && b.recordId() != null
        && a.deterministicProfileId().equals(b.deterministicProfileId())) {
      if (a.source().equals(b.source()) && a.recordId().equals(b.recordId())) {
        noLinkNeeded = "same record";
        hops = Optional.of(List.of());
      } else {
        hops = recordPath(a, b, members(scope, a.deterministicProfileId()), decisions);
        if (hops.isEmpty()) {
          notes.add(
              "no chain of shared identifiers inside deterministic profile "
                  + a.deterministicProfileId()
                  + " joins them: the identifiers they would need are"
                  + " refused in link_decisions, or record_profiles and link_decisions disagree");
        }
      }
    } else {
      Set<String> from = deterministicProfiles(a, scope);
      Set<String> to = deterministicProfiles(b, scope);
      if (!Collections.disjoint(from, to)) {
        noLinkNeeded = sameProfile(a, b);
        hops = Optional.of(List.of());
      } else {
        for (End end : List.of(a, b)) {
          if (end.recordId() != null) {
            notes.add(
                end.name()
                    + " stands for its deterministic profile "
                    + end.deterministicProfileId()
                    + " ("
                    + plural(members(scope, end.deterministicProfileId()).size(), "record")
                    + "): a scored pair joins deterministic profiles as wholes");
          }
        }
        hops = profilePath(from, to, mergedWithin(a.profileId(), scope));
        if (hops.isEmpty()) {
          notes.add(
              "no chain of merged pairs in merge_candidates joins their deterministic profiles:"
                  + " merged by hand, or merge_candidates is missing rows");
        }
      }
    }
    List<Hop> chain = hops.orElse(List.of());
    String summary;
    if (noLinkNeeded != null) {
      summary = "joined: " + noLinkNeeded + ", no links needed";
    } else if (hops.isEmpty()) {
      summary =
          "joined in final profile "
              + a.profileId()
              + ", but the tables do not show the links between them";
    } else {
      summary = joinedSummary(chain);
    }
    return new Explanation(a, b, true, chain, notes, List.of(), summary);
  }

  private static String joinedSummary(List<Hop> chain) {
    long deterministic = chain.stream().filter(h -> DETERMINISTIC.equals(h.method())).count();
    long probabilistic = chain.size() - deterministic;
    String summary =
        String.format(
            Locale.ROOT,
            "joined by %s: %d deterministic, %d probabilistic",
            plural(chain.size(), "link"),
            deterministic,
            probabilistic);
    if (probabilistic > 0) {
      double lowest =
          chain.stream()
              .filter(h -> h.probability() != null)
              .mapToDouble(Hop::probability)
              .min()
              .orElseThrow();
      summary += String.format(Locale.ROOT, " (lowest probability %.3f)", lowest);
    }
    return summary;
  }

  private static String sameProfile(End a, End b) {
    if (a.deterministicProfileId() != null && b.deterministicProfileId() != null) {
      return "same deterministic profile " + a.deterministicProfileId();
    }
    if (a.deterministicProfileId() == null && b.deterministicProfileId() == null) {
      return "same final profile " + a.profileId();
    }
    End part = a.deterministicProfileId() == null ? b : a;
    return part.kind() + " " + part.name() + " is part of final profile " + a.profileId();
  }

  private static Set<String> deterministicProfiles(End end, Scope scope) {
    if (end.deterministicProfileId() != null) {
      return Set.of(end.deterministicProfileId());
    }
    Set<String> all = new TreeSet<>();
    for (RecordRow r : scope.records()) {
      if (end.profileId().equals(r.profileId())) {
        all.add(r.deterministicProfileId());
      }
    }
    return all;
  }

  private static List<RecordRow> members(Scope scope, String deterministicProfileId) {
    return scope.records().stream()
        .filter(r -> deterministicProfileId.equals(r.deterministicProfileId()))
        .sorted(Comparator.comparing(RecordRow::source).thenComparing(RecordRow::recordId))
        .toList();
  }

  private static Map<String, String> finalProfiles(Scope scope) {
    Map<String, String> finalOf = new HashMap<>();
    for (RecordRow r : scope.records()) {
      finalOf.put(r.deterministicProfileId(), r.profileId());
    }
    return finalOf;
  }

  /** Merged pairs whose both deterministic profiles lie in the given final profile. */
  private static List<Candidate> mergedWithin(String profileId, Scope scope) {
    Map<String, String> finalOf = finalProfiles(scope);
    return scope.candidates().stream()
        .filter(c -> MERGED.equals(c.status()))
        .filter(c -> profileId.equals(finalOf.get(c.profileA())))
        .filter(c -> profileId.equals(finalOf.get(c.profileB())))
        .toList();
  }

  /**
   * Shortest path between two records over shared identifiers: first avoiding every identifier in
   * link_decisions, then allowing those refused only in part.
   */
  private static Optional<List<Hop>> recordPath(
      End a, End b, List<RecordRow> members, Map<Identifier, List<Decision>> decisions) {
    Predicate<Identifier> unrefused = id -> !decisions.containsKey(id);
    Predicate<Identifier> linksSomething =
        id ->
            decisions.getOrDefault(id, List.of()).stream()
                .noneMatch(d -> LINKS_NOTHING.contains(d.rule()));
    return recordPath(a, b, members, decisions, unrefused)
        .or(() -> recordPath(a, b, members, decisions, linksSomething));
  }

  private record Step(RecordRow previous, Identifier via) {}

  private static Optional<List<Hop>> recordPath(
      End a,
      End b,
      List<RecordRow> members,
      Map<Identifier, List<Decision>> decisions,
      Predicate<Identifier> usable) {
    RecordRef start = new RecordRef(a.source(), a.recordId());
    RecordRef target = new RecordRef(b.source(), b.recordId());
    Map<Identifier, List<RecordRow>> holders = new HashMap<>();
    RecordRow first = null;
    for (RecordRow r : members) {
      for (Identifier id : identifiers(r)) {
        if (usable.test(id)) {
          holders.computeIfAbsent(id, k -> new ArrayList<>()).add(r);
        }
      }
      if (ref(r).equals(start)) {
        first = r;
      }
    }
    if (first == null) {
      return Optional.empty();
    }
    Map<RecordRef, Step> previous = new HashMap<>();
    Set<Identifier> usedIds = new HashSet<>();
    ArrayDeque<RecordRow> queue = new ArrayDeque<>(List.of(first));
    while (!queue.isEmpty()) {
      RecordRow r = queue.poll();
      if (ref(r).equals(target)) {
        return Optional.of(recordHops(r, start, previous, decisions));
      }
      for (Identifier id : identifiers(r)) {
        if (!holders.containsKey(id) || !usedIds.add(id)) {
          continue;
        }
        for (RecordRow next : holders.get(id)) {
          RecordRef key = ref(next);
          if (!key.equals(start) && !previous.containsKey(key)) {
            previous.put(key, new Step(r, id));
            queue.add(next);
          }
        }
      }
    }
    return Optional.empty();
  }

  private static List<Hop> recordHops(
      RecordRow last,
      RecordRef start,
      Map<RecordRef, Step> previous,
      Map<Identifier, List<Decision>> decisions) {
    List<Step> steps = new ArrayList<>();
    List<RecordRow> to = new ArrayList<>();
    RecordRow at = last;
    while (!ref(at).equals(start)) {
      Step step = previous.get(ref(at));
      steps.add(step);
      to.add(at);
      at = step.previous();
    }
    Collections.reverse(steps);
    Collections.reverse(to);
    List<Hop> hops = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      Identifier id = steps.get(i).via();
      hops.add(
          Hop.deterministic(
              i + 1,
              steps.get(i).previous().label(),
              to.get(i).label(),
              id.idType(),
              prefix(id.idHash()),
              partlyRefused(decisions.getOrDefault(id, List.of()))));
    }
    return hops;
  }

  private static String partlyRefused(List<Decision> decisions) {
    if (decisions.isEmpty()) {
      return null;
    }
    return "this identifier was refused for some links: "
        + rulesAndDetails(decisions)
        + "; no path avoids it";
  }

  /**
   * Shortest path between two sets of deterministic profiles over merged pairs, likeliest first.
   */
  private static Optional<List<Hop>> profilePath(
      Set<String> from, Set<String> to, List<Candidate> merged) {
    Map<String, List<Candidate>> adjacent = new HashMap<>();
    for (Candidate c : merged.stream().sorted(LIKELIEST_FIRST).toList()) {
      adjacent.computeIfAbsent(c.profileA(), k -> new ArrayList<>()).add(c);
      adjacent.computeIfAbsent(c.profileB(), k -> new ArrayList<>()).add(c);
    }
    Map<String, Candidate> previous = new HashMap<>();
    Set<String> seen = new HashSet<>(from);
    ArrayDeque<String> queue = new ArrayDeque<>(new TreeSet<>(from));
    while (!queue.isEmpty()) {
      String p = queue.poll();
      if (to.contains(p)) {
        return Optional.of(profileHops(p, previous));
      }
      for (Candidate c : adjacent.getOrDefault(p, List.of())) {
        String q = other(c, p);
        if (seen.add(q)) {
          previous.put(q, c);
          queue.add(q);
        }
      }
    }
    return Optional.empty();
  }

  private static List<Hop> profileHops(String last, Map<String, Candidate> previous) {
    List<String[]> ends = new ArrayList<>();
    List<Candidate> via = new ArrayList<>();
    String at = last;
    while (previous.containsKey(at)) {
      Candidate c = previous.get(at);
      String before = other(c, at);
      ends.add(new String[] {before, at});
      via.add(c);
      at = before;
    }
    Collections.reverse(ends);
    Collections.reverse(via);
    List<Hop> hops = new ArrayList<>();
    for (int i = 0; i < via.size(); i++) {
      Candidate c = via.get(i);
      hops.add(
          Hop.probabilistic(
              i + 1,
              ends.get(i)[0],
              ends.get(i)[1],
              c.probability(),
              c.matchWeight(),
              c.candidateId(),
              c.blockingKeys(),
              contributions(c)));
    }
    return hops;
  }

  private static String other(Candidate c, String profile) {
    return c.profileA().equals(profile) ? c.profileB() : c.profileA();
  }

  /** Per-comparison weights of a scored pair, largest absolute weight first, with their levels. */
  static List<Contribution> contributions(Candidate c) {
    if (c.contributions() == null) {
      return List.of();
    }
    Map<String, String> levels = c.levels() == null ? Map.of() : c.levels();
    return c.contributions().entrySet().stream()
        .filter(e -> e.getValue() != null)
        .map(e -> new Contribution(e.getKey(), e.getValue(), levels.get(e.getKey())))
        .sorted(
            Comparator.comparingDouble((Contribution x) -> -Math.abs(x.weight()))
                .thenComparing(Contribution::comparison))
        .toList();
  }

  private static Explanation apart(
      End a, End b, Scope scope, Map<Identifier, List<Decision>> decisions) {
    Map<String, String> finalOf = finalProfiles(scope);
    List<Reason> reasons = new ArrayList<>();
    Map<String, Integer> pairsByStatus = new HashMap<>();
    for (Candidate c : scope.candidates().stream().sorted(LIKELIEST_FIRST).toList()) {
      String sideA = finalOf.get(c.profileA());
      String sideB = finalOf.get(c.profileB());
      boolean between =
          (a.profileId().equals(sideA) && b.profileId().equals(sideB))
              || (b.profileId().equals(sideA) && a.profileId().equals(sideB));
      if (between) {
        reasons.add(pairReason(c));
        pairsByStatus.merge(Objects.toString(c.status()), 1, Integer::sum);
      }
    }
    Map<Identifier, Integer> heldByA = holders(scope, a.profileId());
    Map<Identifier, Integer> heldByB = holders(scope, b.profileId());
    int refusedIds = 0;
    int undecidedIds = 0;
    for (Identifier id :
        heldByA.keySet().stream().filter(heldByB::containsKey).sorted(BY_ID).toList()) {
      List<Decision> ds = decisions.getOrDefault(id, List.of());
      String held =
          String.format(
              Locale.ROOT,
              "%s %s is held by %s of A's final profile and %d of B's",
              id.idType(),
              prefix(id.idHash()),
              plural(heldByA.get(id), "record"),
              heldByB.get(id));
      String text;
      String rules = null;
      if (ds.isEmpty()) {
        undecidedIds++;
        text = held + "; link_decisions has no row for it in this run";
      } else {
        refusedIds++;
        rules =
            ds.stream().map(Decision::rule).distinct().sorted().collect(Collectors.joining(","));
        text = held + "; refused by " + rulesAndDetails(ds);
      }
      reasons.add(Reason.identifier(id.idType(), prefix(id.idHash()), rules, text));
    }
    List<String> notes =
        List.of(
            "A is in final profile "
                + a.profileId()
                + ", B in final profile "
                + b.profileId()
                + ": no chain of links joins them");
    List<String> counts = new ArrayList<>();
    countIf(counts, pairsByStatus.remove(PENDING), "scored pair", "in the review queue");
    countIf(counts, pairsByStatus.remove(REFUSED), "scored pair", "refused");
    countIf(counts, pairsByStatus.remove(MERGED), "scored pair", "marked merged");
    pairsByStatus.forEach(
        (status, n) -> countIf(counts, n, "scored pair", "with status " + status));
    countIf(counts, refusedIds, "shared identifier", "refused");
    countIf(counts, undecidedIds, "shared identifier", "without a link decision");
    String summary =
        counts.isEmpty()
            ? "not joined: no shared identifier or scored pair connects them"
            : "not joined: " + String.join(", ", counts);
    return new Explanation(a, b, false, List.of(), notes, reasons, summary);
  }

  private static Reason pairReason(Candidate c) {
    String pair = "scored pair " + c.profileA() + " - " + c.profileB();
    String p = String.format(Locale.ROOT, "%.3f", c.probability());
    String text;
    if (PENDING.equals(c.status())) {
      text =
          pair
              + " is in the review queue at probability "
              + p
              + String.format(Locale.ROOT, " (match weight %.2f)", c.matchWeight());
    } else if (REFUSED.equals(c.status())) {
      text =
          pair
              + " was refused at probability "
              + p
              + ": "
              + (c.reason() == null ? "no reason recorded" : c.reason());
    } else if (MERGED.equals(c.status())) {
      text =
          pair
              + " is marked merged (probability "
              + p
              + "), yet record_profiles keeps the two apart (split since?)";
    } else {
      text = pair + " has status " + c.status() + " (probability " + p + ")";
    }
    return Reason.scoredPair(
        c.profileA(), c.profileB(), c.status(), c.probability(), contributions(c), text);
  }

  /** How many records of a final profile hold each identifier. */
  private static Map<Identifier, Integer> holders(Scope scope, String profileId) {
    Map<Identifier, Integer> held = new HashMap<>();
    for (RecordRow r : scope.records()) {
      if (profileId.equals(r.profileId())) {
        for (Identifier id : identifiers(r)) {
          held.merge(id, 1, Integer::sum);
        }
      }
    }
    return held;
  }

  /** A record's identifiers, without nulls or repeats, in a stable order. */
  private static List<Identifier> identifiers(RecordRow r) {
    if (r.identifiers() == null) {
      return List.of();
    }
    Set<Identifier> ids = new TreeSet<>(BY_ID);
    for (Identifier id : r.identifiers()) {
      if (id != null && id.idType() != null && id.idHash() != null) {
        ids.add(id);
      }
    }
    return List.copyOf(ids);
  }

  private static String rulesAndDetails(List<Decision> decisions) {
    Set<String> parts = new LinkedHashSet<>();
    for (Decision d : decisions) {
      parts.add(d.detail() == null ? d.rule() : d.rule() + " (" + d.detail() + ")");
    }
    return String.join("; ", parts);
  }

  private static void countIf(List<String> counts, Integer n, String noun, String what) {
    if (n != null && n > 0) {
      counts.add(plural(n, noun) + " " + what);
    }
  }

  private static RecordRef ref(RecordRow r) {
    return new RecordRef(r.source(), r.recordId());
  }

  static String prefix(String hash) {
    return hash.length() <= HASH_PREFIX ? hash : hash.substring(0, HASH_PREFIX);
  }

  private static String plural(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
