package io.idgraph.scoring;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;

/**
 * The comparisons of a candidate pair of profiles, each a pure function from the two sides' values to
 * a level: 0 is the strongest agreement, higher levels agree less, the last level is disagreement, and
 * {@link #NULL} means the pair cannot be compared (a value is missing on one side), which the model
 * treats as no evidence either way, as Splink does. Profiles hold sets (several fingerprints,
 * prefixes, campaigns); two sides agree on such a signal when their sets share a value.
 */
public final class Comparisons {
  /** The pair cannot be compared on this signal. */
  public static final int NULL = -1;

  private static final JaroWinklerSimilarity JARO_WINKLER = new JaroWinklerSimilarity();

  private Comparisons() {}

  /** Levels of {@link #fingerprint}: same device fingerprint, different. */
  public static final String[] FINGERPRINT_LEVELS = {"same", "different"};

  /**
   * Device fingerprints (user agent, screen, time zone, locale) of the two sides: the same when they
   * share one. The weight of "same" is adjusted by how common the fingerprint is (see {@link
   * FellegiSunter#weight}).
   */
  public static int fingerprint(Collection<String> a, Collection<String> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return NULL;
    }
    return overlaps(a, b) ? 0 : 1;
  }

  /** Levels of {@link #sessionGap}. */
  public static final String[] SESSION_GAP_LEVELS = {"within 30 min", "within 1 day", "within 7 days", "more"};

  /**
   * The gap between the two profiles' closest activities: for a browser whose cookie was reset, the
   * old cookie's last event before the reset and the new cookie's first event after it, minutes
   * apart. Two people who merely share a network or a laptop model are rarely active within minutes
   * of each other. Both lists must be sorted; a merge walk finds the smallest gap in linear time.
   */
  public static int sessionGap(List<Instant> a, List<Instant> b) {
    if (a == null || b == null || a.isEmpty() || b.isEmpty()) {
      return NULL;
    }
    long best = Long.MAX_VALUE;
    int i = 0;
    int j = 0;
    while (i < a.size() && j < b.size()) {
      long ai = a.get(i).getEpochSecond();
      long bj = b.get(j).getEpochSecond();
      best = Math.min(best, Math.abs(ai - bj));
      if (ai < bj) {
        i++;
      } else {
        j++;
      }
    }
    Duration gap = Duration.ofSeconds(best);
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

  /** IP prefixes (hashed /24 and /16, as the normalizer stores them) the two sides were seen from. */
  public static int ipPrefix(
      Collection<String> a24, Collection<String> a16, Collection<String> b24, Collection<String> b16) {
    return strongerThenWeaker(a24, a16, b24, b16);
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

  /** Referral path: a shared campaign (utm_campaign) or, failing that, a shared referring site. */
  public static int referral(
      Collection<String> aCampaigns,
      Collection<String> aReferrers,
      Collection<String> bCampaigns,
      Collection<String> bReferrers) {
    return strongerThenWeaker(aCampaigns, aReferrers, bCampaigns, bReferrers);
  }

  /**
   * Level 0 when the sides share a value of the stronger kind, 1 when they share one of the weaker,
   * 2 when they share neither, NULL when a side has no value of either kind.
   */
  private static int strongerThenWeaker(
      Collection<String> aStrong, Collection<String> aWeak, Collection<String> bStrong, Collection<String> bWeak) {
    if ((aStrong.isEmpty() && aWeak.isEmpty()) || (bStrong.isEmpty() && bWeak.isEmpty())) {
      return NULL;
    }
    if (overlaps(aStrong, bStrong)) {
      return 0;
    }
    return overlaps(aWeak, bWeak) ? 1 : 2;
  }

  private static boolean overlaps(Collection<String> a, Collection<String> b) {
    for (String x : a) {
      if (b.contains(x)) {
        return true;
      }
    }
    return false;
  }

  /** Levels of {@link #contactPart}. */
  public static final String[] CONTACT_PART_LEVELS = {
    "same email local part", "same phone last 7 digits", "different"
  };

  /**
   * Partial agreement of emails and phones (hashed parts, as the normalizer stores them): the same
   * local part at another domain (ann.lee@gmail.com, ann.lee@work.com), else the same last seven
   * digits of a phone written with another country code or area. The full values, had they agreed,
   * would have linked the two deterministically. The weight of a shared local part is adjusted by how
   * common it is, so "info" or "sales" counts for little.
   */
  public static int contactPart(
      Collection<String> aLocals, Collection<String> aTails, Collection<String> bLocals, Collection<String> bTails) {
    return strongerThenWeaker(aLocals, aTails, bLocals, bTails);
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
