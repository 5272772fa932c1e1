package io.idgraph.ops;

import io.idgraph.config.BadInputException;
import io.idgraph.normalize.IdType;
import io.idgraph.normalize.IdentifierHasher;
import io.idgraph.normalize.IdentifierNormalizer;
import io.idgraph.normalize.Normalized;
import io.idgraph.normalize.RejectReason;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The identifier a {@code block} names, as (type, hash). A raw value is normalized and hashed
 * exactly as the run treats the same value on a record (same normalizer options, same key), so the
 * block matches what the run stores; a value the normalizer rejects is refused here rather than
 * stored as a hash that could never match. Only the hash is kept; the raw value never reaches a
 * table.
 */
public record BlockTarget(String idType, String idHash) {
  private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");

  /** A raw value of {@code idType}; {@code region} reads national phone numbers. */
  public static BlockTarget ofValue(
      String idType,
      String raw,
      String region,
      IdentifierNormalizer normalizer,
      IdentifierHasher hasher) {
    Normalized n = normalizer.normalize(idType, raw, region);
    if (n.isRejected()) {
      throw new BadInputException(
          "Cannot block "
              + idType
              + " '"
              + raw
              + "': "
              + n.reason()
              + " ("
              + explain(n.reason(), idType, region)
              + "); nothing recorded");
    }
    if (!n.isPresent()) {
      throw new BadInputException("Cannot block an empty " + idType + "; nothing recorded");
    }
    return new BlockTarget(idType, hasher.hash(idType, n.value()));
  }

  /** A hash as stored in identity_links: 64 hex digits, kept in lower case. */
  public static String checkedHash(String hash) {
    if (hash == null || !HEX64.matcher(hash.strip()).matches()) {
      throw new BadInputException(
          "--id-hash must be 64 hex digits (an id_hash of identity_links), got '" + hash + "'");
    }
    return hash.strip().toLowerCase(Locale.ROOT);
  }

  /** A type that can link records, so blocking it means something; signals never link anyway. */
  public static String checkedType(String idType) {
    if (!IdType.isKnownPersonType(idType) && !IdType.isAnonymousType(idType)) {
      throw new BadInputException(
          "--id-type '"
              + idType
              + "' is not a linkable identifier type (email, phone, user_id, anonymous_id,"
              + " device_id, push_endpoint, external_id:<system>)");
    }
    return idType;
  }

  private static String explain(RejectReason reason, String idType, String region) {
    switch (reason) {
      case INVALID_EMAIL:
        return "not an email address";
      case INVALID_PHONE:
        return "not a valid phone number when read in region "
            + region
            + "; give it with +country code or use --region";
      case VALUE_TOO_LONG:
        return "longer than a " + idType + " may be";
      default:
        return "the normalizer rejects it";
    }
  }
}
