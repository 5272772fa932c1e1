package io.idgraph.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.config.RulesConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlocklistTest {
  private final IdentifierNormalizer normalizer = new IdentifierNormalizer(EmailOptions.DEFAULTS);
  private final Blocklist builtin = Blocklist.of(RulesConfig.DEFAULTS, normalizer);

  @Test
  void builtInJunkIsBlockedAndRealValuesAreNot() {
    for (String junk :
        List.of("no@email.com", "test@test.com", "none@gmail.com", "ann@example.com", "x@shop.invalid")) {
      assertThat(builtin.blocks("email", junk)).as(junk).isTrue();
    }
    assertThat(builtin.blocks("email", "ann.lee@gmail.com")).isFalse();
    assertThat(builtin.blocks("email", "notest@gmail.com")).isFalse();
    for (String junk : List.of("+11111111111", "+491234567890", "+4400000000")) {
      assertThat(builtin.blocks("phone", junk)).as(junk).isTrue();
    }
    assertThat(builtin.blocks("phone", "+16502530000")).isFalse();
    for (String junk : List.of("undefined", "NULL", "0", "-1", "000000", "guest", "[object Object]")) {
      assertThat(builtin.blocks("user_id", junk)).as(junk).isTrue();
      assertThat(builtin.blocks("anonymous_id", junk)).as(junk).isTrue();
    }
    assertThat(builtin.blocks("user_id", "u0000042")).isFalse();
    assertThat(builtin.blocks("fingerprint", "undefined")).isFalse();
  }

  @Test
  void configAddsNormalizedValuesAndPatternsAndCanDropTheBuiltIns() {
    Blocklist custom =
        Blocklist.of(
            new RulesConfig(
                false,
                Map.of("email", List.of(" Info@MyShop.com ")),
                Map.of("user_id", List.of("tmp-.*")),
                null, null, null, null, null, null, null),
            normalizer);
    assertThat(custom.blocks("email", "info@myshop.com")).isTrue();
    assertThat(custom.blocks("user_id", "tmp-123")).isTrue();
    assertThat(custom.blocks("user_id", "x-tmp-123")).isFalse();
    assertThat(custom.blocks("email", "no@email.com")).isFalse();
  }
}
