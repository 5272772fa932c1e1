package io.idgraph.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.cluster.IdentityConstraints.Candidate;
import io.idgraph.config.RulesConfig;
import io.idgraph.normalize.DoNotLinkIdentifiers.Hashed;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-link decisions, without Spark. Tiers: 0 user_id, 1 email, 2 phone, ..., 6 anonymous_id. */
class IdentityConstraintsTest {
  private static final IdentityConstraints DEFAULTS = IdentityConstraints.of(RulesConfig.DEFAULTS, List.of());
  private static final int EMAIL = 1;
  private static final int ANONYMOUS = 6;

  private static Candidate group(long id, String time, String... ids) {
    return new Candidate(id, time == null ? null : Timestamp.from(Instant.parse(time)), Arrays.asList(ids));
  }

  @Test
  void ranksFollowThePriorityAndExternalIdsShareOneEntry() {
    assertThat(DEFAULTS.rank("user_id")).isZero();
    assertThat(DEFAULTS.rank("anonymous_id")).isEqualTo(ANONYMOUS);
    assertThat(DEFAULTS.rank("external_id:crm")).isEqualTo(DEFAULTS.rank("external_id:zendesk")).isEqualTo(3);
    assertThat(DEFAULTS.limit("user_id")).isEqualTo(1);
    assertThat(DEFAULTS.limit("anonymous_id")).isZero();
  }

  @Test
  void sharedBrowserStaysWithTheMostRecentlyIdentifiedPerson() {
    List<String> decisions =
        DEFAULTS.decide(
            List.of(
                group(1, "2026-01-01T00:00:00Z", "user_id=u-ann"),
                group(2, "2026-01-05T00:00:00Z", "user_id=u-bob"),
                group(3, "2026-01-09T00:00:00Z")), // anonymous page views only
            ANONYMOUS);
    assertThat(decisions).containsExactly("limit:user_id", null, null);
  }

  @Test
  void anonymousActivityFollowsTheLoginNearestInTimeAndStaysOutIfThatLoginWasRefused() {
    List<String> decisions =
        DEFAULTS.decide(
            List.of(
                group(1, "2026-05-30T16:00:00Z", "user_id=u-zoe"),
                group(2, "2026-10-24T02:43:00Z", "user_id=u-piet"),
                group(3, "2026-05-30T15:55:00Z"), // Zoe's page views just before her login
                group(4, "2026-10-25T00:00:00Z")), // Piet's, the day after his
            ANONYMOUS);
    assertThat(decisions).containsExactly("limit:user_id", null, "limit:user_id", null);
    // Uncontested, every anonymous group joins.
    assertThat(DEFAULTS.decide(List.of(group(1, "2026-05-30T16:00:00Z", "user_id=u-zoe"),
            group(3, "2026-01-01T00:00:00Z")), ANONYMOUS))
        .containsOnlyNulls();
  }

  @Test
  void tiesAndMissingTimesAreDecidedByGroupIdSoEveryRunAgrees() {
    List<String> decisions =
        DEFAULTS.decide(
            List.of(group(9, null, "user_id=u-1"), group(4, null, "user_id=u-2"), group(7, null, "user_id=u-3")),
            ANONYMOUS);
    assertThat(decisions).containsExactly("limit:user_id", null, "limit:user_id");
  }

  @Test
  void aLimitNeverRefusesALinkThroughAHigherPriorityType() {
    // Six emails on one user id: the email limit (5) cannot split the user id (tier 0)...
    List<Candidate> oneUser =
        List.of(
            group(1, null, "email=e1", "email=e2", "email=e3"),
            group(2, null, "email=e4", "email=e5", "email=e6"));
    assertThat(DEFAULTS.decide(oneUser, 0)).containsOnlyNulls();
    // ...but the same join through an email is refused.
    assertThat(DEFAULTS.decide(oneUser, EMAIL)).containsExactly(null, "limit:email");
  }

  @Test
  void aGroupAlreadyOverALimitMayStillTakeMembersThatAddNothing() {
    // One record with two user ids is never split, and its own email may link it to a subscriber.
    assertThat(
            DEFAULTS.decide(
                List.of(group(1, "2026-01-02T00:00:00Z", "user_id=u-1", "user_id=u-2", "email=e"),
                    group(2, "2026-01-01T00:00:00Z", "email=e")),
                EMAIL))
        .containsOnlyNulls();
    assertThat(DEFAULTS.broken(List.of(List.of("user_id=u-1", "user_id=u-2"), List.of("user_id=u-3")), EMAIL))
        .isEqualTo("limit:user_id");
  }

  @Test
  void doNotLinkPairsNeverMeetUnlessOneRecordAlreadyHoldsBoth() {
    IdentityConstraints rules =
        IdentityConstraints.of(
            RulesConfig.DEFAULTS, List.of(List.of(new Hashed("email", "e-a"), new Hashed("email", "e-b"))));
    assertThat(rules.broken(List.of(List.of("email=e-a"), List.of("email=e-b")), ANONYMOUS))
        .isEqualTo(IdentityConstraints.DO_NOT_LINK_PAIR);
    assertThat(rules.broken(List.of(List.of("email=e-a", "email=e-b"), List.of("phone=p")), ANONYMOUS)).isNull();
    assertThat(rules.pairedKeys()).containsExactlyInAnyOrder("email=e-a", "email=e-b");
  }

  @Test
  void limitsMergeOverTheDefaultsAndZeroRemovesOne() {
    RulesConfig config =
        new RulesConfig(null, null, null, null, null, null, null, Map.of("email", 2, "user_id", 0), 7, null);
    IdentityConstraints rules = IdentityConstraints.of(config, List.of());
    assertThat(rules.limit("email")).isEqualTo(2);
    assertThat(rules.limit("phone")).isEqualTo(5);
    assertThat(rules.limit("user_id")).isZero();
    assertThat(rules.maxIdentifiers()).isEqualTo(7);
    assertThat(rules.broken(List.of(List.of("user_id=a"), List.of("user_id=b")), ANONYMOUS)).isNull();
  }

  @Test
  void describesEveryReasonInASentence() {
    assertThat(DEFAULTS.describe("limit:user_id")).contains("more than 1 user_id");
    assertThat(DEFAULTS.describe("size_cap")).contains("more than 100 identifiers");
    assertThat(DEFAULTS.describe("limit:email:all")).contains("more than 5 email").contains("all refused");
  }
}
