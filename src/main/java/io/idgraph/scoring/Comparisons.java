package io.idgraph.scoring;

import java.time.Duration;
import java.time.Instant;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;

/**
 * The comparisons of a candidate pair of profiles, each a pure function from the two sides' values to
 * a level: 0 is the strongest agreement, higher levels agree less, the last level is disagreement, and
 * {@link #NULL} means the pair cannot be compared (a value is missing on one side), which the model
 * treats as no evidence either way, as Splink does.
 */
public final class Comparisons {
  /** The pair cannot be compared on this signal. */
  public static final int NULL = -1;

  private static final JaroWinklerSimilarity JARO_WINKLER = new JaroWinklerSimilarity();

  private Comparisons() {}

  /** Levels of {@link #fingerprint}: same device fingerprint, different. */
  public static final String[] FINGERPRINT_LEVELS = {"same", "different"};

  /**
   * Device fingerprint (user agent, screen, time zone, locale). The weight of "same" is adjusted by
   * how common the fingerprint is (see {@link FellegiSunter#weight}).
   */
  public static int fingerprint(String a, String b) {
    if (a == null || b == null) {
      return NULL;
    }
    return a.equals(b) ? 0 : 1;
  }

  /** Levels of {@link #sessionGap}. */
  public static final String[] SESSION_GAP_LEVELS = {"within 30 min", "within 1 day", "within 7 days", "more"};

  /**
   * The gap between one profile's last activity and the other's first (0 when their activity
   * overlaps): a new cookie that starts minutes after another ends is often the same browser reset.
   */
  public static int sessionGap(Instant aFirst, Instant aLast, Instant bFirst, Instant bLast) {
    if (aFirst == null || aLast == null || bFirst == null || bLast == null) {
      return NULL;
    }
    Duration gap;
    if (aLast.isBefore(bFirst)) {
      gap = Duration.between(aLast, bFirst);
    } else if (bLast.isBefore(aFirst)) {
      gap = Duration.between(bLast, aFirst);
    } else {
      gap = Duration.ZERO;
    }
    if (gap.compareTo(Duration.ofMinutes(30)) <= 0) {
      return 0;
    }
    if (gap.compareTo(Duration.ofDays(1)) <= 0) {
      return 1;
    }
    return gap.compareTo(Duration.ofDays(7)) <= 0 ? 2 : 3;
  }

  /** Levels of {@link #ipPrefix}. */
  public static final String[] IP_LEVELS = {"same /24", "same /16", "different"};

  /** IP prefixes (hashed /24 and /16, as the normalizer stores them). */
  public static int ipPrefix(String a24, String a16, String b24, String b16) {
    if ((a24 == null && a16 == null) || (b24 == null && b16 == null)) {
      return NULL;
    }
    if (a24 != null && a24.equals(b24)) {
      return 0;
    }
    return a16 != null && a16.equals(b16) ? 1 : 2;
  }

  /** Levels of {@link #distance}. */
  public static final String[] DISTANCE_LEVELS = {"within 1 km", "within 10 km", "within 50 km", "farther"};

  /** Distance between two coordinates (context.location), great-circle. */
  public static int distance(Double aLat, Double aLon, Double bLat, Double bLon) {
    if (aLat == null || aLon == null || bLat == null || bLon == null) {
      return NULL;
    }
    double km = kilometres(aLat, aLon, bLat, bLon);
    if (km <= 1) {
      return 0;
    }
    if (km <= 10) {
      return 1;
    }
    return km <= 50 ? 2 : 3;
  }

  /** Haversine distance in kilometres on a sphere of the Earth's mean radius. */
  public static double kilometres(double aLat, double aLon, double bLat, double bLon) {
    double dLat = Math.toRadians(bLat - aLat);
    double dLon = Math.toRadians(bLon - aLon);
    double h =
        Math.sin(dLat / 2) * Math.sin(dLat / 2)
            + Math.cos(Math.toRadians(aLat)) * Math.cos(Math.toRadians(bLat))
                * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  /** Levels of {@link #referral}. */
  public static final String[] REFERRAL_LEVELS = {"same campaign", "same referrer", "different"};

  /** Referral path: the same campaign (utm_campaign) or, failing that, the same referring site. */
  public static int referral(String aCampaign, String aReferrer, String bCampaign, String bReferrer) {
    boolean aNone = aCampaign == null && aReferrer == null;
    boolean bNone = bCampaign == null && bReferrer == null;
    if (aNone || bNone) {
      return NULL;
    }
    if (aCampaign != null && aCampaign.equals(bCampaign)) {
      return 0;
    }
    return aReferrer != null && aReferrer.equals(bReferrer) ? 1 : 2;
  }

  /** Levels of {@link #name}. */
  public static final String[] NAME_LEVELS = {"exact", "Jaro-Winkler >= 0.92", "Jaro-Winkler >= 0.80", "different"};

  /** Full names, case- and space-folded, compared exactly and then by Jaro-Winkler similarity. */
  public static int name(String aFirst, String aLast, String bFirst, String bLast) {
    String a = fullName(aFirst, aLast);
    String b = fullName(bFirst, bLast);
    if (a == null || b == null) {
      return NULL;
    }
    if (a.equals(b)) {
      return 0;
    }
    double similarity = JARO_WINKLER.apply(a, b);
    if (similarity >= 0.92) {
      return 1;
    }
    return similarity >= 0.80 ? 2 : 3;
  }

  private static String fullName(String first, String last) {
    if (first == null || last == null || first.isBlank() || last.isBlank()) {
      return null;
    }
    return (first.strip() + " " + last.strip()).toLowerCase(java.util.Locale.ROOT).replaceAll("\\s+", " ");
  }
}
