package io.idgraph.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdentifierNormalizerTest {
  private final IdentifierNormalizer ids = new IdentifierNormalizer(EmailOptions.DEFAULTS);

  @Test
  void dispatchesByType() {
    assertThat(ids.normalize("email", " A@X.com", null).value()).isEqualTo("a@x.com");
    assertThat(ids.normalize("phone", "650 253 0000", "US").value()).isEqualTo("+16502530000");
    assertThat(ids.normalize("user_id", "  u-1 ", null).value()).isEqualTo("u-1");
    assertThat(ids.normalize("external_id:crm", "C1", null).value()).isEqualTo("C1");
    assertThat(ids.normalize("anonymous_id", "", null)).isEqualTo(Normalized.absent());
    assertThat(ids.normalize("user_id", "undefined", null).value()).isEqualTo("undefined");
    assertThat(ids.normalize("nickname", "x", null).reason())
        .isEqualTo(RejectReason.UNKNOWN_ID_TYPE);
    assertThat(ids.normalize("external_id:CRM", "x", null).reason())
        .isEqualTo(RejectReason.UNKNOWN_ID_TYPE);
    assertThat(ids.normalize("device_id", "d".repeat(513), null).reason())
        .isEqualTo(RejectReason.VALUE_TOO_LONG);
  }

  @Test
  void exactTypesAreTrimmedButOtherwiseKept() {
    assertThat(ids.normalize("push_endpoint", " https://push.example/abc?X=1 ", null).value())
        .isEqualTo("https://push.example/abc?X=1");
    assertThat(ids.normalize("fingerprint", "Mozilla/5.0|1920x1080|UTC|en-US", null).value())
        .isEqualTo("Mozilla/5.0|1920x1080|UTC|en-US");
    assertThat(ids.normalize("anonymous_id", "[object Object]", null).value())
        .isEqualTo("[object Object]");
    assertThat(ids.normalize("external_id:crm", "{\"id\":null}", null).value())
        .isEqualTo("{\"id\":null}");
    assertThat(ids.normalize("user_id", "AbC", null).value()).isEqualTo("AbC");
    assertThat(ids.normalize("device_id", "d".repeat(512), null).value()).hasSize(512);
  }

  @Test
  void unknownTypeIsRejectedEvenForBlankValues() {
    assertThat(ids.normalize(null, "x", null).reason()).isEqualTo(RejectReason.UNKNOWN_ID_TYPE);
    assertThat(ids.normalize("nickname", "", null).reason())
        .isEqualTo(RejectReason.UNKNOWN_ID_TYPE);
  }

  @Test
  void rejectionsComeFromTheTypesOwnRules() {
    assertThat(ids.normalize("email", "a@@x.com", null).reason())
        .isEqualTo(RejectReason.INVALID_EMAIL);
    assertThat(ids.normalize("phone", "650 253 0000", null).reason())
        .isEqualTo(RejectReason.INVALID_PHONE);
    assertThat(ids.normalize("ip16", "localhost", null).reason())
        .isEqualTo(RejectReason.INVALID_IP);
    assertThat(
            new IdentifierNormalizer(new EmailOptions(false)).normalize("email", "a+b@x.com", null))
        .isEqualTo(Normalized.of("a+b@x.com"));
  }

  @Test
  void ipPrefixes() {
    assertThat(ids.normalize("ip24", "192.168.10.77", null).value()).isEqualTo("192.168.10");
    assertThat(ids.normalize("ip16", "192.168.10.77", null).value()).isEqualTo("192.168");
    assertThat(ids.normalize("ip24", "2001:db8:85a3::8a2e:370:7334", null).value())
        .isEqualTo("2001:0db8:85a3");
    assertThat(ids.normalize("ip16", "2001:DB8::1", null).value()).isEqualTo("2001:0db8");
    for (String bad : new String[] {"256.1.1.1", "1.2.3", "example.com", "10.0.0.1.5", "::g"}) {
      assertThat(ids.normalize("ip24", bad, null).reason())
          .as(bad)
          .isEqualTo(RejectReason.INVALID_IP);
    }
  }

  @Test
  void emailAndPhonePartsComeFromTheNormalizedValueAndAreAbsentWhenItIsInvalid() {
    IdentifierNormalizer ids = new IdentifierNormalizer(new EmailOptions(true));
    assertThat(ids.normalize("email_local", "  Ann.Lee+news@Gmail.COM ", null).value()).isEqualTo("ann.lee");
    assertThat(ids.normalize("email_local", "bob at x.com", null).isPresent()).isFalse();
    assertThat(ids.normalize("email_local", "bob at x.com", null).isRejected()).isFalse();
    assertThat(ids.normalize("phone_tail", "(201) 604-4620", "US").value()).isEqualTo("6044620");
    assertThat(ids.normalize("phone_tail", "+44 20 7946 0958", null).value()).isEqualTo("9460958");
    assertThat(ids.normalize("phone_tail", "12", "US").isPresent()).isFalse();
  }
}
