package io.idgraph.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
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
        "650-253-0000 ext. 7|US|+16502530000",
        "650-253-0000 extension 12|US|+16502530000",
        "650-253-0000;ext=5|US|+16502530000",
        "+1 650 253 0000 #9|-|+16502530000",
        "tel:+1-650-253-0000|-|+16502530000",
        "+1.650.253.0000|-|+16502530000",
        "  +16502530000  |-|+16502530000",
        "+49 30 1234567|US|+49301234567",
        "0049 30 1234567|-|+49301234567",
        "011 49 30 1234567|US|+49301234567",
        "030 1234567| de |+49301234567",
        "06 12 34 56 78|FR|+33612345678",
        "+33 6 12 34 56 78|-|+33612345678",
        "(02) 9374 4000|AU|+61293744000",
        "98765 43210|IN|+919876543210",
        "(212) 555-0100|US|+12125550100",
        "+1 201 555 0123|-|+12015550123"
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
        "030 1234567|usa",
        "030 1234567|-",
        "555-0100|US",
        "+1 555 555 5555|-",
        "07700 900123|GB",
        "1-800-FLOWERS|US",
        "650-253-OOOO|US",
        "abc650 253 0000|US",
        "650 253 0000 x|US",
        "+0 650 253 0000|-",
        "+|-"
      })
  void rejectsInvalidOrUnplaceableNumbers(String raw, String region) {
    assertThat(phones.normalize(raw, region)).isEqualTo(Normalized.rejected(RejectReason.INVALID_PHONE));
  }

  @Test
  void survivesJavaSerializationAsSparkShipsIt() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(phones);
    }
    PhoneNormalizer copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (PhoneNormalizer) in.readObject();
    }
    assertThat(copy.normalize("650 253 0000", "US").value()).isEqualTo("+16502530000");
  }

  @Test
  void blankIsAbsent() {
    assertThat(phones.normalize(" ", "US")).isEqualTo(Normalized.absent());
    assertThat(phones.normalize(null, null)).isEqualTo(Normalized.absent());
  }
}
