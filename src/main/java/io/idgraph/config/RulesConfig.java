package io.idgraph.config;

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
 * @param doNotLink identifiers that are never used to link, each {@code {type, value}} (raw, hashed on
 *     load) or {@code {type, hash}} (default none)
 */
public record RulesConfig(
    Boolean builtinBlocklist,
    Map<String, List<String>> blockValues,
    Map<String, List<String>> blockPatterns,
    Integer hubThreshold,
    List<DoNotLink> doNotLink) {

  public static final int DEFAULT_HUB_THRESHOLD = 10;
  public static final RulesConfig DEFAULTS = new RulesConfig(null, null, null, null, null);

  public RulesConfig {
    builtinBlocklist = builtinBlocklist == null || builtinBlocklist;
    blockValues = blockValues == null ? Map.of() : Map.copyOf(blockValues);
    blockPatterns = blockPatterns == null ? Map.of() : Map.copyOf(blockPatterns);
    hubThreshold = hubThreshold == null ? DEFAULT_HUB_THRESHOLD : hubThreshold;
    doNotLink = doNotLink == null ? List.of() : List.copyOf(doNotLink);
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
