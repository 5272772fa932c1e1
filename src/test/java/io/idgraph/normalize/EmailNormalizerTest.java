package io.idgraph.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EmailNormalizerTest {
  private final EmailNormalizer strip = new EmailNormalizer(EmailOptions.DEFAULTS);
  private final EmailNormalizer keep = new EmailNormalizer(new EmailOptions(false));

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Ann@Example.com|ann@example.com",
        "  ANN@EXAMPLE.COM  |ann@example.com",
        "ann+news@example.com|ann@example.com",
        "mailto:Ann@Example.com|ann@example.com",
        "<ann@example.com>|ann@example.com",
        "\"ann@example.com\"|ann@example.com",
        "o'brien.j_x-y%z@mail.example.co.uk|o'brien.j_x-y%z@mail.example.co.uk",
        "no@email.com|no@email.com",
        "ann+a+b@x.com|ann@x.com",
        "ann+@x.com|ann@x.com",
        "MAILTO:Ann@X.com|ann@x.com",
        "mailto:<Ann@X.com>|ann@x.com",
        "<mailto:ann@x.com>|ann@x.com",
        " < 'ann@x.com' > |ann@x.com",
        "ann@sub-domain.x.museum|ann@sub-domain.x.museum"
      })
  void normalizesValidAddresses(String raw, String expected) {
    assertThat(strip.normalize(raw)).isEqualTo(Normalized.of(expected));
  }

  @Test
  void plusTagIsKeptWhenConfigured() {
    assertThat(keep.normalize("Ann+News@x.com").value()).isEqualTo("ann+news@x.com");
    assertThat(keep.normalize("+x@y.com").value()).isEqualTo("+x@y.com");
    assertThat(keep.normalize("a.+tag@x.com").value()).isEqualTo("a.+tag@x.com");
    assertThat(keep.normalize("a@@x.com").reason()).isEqualTo(RejectReason.INVALID_EMAIL);
  }

  @Test
  void strippingThePlusTagMustLeaveAValidLocalPart() {
    assertThat(strip.normalize("+x@y.com").reason()).isEqualTo(RejectReason.INVALID_EMAIL);
    assertThat(strip.normalize("a.+tag@x.com").reason()).isEqualTo(RejectReason.INVALID_EMAIL);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ann@",
        "@x.com",
        "bob at x.com",
        "a@@x.com",
        "a@b@x.com",
        "ann@localhost",
        "ann@x.c",
        "ann@x.123",
        ".ann@x.com",
        "ann.@x.com",
        "an..n@x.com",
        "ann@-x.com",
        "ann@x-.com",
        "ann@x..com",
        "an n@x.com",
        "+tag@x.com",
        "ann@x.com.",
        "ann@example",
        "ann@x.c0m",
        "ann@x_y.com",
        "<ann@x.com",
        "ann@x.com>",
        "ann(at)x.com",
        "ann@x.com;bob@y.com",
        "Ann Lee <ann@x.com>",
        "ann@.com",
        "mailto:",
        "<>",
        "\"\""
      })
  void rejectsNonAddresses(String raw) {
    assertThat(strip.normalize(raw)).isEqualTo(Normalized.rejected(RejectReason.INVALID_EMAIL));
  }

  @Test
  void blankIsAbsentAndHugeIsTooLong() {
    assertThat(strip.normalize(null)).isEqualTo(Normalized.absent());
    assertThat(strip.normalize("   ")).isEqualTo(Normalized.absent());
    assertThat(strip.normalize("\t\n")).isEqualTo(Normalized.absent());
    assertThat(strip.normalize("a".repeat(250) + "@x.com").reason())
        .isEqualTo(RejectReason.VALUE_TOO_LONG);
  }

  @Test
  void lengthLimitIsTwoHundredFiftyFourAfterUnwrapping() {
    String longest = "a".repeat(248) + "@x.com";
    assertThat(longest).hasSize(254);
    assertThat(strip.normalize(" <" + longest.toUpperCase() + "> ").value()).isEqualTo(longest);
    assertThat(strip.normalize("a" + longest).reason()).isEqualTo(RejectReason.VALUE_TOO_LONG);
  }
}
