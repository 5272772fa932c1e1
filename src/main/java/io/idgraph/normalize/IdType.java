package io.idgraph.normalize;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Identifier type names. They are part of every hash ({@code HMAC(key, type + ":" + value)}), so a
 * value means something different under each type, and renaming a type changes every hash of it.
 * Every {@code is...} check answers false for null (where {@code Set.of(...).contains} throws).
 */
public final class IdType {
  private IdType() {}

  public static final String EMAIL = "email";
  public static final String PHONE = "phone";
  public static final String USER_ID = "user_id";
  public static final String ANONYMOUS_ID = "anonymous_id";
  /** An app's device id (Segment context.device.id). */
  public static final String DEVICE_ID = "device_id";
  public static final String PUSH_ENDPOINT = "push_endpoint";
  /** Prefix of ids from another system, e.g. "external_id:crm" for the CRM contact id. */
  public static final String EXTERNAL_ID_PREFIX = "external_id:";
  /** Scoring signal: userAgent + screen + timezone + locale. Never a deterministic link. */
  public static final String FINGERPRINT = "fingerprint";
  /** Scoring signal: IPv4 /24 (IPv6 /48) prefix. */
  public static final String IP24 = "ip24";
  /** Scoring signal: IPv4 /16 (IPv6 /32) prefix. */
  public static final String IP16 = "ip16";
  /** Signal: the local part of a valid email (before the @), for partial agreement in scoring. */
  public static final String EMAIL_LOCAL = "email_local";
  /** Signal: the last seven digits of a valid phone number, for partial agreement in scoring. */
  public static final String PHONE_TAIL = "phone_tail";

  private static final Set<String> KNOWN_PERSON = Set.of(EMAIL, PHONE, USER_ID);
  private static final Set<String> ANONYMOUS = Set.of(ANONYMOUS_ID, DEVICE_ID, PUSH_ENDPOINT);
  private static final Set<String> SIGNALS = Set.of(FINGERPRINT, IP24, IP16, EMAIL_LOCAL, PHONE_TAIL);
  private static final Pattern EXTERNAL = Pattern.compile("external_id:[a-z0-9_]+");

  public static boolean isExternalId(String type) {
    return type != null && EXTERNAL.matcher(type).matches();
  }

  public static boolean isSignalType(String type) {
    return type != null && SIGNALS.contains(type);
  }

  /** Types that name a person: email, phone, user id, external ids. */
  public static boolean isKnownPersonType(String type) {
    return type != null && (KNOWN_PERSON.contains(type) || isExternalId(type));
  }

  /** Types that name a browser or device, not a person: anonymous id, device id, push endpoint. */
  public static boolean isAnonymousType(String type) {
    return type != null && ANONYMOUS.contains(type);
  }

  public static boolean isValidType(String type) {
    return isKnownPersonType(type) || isAnonymousType(type) || isSignalType(type);
  }
}
