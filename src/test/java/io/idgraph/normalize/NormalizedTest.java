package io.idgraph.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NormalizedTest {
  @Test
  void presentRejectedAndAbsentAreDistinct() {
    Normalized present = Normalized.of("a@x.com");
    Normalized rejected = Normalized.rejected(RejectReason.INVALID_EMAIL);
    Normalized absent = Normalized.absent();

    assertThat(present.isPresent()).isTrue();
    assertThat(present.isRejected()).isFalse();
    assertThat(rejected.isPresent()).isFalse();
    assertThat(rejected.isRejected()).isTrue();
    assertThat(rejected.reason()).isEqualTo(RejectReason.INVALID_EMAIL);
    assertThat(absent.isPresent()).isFalse();
    assertThat(absent.isRejected()).isFalse();
    assertThat(absent).isEqualTo(new Normalized(null, null));
  }
}
