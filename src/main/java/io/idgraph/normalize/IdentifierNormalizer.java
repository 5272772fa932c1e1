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
