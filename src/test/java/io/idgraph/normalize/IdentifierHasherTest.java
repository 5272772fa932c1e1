package io.idgraph.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class IdentifierHasherTest {
  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

  @Test
  void isKeyedHmacSha256OfTypeAndValue() throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
    String expected =
        HexFormat.of().formatHex(mac.doFinal("email:ann@x.com".getBytes(StandardCharsets.UTF_8)));
    assertThat(new IdentifierHasher(KEY).hash("email", "ann@x.com")).isEqualTo(expected).hasSize(64);
  }

  @Test
  void stableAcrossInstancesAndSerialization() throws Exception {
    IdentifierHasher a = new IdentifierHasher(KEY);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(a);
    }
    IdentifierHasher copy;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (IdentifierHasher) in.readObject();
    }
    assertThat(copy.hash("user_id", "u1")).isEqualTo(new IdentifierHasher(KEY).hash("user_id", "u1"));
  }

  @Test
  void differsByKeyAndByType() {
    IdentifierHasher a = new IdentifierHasher(KEY);
    IdentifierHasher b = new IdentifierHasher("another-key-another-key-another-key".getBytes());
    assertThat(a.hash("email", "x")).isNotEqualTo(b.hash("email", "x"));
    assertThat(a.hash("email", "x")).isNotEqualTo(a.hash("user_id", "x"));
  }

  @Test
  void neverShowsTheKey() {
    assertThat(new IdentifierHasher(KEY).toString()).doesNotContain("0123456789").contains("redacted");
  }
}
