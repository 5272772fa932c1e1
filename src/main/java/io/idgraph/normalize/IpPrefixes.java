package io.idgraph.normalize;

import java.io.Serializable;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Network prefixes of an IP address, the only form in which idgraph keeps IPs: IPv4 "a.b.c" (/24)
 * and "a.b" (/16); IPv6 the first three (/48) or two (/32) hextets, zero-padded and lower-case. An
 * IPv4-mapped IPv6 address (::ffff:a.b.c.d) gets the prefix of its IPv4 address. A value is checked
 * to be a literal address before it is parsed, so nothing is ever resolved through DNS; host names,
 * ports, zone ids and brackets are rejected.
 */
public final class IpPrefixes implements Serializable {
  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  // InetAddress reads a string as a literal only if it starts with a hex digit or ':' and has a
  // ':'; anything else (".::1", a host name) it would look up in DNS, so it never gets there.
  private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9a-fA-F:][0-9a-fA-F:.]*");

  public Normalized ip24(String raw) {
    return prefix(raw, 3, 3);
  }

  public Normalized ip16(String raw) {
    return prefix(raw, 2, 2);
  }

  private static Normalized prefix(String raw, int v4Octets, int v6Hextets) {
    if (raw == null || raw.isBlank()) {
      return Normalized.absent();
    }
    String ip = raw.strip();
    if (IPV4.matcher(ip).matches()) {
      return Normalized.of(v4Prefix(ip, v4Octets));
    }
    if (ip.indexOf(':') < 0 || !IPV6_LITERAL.matcher(ip).matches()) {
      return Normalized.rejected(RejectReason.INVALID_IP);
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(ip);
    } catch (UnknownHostException e) {
      return Normalized.rejected(RejectReason.INVALID_IP);
    }
    if (address instanceof Inet4Address) {
      // Dual-stack servers log IPv4 clients as ::ffff:a.b.c.d; the client keeps its IPv4 prefix.
      return Normalized.of(v4Prefix(address.getHostAddress(), v4Octets));
    }
    byte[] b = address.getAddress();
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < v6Hextets; i++) {
      if (i > 0) {
        out.append(':');
      }
      out.append(String.format("%04x", ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff)));
    }
    return Normalized.of(out.toString());
  }

  private static String v4Prefix(String dottedQuad, int octets) {
    return String.join(".", Arrays.copyOf(dottedQuad.split("\\."), octets));
  }
}
