package io.idgraph.cluster;

import io.idgraph.config.RulesConfig;
import io.idgraph.normalize.DoNotLinkIdentifiers.Hashed;
import io.idgraph.normalize.IdType;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The identity rules that hold while profiles form: the priority of identifier types, the most
 * identifiers of a type one profile may hold, and identifier pairs that must never meet. Pure Java and
 * serializable, so Spark functions carry it to executors. Decisions are made on small summaries of the
 * groups a link would join (their limited identifiers, written {@code type=hash}), never on the graph.
 *
 * <p>Identifiers of rank k (0 = highest priority) are linked at tier k. A limit on type T is checked
 * at tiers k with rank(T) ≤ k only: a link through a higher-priority identifier is never refused
 * because of a lower-priority type's limit (two emails never split one user id; one shared browser
 * never joins two user ids).
 */
public final class IdentityConstraints implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A link that would give a profile more identifiers of a type than its limit. */
  public static final String LIMIT = "limit";
  /** A link that would put both identifiers of a do-not-link pair into one profile. */
  public static final String DO_NOT_LINK_PAIR = "do_not_link_pair";
  /** A link that would give a profile more identifiers than the size cap. */
  public static final String SIZE_CAP = "size_cap";

  private final List<String> priority;
  private final Map<String, Integer> limits;
  private final Map<String, Set<String>> partners;
  private final int maxIdentifiers;

  IdentityConstraints(
      List<String> priority,
      Map<String, Integer> limits,
      Map<String, Set<String>> partners,
      int maxIdentifiers) {
    this.priority = List.copyOf(priority);
    Map<String, Integer> positive = new HashMap<>();
    limits.forEach(
        (type, limit) -> {
          if (limit != null && limit > 0) {
            positive.put(type, limit);
          }
        });
    this.limits = Map.copyOf(positive);
    this.partners = Map.copyOf(partners);
    this.maxIdentifiers = maxIdentifiers;
  }

  public static IdentityConstraints of(RulesConfig rules, List<List<Hashed>> pairs) {
    Map<String, Set<String>> partners = new HashMap<>();
    for (List<Hashed> pair : pairs) {
      String a = key(pair.get(0).type(), pair.get(0).hash());
      String b = key(pair.get(1).type(), pair.get(1).hash());
      partners.computeIfAbsent(a, k -> new HashSet<>()).add(b);
      partners.computeIfAbsent(b, k -> new HashSet<>()).add(a);
    }
    return new IdentityConstraints(
        rules.priority(), rules.limits(), partners, rules.maxProfileIdentifiers());
  }

  /** No limits, pairs or cap: plain connected components, for comparisons. */
  public static IdentityConstraints none() {
    return new IdentityConstraints(RulesConfig.DEFAULT_PRIORITY, Map.of(), Map.of(), 0);
  }

  public static String key(String type, String hash) {
    return type + "=" + hash;
  }

  private static String typeOf(String key) {
    return key.substring(0, key.indexOf('='));
  }

  public List<String> priority() {
    return priority;
  }

  /** Tiers: one per priority entry, and a last one for linkable types the priority leaves out. */
  public int tiers() {
    return priority.size() + 1;
  }

  /** 0 for the most trusted type; {@code priority.size()} for types not listed. */
  public int rank(String type) {
    int exact = priority.indexOf(type);
    if (exact >= 0) {
      return exact;
    }
    if (IdType.isExternalId(type) && priority.contains("external_id")) {
      return priority.indexOf("external_id");
    }
    return priority.size();
  }

  /** The limit of a type, or 0 for none; {@code external_id} covers every system not named. */
  public int limit(String type) {
    Integer exact = limits.get(type);
    if (exact != null) {
      return exact;
    }
    if (IdType.isExternalId(type)) {
      return limits.getOrDefault("external_id", 0);
    }
    return 0;
  }

  /** Identifier keys that appear in a do-not-link pair. */
  public Set<String> pairedKeys() {
    return partners.keySet();
  }

  public int maxIdentifiers() {
    return maxIdentifiers;
  }

  /** Whether the size cap is on. */
  public boolean capped() {
    return maxIdentifiers > 0;
  }

  /** One candidate group of a link: its id, when it was last seen with the link, its limited ids. */
  public record Candidate(long group, java.sql.Timestamp recency, Collection<String> ids) {}

  /**
   * The per-link decision: which groups one identifier of rank {@code tier} may join.
   *
   * <p>Identified groups (holding an identifier the tier checks, e.g. a user id) are taken most
   * recently seen first (ties: smaller group id), and each is accepted unless it would break a rule
   * together with the groups accepted before it. So a shared browser stays with the person most
   * recently identified on it. Unidentified groups (e.g. anonymous page views) break no rule; when the
   * identifier is contested they follow the identified group nearest to them in time: page views just
   * before Ann's login are Ann's, and stay out (a profile of their own) if Ann's group was refused,
   * rather than being handed to Bob.
   *
   * @return for each candidate, in input order, null (accepted) or the broken rule, e.g. "limit:user_id"
   */
  public List<String> decide(List<Candidate> candidates, int tier) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      order.add(i);
    }
    Comparator<Integer> byRecency =
        Comparator.comparing(
            (Integer i) -> candidates.get(i).recency(),
            Comparator.nullsLast(Comparator.<java.sql.Timestamp>reverseOrder()));
    order.sort(byRecency.thenComparingLong(i -> candidates.get(i).group()));
    List<String> decisions = new ArrayList<>(java.util.Collections.nCopies(candidates.size(), null));
    List<Integer> identified = new ArrayList<>();
    boolean contested = false;
    Merge merge = new Merge(tier);
    for (int i : order) {
      if (candidates.get(i).ids().isEmpty()) {
        continue;
      }
      identified.add(i);
      Merge trial = merge.copy();
      trial.add(candidates.get(i).ids());
      String broken = trial.broken();
      if (broken == null) {
        merge = trial;
      } else {
        decisions.set(i, broken);
        contested = true;
      }
    }
    if (contested) {
      for (int i = 0; i < candidates.size(); i++) {
        if (candidates.get(i).ids().isEmpty()) {
          decisions.set(i, decisions.get(nearest(candidates, identified, i)));
        }
      }
    }
    return decisions;
  }

  /** The identified candidate nearest in time to candidate u (identified is in recency order). */
  private static int nearest(List<Candidate> candidates, List<Integer> identified, int u) {
    java.sql.Timestamp at = candidates.get(u).recency();
    int best = identified.get(0);
    if (at == null) {
      return best;
    }
    long bestGap = Long.MAX_VALUE;
    for (int c : identified) {
      java.sql.Timestamp t = candidates.get(c).recency();
      long gap = t == null ? Long.MAX_VALUE - 1 : Math.abs(t.getTime() - at.getTime());
      if (gap < bestGap) {
        best = c;
        bestGap = gap;
      }
    }
    return best;
  }

  /**
   * A sentence for link_decisions.detail from a reason code: "limit:user_id" (a bridge's own decision),
   * "limit:user_id:all" (the fallback), "size_cap", "do_not_link_pair".
   */
  public String describe(String reason) {
    boolean all = reason.endsWith(":all");
    String code = all ? reason.substring(0, reason.length() - 4) : reason;
    String broke;
    if (code.startsWith(LIMIT + ":")) {
      String type = code.substring(LIMIT.length() + 1);
      broke = "would give one profile more than " + limit(type) + " " + type;
    } else if (code.equals(SIZE_CAP)) {
      broke = "would give one profile more than " + maxIdentifiers + " identifiers (size cap)";
    } else {
      broke = "would put both identifiers of a do-not-link pair into one profile";
    }
    return "linking through this identifier " + broke
        + (all
            ? "; the links of its type in that profile were all refused"
            : "; not linked to the groups counted in degree (it stays with the most recently identified"
                + " profile; anonymous activity follows the profile identified nearest to it in time)");
  }

  /** The rule that joining all these groups at {@code tier} would break, or null. */
  public String broken(List<? extends Collection<String>> members, int tier) {
    Merge merge = new Merge(tier);
    for (Collection<String> m : members) {
      merge.add(m);
    }
    return merge.broken();
  }

  /**
   * Groups being joined. A rule is broken only by the join itself: a type's count may exceed its limit
   * when one member already held that many (a record with two user ids stays whole), and a pair may
   * meet when one member already held both.
   */
  private final class Merge {
    private final int tier;
    private final Set<String> union = new HashSet<>();
    private final Map<String, Integer> largestMember = new HashMap<>();
    private final Set<String> pairsWithinMember = new HashSet<>();

    Merge(int tier) {
      this.tier = tier;
    }

    Merge copy() {
      Merge m = new Merge(tier);
      m.union.addAll(union);
      m.largestMember.putAll(largestMember);
      m.pairsWithinMember.addAll(pairsWithinMember);
      return m;
    }

    void add(Collection<String> member) {
      Map<String, Integer> counts = new HashMap<>();
      for (String id : new HashSet<>(member)) {
        counts.merge(typeOf(id), 1, Integer::sum);
        for (String partner : partners.getOrDefault(id, Set.of())) {
          if (member.contains(partner)) {
            pairsWithinMember.add(pairKey(id, partner));
          }
        }
      }
      counts.forEach((type, n) -> largestMember.merge(type, n, Math::max));
      union.addAll(member);
    }

    String broken() {
      Map<String, Integer> counts = new HashMap<>();
      for (String id : union) {
        counts.merge(typeOf(id), 1, Integer::sum);
      }
      for (var e : new java.util.TreeMap<>(counts).entrySet()) {
        String type = e.getKey();
        int limit = limit(type);
        if (limit > 0
            && rank(type) <= tier
            && e.getValue() > limit
            && e.getValue() > largestMember.getOrDefault(type, 0)) {
          return LIMIT + ":" + type;
        }
      }
      for (String id : union) {
        for (String partner : partners.getOrDefault(id, Set.of())) {
          if (union.contains(partner) && !pairsWithinMember.contains(pairKey(id, partner))) {
            return DO_NOT_LINK_PAIR;
          }
        }
      }
      return null;
    }

    private String pairKey(String a, String b) {
      return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
    }
  }
}
