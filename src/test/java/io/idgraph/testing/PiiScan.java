package io.idgraph.testing;

import io.idgraph.normalize.Normalized;
import io.idgraph.normalize.PhoneNormalizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The raw emails, phones and IP addresses of a folder of exports, and a scan of any text (a table as
 * JSON, a log, a report) for them. Emails are matched case-insensitively, phones in the form of the
 * export and in E.164 (with and without its {@code +}), IPs whole.
 *
 * <p>The scan tokenizes the text (email-like, IPv4-like and digit-run tokens) and looks each token
 * up, so a log of megabytes is scanned against thousands of values in one pass.
 */
public final class PiiScan {
  private static final Pattern EMAIL =
      Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
  private static final Pattern IPV4 = Pattern.compile("(?<![\\d.])\\d{1,3}(?:\\.\\d{1,3}){3}(?![\\d.])");
  private static final Pattern JSON_IP = Pattern.compile("\"ip\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern JSON_PHONE = Pattern.compile("\"phone\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern DIGITS = Pattern.compile("\\+?\\d{7,}");

  private final Set<String> emails = new HashSet<>();
  private final Set<String> ips = new HashSet<>();
  private final Set<String> phoneDigits = new HashSet<>();
  private final Set<String> rawPhones = new HashSet<>();

  /** What the exports under {@code folder} (every file, recursively) hold. */
  public static PiiScan ofExports(Path folder, String region) {
    PiiScan scan = new PiiScan();
    PhoneNormalizer phones = new PhoneNormalizer();
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Matcher m = EMAIL.matcher(text);
        while (m.find()) {
          scan.emails.add(m.group().toLowerCase(Locale.ROOT));
        }
        m = JSON_IP.matcher(text);
        while (m.find()) {
          scan.ips.add(m.group(1));
        }
        List<String> rawPhones = new ArrayList<>();
        m = JSON_PHONE.matcher(text);
        while (m.find()) {
          rawPhones.add(m.group(1));
        }
        rawPhones.addAll(csvColumns(text, "phone"));
        for (String raw : rawPhones) {
          scan.addPhone(raw.strip(), phones.normalize(raw, region));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return scan;
  }

  private void addPhone(String raw, Normalized e164) {
    if (raw.isEmpty()) {
      return;
    }
    String digits = raw.replaceAll("\\D", "");
    if (digits.length() >= 7) {
      phoneDigits.add(digits);
    }
    if (!raw.equals(digits) && !raw.equals("+" + digits)) {
      rawPhones.add(raw);
    }
    if (e164 != null && e164.value() != null) {
      phoneDigits.add(e164.value().replace("+", ""));
    }
  }

  /** Values of every column whose header contains {@code name}, from CSV text (quotes respected). */
  private static List<String> csvColumns(String text, String name) {
    String[] lines = text.split("\r?\n");
    List<String> out = new ArrayList<>();
    if (lines.length == 0 || lines[0].startsWith("{")) {
      return out;
    }
    List<String> header = csvFields(lines[0]);
    for (int c = 0; c < header.size(); c++) {
      if (!header.get(c).toLowerCase(Locale.ROOT).contains(name)) {
        continue;
      }
      for (int i = 1; i < lines.length; i++) {
        List<String> fields = csvFields(lines[i]);
        if (c < fields.size()) {
          out.add(fields.get(c));
        }
      }
    }
    return out;
  }

  private static List<String> csvFields(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (ch == '"') {
        quoted = !quoted;
      } else if (ch == ',' && !quoted) {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(ch);
      }
    }
    fields.add(field.toString());
    return fields;
  }

  /** How many values of each kind the exports hold: a scan over nothing proves nothing. */
  public String sizes() {
    return emails.size() + " emails, " + phoneDigits.size() + " phone forms, " + ips.size() + " IPs";
  }

  public int emailCount() {
    return emails.size();
  }

  public int phoneCount() {
    return phoneDigits.size();
  }

  public int ipCount() {
    return ips.size();
  }

  /** The raw values of the exports that {@code text} holds (sorted), empty when it holds none. */
  public Set<String> foundIn(String text) {
    Set<String> found = new TreeSet<>();
    Matcher m = EMAIL.matcher(text);
    while (m.find()) {
      String email = m.group().toLowerCase(Locale.ROOT);
      if (emails.contains(email)) {
        found.add(email);
      }
    }
    m = IPV4.matcher(text);
    while (m.find()) {
      if (ips.contains(m.group())) {
        found.add(m.group());
      }
    }
    m = DIGITS.matcher(text);
    while (m.find()) {
      String digits = m.group().replace("+", "");
      if (phoneDigits.contains(digits)) {
        found.add(m.group());
      }
    }
    for (String raw : rawPhones) {
      if (text.contains(raw)) {
        found.add(raw);
      }
    }
    return found;
  }
}
