package io.idgraph.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idgraph.config.BadInputException;
import io.idgraph.normalize.EmailOptions;
import io.idgraph.normalize.IdentifierHasher;
import io.idgraph.normalize.IdentifierNormalizer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A blocked value is hashed as the run hashes the same value on a record; bad values are refused.
 */
class BlockTargetTest {
  private static final IdentifierHasher HASHER =
      new IdentifierHasher("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
  private static final IdentifierNormalizer NORMALIZER =
      new IdentifierNormalizer(EmailOptions.DEFAULTS);

  @Test
  void emailIsNormalizedThenHashed() {
    BlockTarget t = BlockTarget.ofValue("email", " Ann+News@Acme.IO ", null, NORMALIZER, HASHER);
    assertThat(t).isEqualTo(new BlockTarget("email", HASHER.hash("email", "ann@acme.io")));
    BlockTarget keepTag =
        BlockTarget.ofValue(
            "email",
            "ann+news@acme.io",
            null,
            new IdentifierNormalizer(new EmailOptions(false)),
            HASHER);
    assertThat(keepTag.idHash()).isEqualTo(HASHER.hash("email", "ann+news@acme.io"));
  }

  @Test
  void nationalPhoneIsReadInTheRegion() {
    BlockTarget us = BlockTarget.ofValue("phone", "(650) 253-0000", "US", NORMALIZER, HASHER);
    assertThat(us.idHash()).isEqualTo(HASHER.hash("phone", "+16502530000"));
    BlockTarget gb = BlockTarget.ofValue("phone", "020 7946 0000", "GB", NORMALIZER, HASHER);
    assertThat(gb.idHash()).isEqualTo(HASHER.hash("phone", "+442079460000"));
    // A London number is not a number in the US: refused, never guessed.
    assertThatThrownBy(
            () -> BlockTarget.ofValue("phone", "020 7946 0000", "US", NORMALIZER, HASHER))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("INVALID_PHONE")
        .hasMessageContaining("region US");
  }

  @Test
  void userIdIsTrimmed() {
    assertThat(BlockTarget.ofValue("user_id", " u-17 ", null, NORMALIZER, HASHER).idHash())
        .isEqualTo(HASHER.hash("user_id", "u-17"));
  }

  @Test
  void badOrEmptyValuesAreRefusedWithTheNormalizersReason() {
    assertThatThrownBy(() -> BlockTarget.ofValue("email", "ann-at-acme", null, NORMALIZER, HASHER))
        .isInstanceOf(BadInputException.class)
        .hasMessage(
            "Cannot block email 'ann-at-acme': INVALID_EMAIL (not an email address); nothing"
                + " recorded");
    assertThatThrownBy(() -> BlockTarget.ofValue("user_id", "  ", null, NORMALIZER, HASHER))
        .hasMessageContaining("Cannot block an empty user_id");
  }

  @Test
  void hashesAndTypesAreChecked() {
    assertThat(BlockTarget.checkedHash("AB".repeat(32))).isEqualTo("ab".repeat(32));
    assertThatThrownBy(() -> BlockTarget.checkedHash("abc"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("64 hex digits");
    assertThat(BlockTarget.checkedType("external_id:crm")).isEqualTo("external_id:crm");
    assertThatThrownBy(() -> BlockTarget.checkedType("ip24"))
        .hasMessageContaining("not a linkable identifier type");
  }
}
