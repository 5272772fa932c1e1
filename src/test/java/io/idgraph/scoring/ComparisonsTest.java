package io.idgraph.scoring;

import static io.idgraph.scoring.Comparisons.NULL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ComparisonsTest {
  private static Instant t(String s) {
    return Instant.parse(s);
  }

  @Test
  void fingerprint() {
    assertThat(Comparisons.fingerprint(Set.of("fp1"), Set.of("fp1"))).isZero();
    assertThat(Comparisons.fingerprint(Set.of("fp0", "fp1"), Set.of("fp1", "fp9"))).isZero();
    assertThat(Comparisons.fingerprint(Set.of("fp1"), Set.of("fp2"))).isEqualTo(1);
    assertThat(Comparisons.fingerprint(Set.of(), Set.of("fp2"))).isEqualTo(NULL);
  }

  @Test
  void sessionGapIsTheGapBetweenTheClosestActivitiesEitherWay() {
    List<Instant> a = List.of(t("2026-01-01T10:00:00Z"), t("2026-01-01T11:00:00Z"), t("2026-01-09T08:00:00Z"));
    // A reset cookie 20 minutes after the old one's last event of the session: within 30 min.
    assertThat(Comparisons.sessionGap(a, List.of(t("2026-01-01T11:20:00Z"), t("2026-01-01T11:22:00Z")))).isZero();
    assertThat(Comparisons.sessionGap(List.of(t("2026-01-01T11:20:00Z")), a)).isZero();
    // Spans that overlap are not enough: the closest events here are 4 hours apart.
    assertThat(Comparisons.sessionGap(a, List.of(t("2026-01-03T12:00:00Z"), t("2026-01-09T04:00:00Z")))).isEqualTo(1);
    assertThat(Comparisons.sessionGap(a, List.of(t("2026-01-05T13:00:00Z")))).isEqualTo(2);
    assertThat(Comparisons.sessionGap(a, List.of(t("2026-03-05T13:00:00Z")))).isEqualTo(3);
    assertThat(Comparisons.sessionGap(a, List.of(t("2026-01-01T11:30:00Z")))).isZero();
    assertThat(Comparisons.sessionGap(a, List.of(t("2026-01-01T11:31:00Z")))).isEqualTo(1);
    assertThat(Comparisons.sessionGap(a, List.of())).isEqualTo(NULL);
    assertThat(Comparisons.sessionGap(null, a)).isEqualTo(NULL);
  }

  @Test
  void ipPrefix() {
    assertThat(Comparisons.ipPrefix(Set.of("n24"), Set.of("n16"), Set.of("n24"), Set.of("n16"))).isZero();
    assertThat(Comparisons.ipPrefix(Set.of("n24"), Set.of("n16"), Set.of("x24"), Set.of("n16"))).isEqualTo(1);
    assertThat(Comparisons.ipPrefix(Set.of("n24"), Set.of("n16"), Set.of("x24"), Set.of("x16"))).isEqualTo(2);
    assertThat(Comparisons.ipPrefix(Set.of(), Set.of(), Set.of("x24"), Set.of("x16"))).isEqualTo(NULL);
  }

  @Test
  void distanceUsesGreatCircleKilometres() {
    // Berlin Alexanderplatz to Brandenburg Gate: about 2.3 km.
    assertThat(Comparisons.kilometres(52.5219, 13.4132, 52.5163, 13.3777)).isCloseTo(2.5, within(0.3));
    assertThat(Comparisons.distance(52.5219, 13.4132, 52.5220, 13.4135)).isZero();
    assertThat(Comparisons.distance(52.5219, 13.4132, 52.5163, 13.3777)).isEqualTo(1);
    assertThat(Comparisons.distance(52.52, 13.41, 52.40, 13.06)).isEqualTo(2); // Potsdam, ~27 km
    assertThat(Comparisons.distance(52.52, 13.41, 48.14, 11.58)).isEqualTo(3); // Munich
    assertThat(Comparisons.distance(null, 13.41, 48.14, 11.58)).isEqualTo(NULL);
  }

  @Test
  void referralPrefersTheCampaignThenTheReferrer() {
    assertThat(Comparisons.referral(Set.of("spring"), Set.of("google.com"), Set.of("spring"), Set.of("bing.com")))
        .isZero();
    assertThat(Comparisons.referral(Set.of("spring"), Set.of("google.com"), Set.of("fall"), Set.of("google.com")))
        .isEqualTo(1);
    assertThat(Comparisons.referral(Set.of(), Set.of("google.com"), Set.of(), Set.of("bing.com"))).isEqualTo(2);
    assertThat(Comparisons.referral(Set.of(), Set.of(), Set.of("spring"), Set.of())).isEqualTo(NULL);
  }

  @Test
  void nameIsFoldedThenComparedByJaroWinkler() {
    assertThat(Comparisons.name(" Ann ", "LEE", "ann", "lee")).isZero();
    assertThat(Comparisons.name("Jon", "Smith", "John", "Smith")).isEqualTo(1);
    assertThat(Comparisons.name("Ann", "Lee", "Anna", "Leigh")).isEqualTo(2);
    assertThat(Comparisons.name("Ann", "Lee", "Bob", "Marley")).isEqualTo(3);
    assertThat(Comparisons.name("Ann", null, "Ann", "Lee")).isEqualTo(NULL);
  }

  @Test
  void contactPartPrefersTheEmailLocalPartThenThePhoneTail() {
    assertThat(Comparisons.contactPart(Set.of("l-ann"), Set.of(), Set.of("l-ann"), Set.of("t-1"))).isZero();
    assertThat(Comparisons.contactPart(Set.of("l-ann"), Set.of("t-1"), Set.of("l-bob"), Set.of("t-1"))).isEqualTo(1);
    assertThat(Comparisons.contactPart(Set.of("l-ann"), Set.of("t-1"), Set.of("l-bob"), Set.of("t-2"))).isEqualTo(2);
    assertThat(Comparisons.contactPart(Set.of(), Set.of(), Set.of("l-bob"), Set.of("t-2"))).isEqualTo(NULL);
  }
}
