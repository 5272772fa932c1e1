package io.idgraph.normalize;

import java.io.Serializable;

/**
 * Normalizes a raw value of any identifier or signal type: email and phone by their rules, IP
 * prefixes for ip24/ip16, and every other type trimmed and kept exactly (at most 512 characters).
 * Junk values such as "undefined" pass here; blocklists are a separate rule.
 */
public final class IdentifierNormalizer implements Serializable {
  static final int MAX_ID_LENGTH = 512;

  private final EmailNormalizer email;
  private final PhoneNormalizer phone = new PhoneNormalizer();
  private final IpPrefixes ip = new IpPrefixes();

  public IdentifierNormalizer(EmailOptions emailOptions) {
    this.email = new EmailNormalizer(emailOptions);
  }

  /**
   * A part of a valid email or phone. An invalid value is absent here, not rejected: the email or
   * phone identifier it came from already records the rejection.
   */
  private static Normalized part(Normalized whole, java.util.function.UnaryOperator<String> part) {
    return whole.isPresent() ? Normalized.of(part.apply(whole.value())) : Normalized.absent();
  }

  public Normalized normalize(String idType, String raw, String region) {
    if (idType == null) {
      return Normalized.rejected(RejectReason.UNKNOWN_ID_TYPE);
    }
    switch (idType) {
      case IdType.EMAIL:
        return email.normalize(raw);
      case IdType.PHONE:
        return phone.normalize(raw, region);
      case IdType.IP24:
        return ip.ip24(raw);
      case IdType.IP16:
        return ip.ip16(raw);
      case IdType.EMAIL_LOCAL:
        return part(email.normalize(raw), v -> v.substring(0, v.lastIndexOf('@')));
      case IdType.PHONE_TAIL:
        return part(phone.normalize(raw, region), v -> v.substring(Math.max(1, v.length() - 7)));
      default:
        if (!IdType.isValidType(idType)) {
          return Normalized.rejected(RejectReason.UNKNOWN_ID_TYPE);
        }
        if (raw == null || raw.isBlank()) {
          return Normalized.absent();
        }
        String value = raw.strip();
        return value.length() > MAX_ID_LENGTH
            ? Normalized.rejected(RejectReason.VALUE_TOO_LONG)
            : Normalized.of(value);
    }
  }
}
