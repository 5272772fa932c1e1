package io.idgraph.inspect;

import io.idgraph.config.BadInputException;
import io.idgraph.normalize.IdentifierHasher;
import io.idgraph.normalize.IdentifierNormalizer;
import io.idgraph.normalize.Normalized;

/**
 * An identifier value typed by a user, normalized and hashed exactly as the nightly job treats the
 * same value on a record (same normalizer options, same key), so it finds what the run stored.
 *
 * @param idType email, phone, user_id, ...
 * @param normalized the normalized value (an email lower-cased and without its +tag, a phone in
 *     E.164): the user's own value, shown back to them, never stored
 * @param idHash the hash identity_links holds for it
 */
public record LookupKey(String idType, String normalized, String idHash) {

  /**
   * Normalizes and hashes {@code raw}.
   *
   * @param region ISO alpha-2 region for a national phone number (null: none)
   * @throws BadInputException when the normalizer rejects the value, saying why
   */
  public static LookupKey of(
      String idType,
      String raw,
      String region,
      IdentifierNormalizer normalizer,
      IdentifierHasher hasher) {
    Normalized n = normalizer.normalize(idType, raw, region);
    if (n.isRejected()) {
      throw new BadInputException(
          "'" + raw + "' is not a valid " + idType + ": " + why(n, idType, region));
    }
    if (!n.isPresent()) {
      throw new BadInputException("Give a non-empty " + idType);
    }
    return new LookupKey(idType, n.value(), hasher.hash(idType, n.value()));
  }

  /** {@code email 'ann@x.com' (hash 1a2b3c4d5e6f…)}: the value as the run knows it. */
  public String describe() {
    return idType + " '" + normalized + "' (hash " + idHash.substring(0, 12) + "...)";
  }

  private static String why(Normalized n, String idType, String region) {
    return switch (n.reason()) {
      case INVALID_EMAIL ->
          "INVALID_EMAIL (needs one @, a local part of letters, digits and . _ % + - ', and a"
              + " dotted domain ending in 2+ letters)";
      case INVALID_PHONE ->
          region == null
              ? "INVALID_PHONE (not a valid international number; give it with +country code, or"
                  + " a national number with --region)"
              : "INVALID_PHONE (not a valid number when read in region "
                  + region
                  + "; give it with +country code or another --region)";
      case VALUE_TOO_LONG -> "VALUE_TOO_LONG (longer than a " + idType + " may be)";
      default -> n.reason() + " (the normalizer rejects it)";
    };
  }
}
