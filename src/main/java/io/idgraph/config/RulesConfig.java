package io.idgraph.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Identity rules that keep junk and shared identifiers from gluing people together.
 *
 * @param builtinBlocklist use idgraph's built-in list of junk values per type (default true; see
 *     io.idgraph.normalize.Blocklist)
 * @param blockValues identifier type to values that never become identifiers, compared after
 *     normalization (e.g. {@code email: [info@mycompany.com]}) (default none)
 * @param blockPatterns identifier type to regular expressions matched against the whole normalized
 *     value (default none)
 * @param hubThreshold an identifier seen together with more than this many distinct strong
 *     identifiers (emails, user ids, external ids) is isolated: kept on its records but not used to
 *     link them (default 10; 0 turns hub isolation off)
 * @param hubNameThreshold an identifier carried by records with more than this many distinct names
 *     (first + last, case-folded) is isolated too (default 20; 0 turns it off)
 * @param doNotLink identifiers that are never used to link, each {@code {type, value}} (raw, hashed on
 *     load) or {@code {type, hash}} (default none)
 * @param priority identifier types from most to least trusted; merges are made in this order and a
 *     limit can only refuse a link through a type of lower or equal priority than the limited type.
 *     {@code external_id} stands for every {@code external_id:<system>}; linkable types left out rank
 *     last (default {@link #DEFAULT_PRIORITY})
 * @param limits most distinct identifiers of a type one profile may hold, merged over
 *     {@link #DEFAULT_LIMITS}; 0 removes a limit; {@code external_id} applies to each system
 * @param maxProfileIdentifiers size cap: a merge that would give a profile more distinct identifiers
 *     than this is refused, weakest (lowest-priority, least recent) links first (default 100; 0 off)
 * @param doNotLinkPairs pairs of identifiers that must never end in one profile, each a list of two
 *     {@code {type, value}} or {@code {type, hash}} (default none)
 */
public record RulesConfig(
    Boolean builtinBlocklist,
    Map<String, List<String>> blockValues,
    Map<String, List<String>> blockPatterns,
    Integer hubThreshold,
    Integer hubNameThreshold,
    List<DoNotLink> doNotLink,
    List<String> priority,
    Map<String, Integer> limits,
    Integer maxProfileIdentifiers,
    List<List<DoNotLink>> doNotLinkPairs) {

  public static final int DEFAULT_HUB_THRESHOLD = 10;
  /** Amperity's rule of thumb: a value seen with 20+ distinct names is not one person's. */
  public static final int DEFAULT_HUB_NAME_THRESHOLD = 20;
  public static final List<String> DEFAULT_PRIORITY =
      List.of("user_id", "email", "phone", "external_id", "device_id", "push_endpoint", "anonymous_id");
  /** user_id 1 (one login is one person); email and phone 5 (work, private, old addresses). */
  public static final Map<String, Integer> DEFAULT_LIMITS = Map.of("user_id", 1, "email", 5, "phone", 5);
  public static final int DEFAULT_MAX_PROFILE_IDENTIFIERS = 100;
  public static final RulesConfig DEFAULTS =
      new RulesConfig(null, null, null, null, null, null, null, null, null, null);

  public RulesConfig {
    builtinBlocklist = builtinBlocklist == null || builtinBlocklist;
    blockValues = blockValues == null ? Map.of() : Map.copyOf(blockValues);
    blockPatterns = blockPatterns == null ? Map.of() : Map.copyOf(blockPatterns);
    hubThreshold = hubThreshold == null ? DEFAULT_HUB_THRESHOLD : hubThreshold;
    hubNameThreshold = hubNameThreshold == null ? DEFAULT_HUB_NAME_THRESHOLD : hubNameThreshold;
    doNotLink = doNotLink == null ? List.of() : List.copyOf(doNotLink);
    priority = priority == null ? DEFAULT_PRIORITY : List.copyOf(priority);
    Map<String, Integer> merged = new LinkedHashMap<>(DEFAULT_LIMITS);
    if (limits != null) {
      merged.putAll(limits);
    }
    limits = java.util.Collections.unmodifiableMap(merged); // nulls reach the validator
    maxProfileIdentifiers =
        maxProfileIdentifiers == null ? DEFAULT_MAX_PROFILE_IDENTIFIERS : maxProfileIdentifiers;
    doNotLinkPairs = doNotLinkPairs == null ? List.of() : List.copyOf(doNotLinkPairs);
  }

  /** One do-not-link identifier: a raw value (hashed on load) or a hash, of a type. */
  public record DoNotLink(String type, String value, String hash) {
    @Override
    public String toString() {
      return "DoNotLink[type=" + type + ", value=" + (value == null ? null : "<redacted>")
          + ", hash=" + hash + "]";
    }
  }
}
