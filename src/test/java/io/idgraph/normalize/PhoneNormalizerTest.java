package io.idgraph.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PhoneNormalizerTest {
  private final PhoneNormalizer phones = new PhoneNormalizer();

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "+1 650-253-0000|-|+16502530000",
        "650.253.0000|US|+16502530000",
        "(650) 253-0000|us|+16502530000",
        "001 650 253 0000|-|+16502530000",
        "030 1234567|DE|+49301234567",
        "0049 30 1234567|US|+49301234567",
        "+49 (0)30 1234567|-|+49301234567",
        "020 7946 0018|GB|+442079460018",
        "+1 650 253 0000 x123|-|+16502530000",
        "650-253-0000 ext. 7|US|+16502530000"
      })
  void normalizesToE164(String raw, String region, String expected) {
    assertThat(phones.normalize(raw, region)).isEqualTo(Normalized.of(expected));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "0000000000|US",
        "1234567890|US",
        "(212) 123-4567|US",
        "12|US",
        "call me|US",
        "650 253 0000|-",
        "650 253 0000|XX",
        "030 1234567|usa"
      })
  void rejectsInvalidOrUnplaceableNumbers(String raw, String region) {
    assertThat(phones.normalize(raw, region)).isEqualTo(Normalized.rejected(RejectReason.INVALID_PHONE));
  }

  @Test
  void blankIsAbsent() {
    assertThat(phones.normalize(" ", "US")).isEqualTo(Normalized.absent());
    assertThat(phones.normalize(null, null)).isEqualTo(Normalized.absent());
  }
}
