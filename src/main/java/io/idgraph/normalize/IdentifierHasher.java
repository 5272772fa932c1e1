package io.idgraph.normalize;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.Mac;
import org.apache.commons.codec.binary.Hex;
import org.apache.commons.codec.digest.HmacAlgorithms;
import org.apache.commons.codec.digest.HmacUtils;

/**
 * The only form in which identifiers are stored: lower-case hex of
 * {@code HMAC-SHA256(key, type + ":" + normalized value)}. Keyed, so hashes cannot be reversed by
 * hashing a dictionary of emails without the key; type-namespaced, so the same string under two types
 * hashes differently. The key is serialized to executors with this object, never logged.
 */
public final class IdentifierHasher implements Serializable {
  private final byte[] key;
  // javax.crypto.Mac is neither serializable nor thread-safe: one per thread, made on first use.
  private transient ThreadLocal<Mac> mac;

  public IdentifierHasher(byte[] key) {
    this.key = Arrays.copyOf(key, key.length);
  }

  public String hash(String idType, String normalizedValue) {
    if (mac == null) {
      mac = ThreadLocal.withInitial(() -> HmacUtils.getInitializedMac(HmacAlgorithms.HMAC_SHA_256, key));
    }
    byte[] digest =
        mac.get().doFinal((idType + ":" + normalizedValue).getBytes(StandardCharsets.UTF_8));
    return Hex.encodeHexString(digest);
  }

  @Override
  public String toString() {
    return "IdentifierHasher[key=<redacted>]";
  }
}
