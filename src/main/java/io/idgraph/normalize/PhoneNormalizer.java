package io.idgraph.normalize;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.io.Serializable;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Normalizes phone numbers to E.164 with libphonenumber. A leading {@code 00} is read as the
 * international {@code +}; a number starting with {@code +} needs no region; a national number is
 * read in the given region (ISO alpha-2; unknown codes count as none). Without a region a national
 * number is rejected, and so is any number libphonenumber does not consider valid: a number is
 * never guessed. Extensions ("x12", "ext. 12") and an RFC 3966 "tel:" prefix are dropped. Any other
 * letter rejects the number: libphonenumber would read letters as keypad digits, so "650-253-OOOO"
 * (letter O) would become the valid but different +16502536666.
 */
public final class PhoneNormalizer implements Serializable {
  private static final Pattern EXTENSION =
      Pattern.compile("(?i)\\s*(;\\s*ext=|ext\\.?|extension|x|#)\\s*\\d{1,7}\\s*$");
  private static final Pattern TEL_PREFIX = Pattern.compile("(?i)^tel:\\s*");
  private static final Pattern LETTER = Pattern.compile("\\p{L}");

  public Normalized normalize(String raw, String region) {
    if (raw == null || raw.isBlank()) {
      return Normalized.absent();
    }
    String number = TEL_PREFIX.matcher(raw.strip()).replaceFirst("");
    number = EXTENSION.matcher(number).replaceFirst("").strip();
    if (LETTER.matcher(number).find()) {
      // A wrong number links two people; no number only loses a link.
      return Normalized.rejected(RejectReason.INVALID_PHONE);
    }
    if (number.startsWith("00")) {
      number = "+" + number.substring(2);
    }
    String knownRegion = region(region);
    if (!number.startsWith("+") && knownRegion == null) {
      return Normalized.rejected(RejectReason.INVALID_PHONE);
    }
    // libphonenumber is a process-wide singleton; it is looked up here, never serialized.
    PhoneNumberUtil util = PhoneNumberUtil.getInstance();
    try {
      PhoneNumber parsed = util.parse(number, knownRegion == null ? "ZZ" : knownRegion);
      if (!util.isValidNumber(parsed)) {
        return Normalized.rejected(RejectReason.INVALID_PHONE);
      }
      return Normalized.of(util.format(parsed, PhoneNumberFormat.E164));
    } catch (NumberParseException e) {
      return Normalized.rejected(RejectReason.INVALID_PHONE);
    }
  }

  private static String region(String region) {
    if (region == null || region.isBlank()) {
      return null;
    }
    String code = region.strip().toUpperCase(Locale.ROOT);
    return PhoneNumberUtil.getInstance().getSupportedRegions().contains(code) ? code : null;
  }
}
