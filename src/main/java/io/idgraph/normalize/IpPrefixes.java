package io.idgraph.normalize;

import java.io.Serializable;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Network prefixes of an IP address, the only form in which idgraph keeps IPs: IPv4 "a.b.c" (/24) and
 * "a.b" (/16); IPv6 the first three (/48) or two (/32) hextets. A value is checked to be a literal
 * address before it is parsed, so nothing is ever resolved through DNS.
 */
public final class IpPrefixes implements Serializable {
  private static final Pattern IPV4 =
      Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

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
      String[] octets = ip.split("\\.");
      return Normalized.of(String.join(".", java.util.Arrays.copyOf(octets, v4Octets)));
    }
    if (ip.contains(":") && IPV6_LITERAL.matcher(ip).matches()) {
      try {
        InetAddress address = InetAddress.getByName(ip);
        if (address instanceof Inet6Address) {
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
      } catch (UnknownHostException e) {
        return Normalized.rejected(RejectReason.INVALID_IP);
      }
    }
    return Normalized.rejected(RejectReason.INVALID_IP);
  }
}
