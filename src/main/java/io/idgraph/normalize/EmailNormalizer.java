package io.idgraph.normalize;

import java.io.Serializable;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Normalizes email addresses: strips a {@code mailto:} prefix, angle brackets and quotes, trims,
 * lower-cases, checks the shape (one @; a local part of letters, digits and . _ % + - ' without
 * leading, trailing or double dots; a dotted domain whose labels do not start or end with '-'; a TLD of
 * two or more letters), and by default drops a "+tag". Addresses over 254 characters are rejected as
 * too long. This is a shape check, not deliverability: junk such as no@email.com passes here.
 */
public final class EmailNormalizer implements Serializable {
  private static final Pattern LOCAL = Pattern.compile("[a-z0-9._%+'\\-]+");
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
  private static final Pattern TLD = Pattern.compile("[a-z]{2,}");

  private final EmailOptions options;

  public EmailNormalizer(EmailOptions options) {
    this.options = options;
  }

  public Normalized normalize(String raw) {
    if (raw == null || raw.isBlank()) {
      return Normalized.absent();
    }
    String s = unwrap(raw.strip().toLowerCase(Locale.ROOT));
    if (s.length() > 254) {
      return Normalized.rejected(RejectReason.VALUE_TOO_LONG);
    }
    int at = s.indexOf('@');
    if (at <= 0 || at != s.lastIndexOf('@') || at == s.length() - 1) {
      return Normalized.rejected(RejectReason.INVALID_EMAIL);
    }
    String local = s.substring(0, at);
    String domain = s.substring(at + 1);
    if (!validLocal(local) || !validDomain(domain)) {
      return Normalized.rejected(RejectReason.INVALID_EMAIL);
    }
    if (options.stripPlusTag()) {
      int plus = local.indexOf('+');
      if (plus == 0) {
        return Normalized.rejected(RejectReason.INVALID_EMAIL);
      }
      if (plus > 0) {
        local = local.substring(0, plus);
        if (local.endsWith(".")) {
          return Normalized.rejected(RejectReason.INVALID_EMAIL);
        }
      }
    }
    return Normalized.of(local + "@" + domain);
  }

  /**
   * Peels "mailto:", angle brackets and quotes in any order and nesting, so "<mailto:ann@x.com>"
   * and "mailto:<ann@x.com>" both come out as "ann@x.com".
   */
  private static String unwrap(String s) {
    String previous;
    do {
      previous = s;
      if (s.startsWith("mailto:")) {
        s = s.substring("mailto:".length()).strip();
      }
      if (s.length() >= 2 && isWrapped(s)) {
        s = s.substring(1, s.length() - 1).strip();
      }
    } while (!s.equals(previous));
    return s;
  }

  private static boolean isWrapped(String s) {
    return (s.startsWith("<") && s.endsWith(">"))
        || (s.startsWith("\"") && s.endsWith("\""))
        || (s.startsWith("'") && s.endsWith("'"));
  }

  private static boolean validLocal(String local) {
    return LOCAL.matcher(local).matches()
        && !local.startsWith(".")
        && !local.endsWith(".")
        && !local.contains("..");
  }

  private static boolean validDomain(String domain) {
    String[] labels = domain.split("\\.", -1);
    if (labels.length < 2) {
      return false;
    }
    for (String label : labels) {
      if (label.isEmpty() || label.length() > 63 || !LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return TLD.matcher(labels[labels.length - 1]).matches();
  }
}
