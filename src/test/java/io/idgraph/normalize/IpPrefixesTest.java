package io.idgraph.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpPrefixesTest {
  private final IpPrefixes ips = new IpPrefixes();

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "192.168.10.77|192.168.10|192.168",
        "  10.0.0.1 |10.0.0|10.0",
        "0.0.0.0|0.0.0|0.0",
        "255.255.255.255|255.255.255|255.255",
        "2001:db8:85a3::8a2e:370:7334|2001:0db8:85a3|2001:0db8",
        "2001:DB8::1|2001:0db8:0000|2001:0db8",
        "2001:0db8:85a3:0000:0000:8a2e:0370:7334|2001:0db8:85a3|2001:0db8",
        "fe80::1|fe80:0000:0000|fe80:0000",
        "::1|0000:0000:0000|0000:0000",
        "::ffff:192.168.10.77|192.168.10|192.168"
      })
  void keepsOnlyTheNetworkPrefix(String raw, String ip24, String ip16) {
    assertThat(ips.ip24(raw)).isEqualTo(Normalized.of(ip24));
    assertThat(ips.ip16(raw)).isEqualTo(Normalized.of(ip16));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1..2.3", "-1.2.3.4", "1.2.3.x",
            "1.2.3.4/24",
        "1.2.3.4:80", "1.2.3.4 5", "not-an-ip", "::g", "1::2::3", "12345::", "1:2", "fe80::1%eth0",
        "[2001:db8::1]", "[2001:db8::1]:443", "2001:db8::1/48"
      })
  void rejectsAnythingButALiteralAddress(String raw) {
    assertThat(ips.ip24(raw)).isEqualTo(Normalized.rejected(RejectReason.INVALID_IP));
    assertThat(ips.ip16(raw)).isEqualTo(Normalized.rejected(RejectReason.INVALID_IP));
  }

  // InetAddress.getByName would resolve each of these through DNS; they must be rejected before it.
  @ParameterizedTest
  @ValueSource(
      strings = {"localhost", "example.com", "ip6-localhost", ".::1", "..:", "::1.example.com"})
  void rejectsHostNamesWithoutLookingThemUp(String raw) {
    assertThat(ips.ip24(raw)).isEqualTo(Normalized.rejected(RejectReason.INVALID_IP));
  }

  @Test
  void blankIsAbsent() {
    assertThat(ips.ip24(null)).isEqualTo(Normalized.absent());
    assertThat(ips.ip16("  ")).isEqualTo(Normalized.absent());
  }
}
