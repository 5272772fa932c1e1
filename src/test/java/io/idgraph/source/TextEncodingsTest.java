package io.idgraph.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TextEncodingsTest {
  private static String mark(int... bytes) {
    byte[] head = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      head[i] = (byte) bytes[i];
    }
    return TextEncodings.fromByteOrderMark(head, head.length);
  }

  @Test
  void byteOrderMarksNameTheirEncoding() {
    assertThat(mark(0xEF, 0xBB, 0xBF)).isEqualTo("UTF-8");
    assertThat(mark(0xFF, 0xFE, 0x41)).isEqualTo("UTF-16LE");
    assertThat(mark(0xFE, 0xFF, 0x00)).isEqualTo("UTF-16BE");
    assertThat(mark('i', 'd', ',')).isNull();
    assertThat(mark(0xEF, 0xBB)).isNull();
    assertThat(mark()).isNull();
  }

  @Test
  void theConfiguredEncodingIsSparksOptionOrItsAliasElseUtf8() {
    assertThat(TextEncodings.configured(Map.of())).isEqualTo("UTF-8");
    assertThat(TextEncodings.configured(Map.of("encoding", "ISO-8859-1"))).isEqualTo("ISO-8859-1");
    assertThat(TextEncodings.configured(Map.of("charset", "windows-1252"))).isEqualTo("windows-1252");
    assertThat(TextEncodings.supported("ISO-8859-1")).isTrue();
    assertThat(TextEncodings.supported("latin-42")).isFalse();
    assertThat(TextEncodings.supported("not a name!")).isFalse();
    assertThat(TextEncodings.wide("UTF-16LE")).isTrue();
    assertThat(TextEncodings.wide("UTF-8")).isFalse();
  }
}
