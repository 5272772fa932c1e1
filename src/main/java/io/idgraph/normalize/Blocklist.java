package io.idgraph.normalize;

import io.idgraph.config.RulesConfig;
import java.io.Serializable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Junk identifier values that must never link anyone: placeholders typed into forms and exports
 * ("no@email.com", "test@test.com", userId "undefined", "0", "-1"), reserved example domains, and
 * phones of one repeated digit or counting sequences. Values are compared in normalized form. Config
 * adds exact values per type (normalized the same way before comparing) and regular expressions
 * matched against the whole normalized value. A blocked value is hashed and counted in
 * link_decisions, but never becomes an identifier.
 *
 * <p>Built-in list, by type:
 *
 * <ul>
 *   <li>email: local part no, none, noemail, no-email, noreply, no-reply, null, na, test, testing,
 *       asdf, unknown, nobody, fake, dummy, xxx; domains example.com/.org/.net, test.com and any
 *       address under .test, .example, .invalid
 *   <li>phone: one repeated digit after the country code; national numbers ending 1234567890,
 *       123456789, 0123456789 or 9876543210
 *   <li>every other identifier type (user_id, anonymous_id, device_id, push_endpoint, external ids),
 *       case-insensitive: null, undefined, none, nil, nan, 0, -1, unknown, anonymous, guest, test,
 *       n/a, na, true, false, [object object], all-zero values, the all-zero UUID
 * </ul>
 */
public final class Blocklist implements Serializable {
  public static final Blocklist NONE = new Blocklist(false, Map.of(), Map.of());

  private static final Set<String> JUNK_LOCAL_PARTS =
      Set.of("no", "none", "noemail", "no-email", "noreply", "no-reply", "null", "na", "test",
          "testing", "asdf", "unknown", "nobody", "fake", "dummy", "xxx");
  private static final Pattern JUNK_DOMAIN =
      Pattern.compile("(example\\.(com|org|net)|test\\.com|.*\\.(test|example|invalid))");
  private static final Pattern JUNK_PHONE =
      Pattern.compile("\\+\\d{1,3}?(\\d)\\1{6,}|\\+\\d*(1234567890|123456789|0123456789|9876543210)");
  private static final Set<String> JUNK_IDS =
      Set.of("null", "undefined", "none", "nil", "nan", "0", "-1", "unknown", "anonymous", "guest",
          "test", "n/a", "na", "true", "false", "[object object]",
          "00000000-0000-0000-0000-000000000000");
  private static final Pattern ALL_ZEROS = Pattern.compile("0+");

  private final boolean builtin;
  private final Map<String, Set<String>> values;
  private final Map<String, List<Pattern>> patterns;

  private Blocklist(
      boolean builtin, Map<String, Set<String>> values, Map<String, List<Pattern>> patterns) {
    this.builtin = builtin;
    this.values = values;
    this.patterns = patterns;
  }

  /** The blocklist a job config asks for; config values are normalized like identifiers. */
  public static Blocklist of(RulesConfig rules, IdentifierNormalizer normalizer) {
    Map<String, Set<String>> values = new HashMap<>();
    rules.blockValues().forEach(
        (type, list) -> {
          Set<String> normalized = new HashSet<>();
          for (String raw : list) {
            Normalized n = normalizer.normalize(type, raw, null);
            normalized.add(n.isPresent() ? n.value() : raw.strip());
          }
          values.put(type, normalized);
        });
    Map<String, List<Pattern>> patterns = new HashMap<>();
    rules.blockPatterns().forEach(
        (type, list) -> patterns.put(type, list.stream().map(Pattern::compile).toList()));
    return new Blocklist(rules.builtinBlocklist(), values, patterns);
  }

  /** Whether a normalized value of this type is junk. Scoring signals are never blocked. */
  public boolean blocks(String idType, String normalizedValue) {
    if (IdType.isSignalType(idType) || normalizedValue == null) {
      return false;
    }
    if (values.getOrDefault(idType, Set.of()).contains(normalizedValue)) {
      return true;
    }
    for (Pattern p : patterns.getOrDefault(idType, List.of())) {
      if (p.matcher(normalizedValue).matches()) {
        return true;
      }
    }
    return builtin && builtinBlocks(idType, normalizedValue);
  }

  private static boolean builtinBlocks(String idType, String value) {
    switch (idType) {
      case IdType.EMAIL:
        int at = value.indexOf('@');
        return at > 0
            && (JUNK_LOCAL_PARTS.contains(value.substring(0, at))
                || JUNK_DOMAIN.matcher(value.substring(at + 1)).matches());
      case IdType.PHONE:
        return JUNK_PHONE.matcher(value).matches();
      default:
        String v = value.toLowerCase(Locale.ROOT);
        return JUNK_IDS.contains(v) || ALL_ZEROS.matcher(v).matches();
    }
  }
}
