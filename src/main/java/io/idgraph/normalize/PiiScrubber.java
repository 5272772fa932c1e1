package io.idgraph.normalize;

import static org.apache.spark.sql.functions.*;

import io.idgraph.source.RawRecords;
import org.apache.spark.sql.Column;

/**
 * Removes personal data from free-form event attributes (page paths, referrers, campaign names,
 * channels) before they are stored in source_records or profile_events. Identifiers are hashed
 * elsewhere; these values are kept readable for analysts, so anything in them that could name a
 * person is cut out instead:
 *
 * <ul>
 *   <li>the value of every query-string parameter except the campaign parameters {@code utm_*}:
 *       trackers put e-mails, user ids, session tokens and click ids there ({@code ?email=…},
 *       {@code ?uid=…}, {@code ?gclid=…}); the parameter name stays so the page still reads;
 *   <li>e-mail addresses, as {@code [email]};
 *   <li>IPv4 addresses, as {@code [ip]};
 *   <li>runs of seven or more digits (with spaces, dots, dashes or brackets between them, an optional
 *       leading +), as {@code [phone]}: a long order number in a path is cut too, a false positive we
 *       accept rather than store a phone number.
 * </ul>
 *
 * Built-in regular-expression columns only (no UDF), so it costs a few string scans per value.
 * Attributes that hold times ({@code event:*} and {@code *_at} keys) are left alone: a date is
 * digits and dashes, and would read as a phone.
 */
public final class PiiScrubber {
  private PiiScrubber() {}

  public static final String EMAIL_MARK = "[email]";
  public static final String PHONE_MARK = "[phone]";
  public static final String IP_MARK = "[ip]";
  public static final String REDACTED = "[redacted]";

  // A parameter after ? or & (or ;), whose name does not start with utm_: its value up to the next
  // separator or fragment.
  private static final String QUERY_VALUE = "([?&;](?!utm_)[^=&#?;\\s]+)=[^&#;\\s]*";
  private static final String EMAIL = "[A-Za-z0-9._%+\\-]+(@|%40)[A-Za-z0-9.\\-]+\\.[A-Za-z]{2,}";
  private static final String IPV4 = "\\b\\d{1,3}(\\.\\d{1,3}){3}\\b";
  private static final String PHONE = "\\+?\\d([\\s().\\-]*\\d){6,}";

  /** The value with query-string values, e-mails, IPs and phone-like digit runs cut out. */
  public static Column scrub(Column value) {
    Column queryless = regexp_replace(value, QUERY_VALUE, "$1=" + REDACTED);
    Column noEmail = regexp_replace(queryless, EMAIL, EMAIL_MARK);
    Column noIp = regexp_replace(noEmail, IPV4, IP_MARK);
    return regexp_replace(noIp, PHONE, PHONE_MARK);
  }

  /** A string map with every value {@link #scrub}bed but for the time-valued keys. */
  public static Column scrubAttributes(Column attributes) {
    return transform_values(
        attributes,
        (k, v) -> when(k.startsWith(RawRecords.EVENT_KEY_PREFIX).or(k.endsWith("_at")), v).otherwise(scrub(v)));
  }
}
