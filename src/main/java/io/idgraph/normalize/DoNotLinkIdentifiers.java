package io.idgraph.normalize;

import io.idgraph.config.RulesConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The do-not-link identifiers of a config as (type, hash): raw values are normalized and hashed with
 * the run's key on load, so the config may name "shared@family.com" while outputs only ever hold its
 * hash. A raw value that does not normalize is kept as written (it could not match anything anyway).
 */
public final class DoNotLinkIdentifiers {
  private DoNotLinkIdentifiers() {}

  public record Hashed(String type, String hash) {}

  public static List<Hashed> resolve(
      RulesConfig rules, IdentifierNormalizer normalizer, IdentifierHasher hasher) {
    List<Hashed> out = new ArrayList<>();
    for (RulesConfig.DoNotLink d : rules.doNotLink()) {
      out.add(hashed(d, normalizer, hasher));
    }
    return out;
  }

  /** The do-not-link pairs of a config, each as two hashed identifiers. */
  public static List<List<Hashed>> resolvePairs(
      RulesConfig rules, IdentifierNormalizer normalizer, IdentifierHasher hasher) {
    List<List<Hashed>> out = new ArrayList<>();
    for (List<RulesConfig.DoNotLink> pair : rules.doNotLinkPairs()) {
      out.add(List.of(hashed(pair.get(0), normalizer, hasher), hashed(pair.get(1), normalizer, hasher)));
    }
    return out;
  }

  private static Hashed hashed(
      RulesConfig.DoNotLink d, IdentifierNormalizer normalizer, IdentifierHasher hasher) {
    if (d.hash() != null) {
      return new Hashed(d.type(), d.hash().toLowerCase(Locale.ROOT));
    }
    Normalized n = normalizer.normalize(d.type(), d.value(), null);
    return new Hashed(d.type(), hasher.hash(d.type(), n.isPresent() ? n.value() : d.value().strip()));
  }
}
