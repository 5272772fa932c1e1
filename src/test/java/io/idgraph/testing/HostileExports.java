package io.idgraph.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Writes hostile exports into an input folder, one source per file so each file's outcome can be
 * checked on its own: random bytes, Latin-1 and UTF-16 files, a UTF-8 byte-order mark, 1 MB fields,
 * thousands of columns, quotes and newlines inside fields, numbers in exponent form, emoji and
 * right-to-left names, timestamps in 1970, in the future and in mixed formats, duplicated record ids,
 * empty files and header-only files, for the CSV connectors (crm, email, support) and the JSON Lines
 * web connector. Deterministic (fixed seed).
 *
 * <p>Each {@link HostileFile} says exactly which record ids must be accepted (in record_profiles),
 * which rows must be rejected whole and why, which values inside good rows must be rejected, and what
 * some accepted records must look like after decoding (traits, event time).
 */
public final class HostileExports {
  private HostileExports() {}

  static final String CRM_HEADER =
      "contact_id,email,phone,first_name,last_name,company,city,country,user_id,created_at,updated_at";
  static final String EMAIL_HEADER =
      "subscriber_id,email,status,first_name,last_name,subscribed_at,last_opened_at";
  static final String SUPPORT_HEADER =
      "ticket_id,requester_email,requester_phone,requester_name,channel,subject,created_at";

  /** 1 MB of text: a field no export should carry, which must neither crash nor stall the night. */
  public static final int HUGE = 1 << 20;

  /** A value rejected inside an accepted row: the record keeps its other values. */
  public record ValueReject(String recordId, String field, String reason) {}

  /**
   * One hostile file and everything the night must make of it.
   *
   * @param source the source name
   * @param type connector type
   * @param path the source's path under the input folder: this file, or the folder holding it
   * @param file the file's name
   * @param yamlExtra extra keys of the source entry (e.g. {@code reader_options: {encoding: ISO-8859-1}}), or ""
   * @param good record ids that must be accepted
   * @param bad record id → reason of rows rejected whole that still carry an id
   * @param badWithoutId reason → number of rows rejected whole without a usable id (null record_ref)
   * @param superseded record id → number of its older rows rejected as DUPLICATE_SUPERSEDED
   * @param valueRejects values rejected inside accepted rows
   * @param traits record id → traits its accepted record must carry exactly as given
   * @param times record id → the event time (ISO instant, UTC) its accepted record must have, or
   *     "null" when the time must be rejected
   * @param rowsInFile physical rows in the file (for the "nothing silently dropped" check), or -1
   *     when the file has no countable rows (random bytes)
   */
  public record HostileFile(
      String source,
      String type,
      String path,
      String file,
      String yamlExtra,
      Set<String> good,
      Map<String, String> bad,
      Map<String, Integer> badWithoutId,
      Map<String, Integer> superseded,
      List<ValueReject> valueRejects,
      Map<String, Map<String, String>> traits,
      Map<String, String> times,
      int rowsInFile) {}

  /** Mutable builder of one file's expectations. */
  private static final class Expect {
    final Set<String> good = new LinkedHashSet<>();
    final Map<String, String> bad = new LinkedHashMap<>();
    final Map<String, Integer> badWithoutId = new LinkedHashMap<>();
    final Map<String, Integer> superseded = new LinkedHashMap<>();
    final List<ValueReject> valueRejects = new ArrayList<>();
    final Map<String, Map<String, String>> traits = new LinkedHashMap<>();
    final Map<String, String> times = new LinkedHashMap<>();

    Expect good(String... ids) {
      good.addAll(List.of(ids));
      return this;
    }

    Expect bad(String id, String reason) {
      bad.put(id, reason);
      return this;
    }

    Expect badWithoutId(String reason) {
      badWithoutId.merge(reason, 1, Integer::sum);
      return this;
    }

    Expect superseded(String id) {
      superseded.merge(id, 1, Integer::sum);
      return this;
    }

    Expect value(String id, String field, String reason) {
      valueRejects.add(new ValueReject(id, field, reason));
      return this;
    }

    Expect traits(String id, String... kv) {
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i < kv.length; i += 2) {
        m.put(kv[i], kv[i + 1]);
      }
      traits.put(id, m);
      return this;
    }

    Expect time(String id, String instant) {
      times.put(id, instant);
      return this;
    }

    HostileFile file(String source, String type, String file, String yamlExtra, int rows) {
      return new HostileFile(
          source, type, file, file, yamlExtra, good, bad, badWithoutId, superseded, valueRejects, traits, times, rows);
    }
  }

  /**
   * Writes every hostile file under {@code dir} and returns what the night must make of each. Files
   * of the same export layout share a source folder ({@code crm/}, {@code email/}, {@code support/},
   * {@code web/}), as nightly exports do, so a night reads a mix of encodings and sizes in one source;
   * files that need their own config (an encoding, multi-line rows, another header) are sources of
   * their own.
   */
  public static List<HostileFile> write(Path dir) {
    Random random = new Random(20261128L);
    Path crm = folder(dir, "crm");
    Path email = folder(dir, "email");
    Path support = folder(dir, "support");
    Path web = folder(dir, "web");
    List<HostileFile> files = new ArrayList<>();
    files.add(in("crm", crmMain(crm)));
    List<HostileFile> multiline = crmMultiline(crm, dir);
    files.add(in("crm", multiline.get(0)));
    files.add(multiline.get(1));
    files.add(in("crm", crmBom(crm)));
    files.add(crmLatin1(dir));
    files.add(in("crm", crmUtf16(crm)));
    files.add(in("crm", crmUndecodable(crm)));
    files.add(crmWide(dir));
    files.add(in("crm", crmHuge(crm)));
    files.add(in("crm", crmGarbageBody(crm, random)));
    files.add(in("crm", headerOnly(crm, "crm_header_only", "crm", "crm_header_only.csv", CRM_HEADER)));
    // A zero-byte file as a source's only file: there is no header to read at all.
    files.add(empty(dir, "crm_empty", "crm", "crm_empty.csv"));
    files.add(in("email", emailMain(email)));
    files.add(in("email", headerOnly(email, "email_header_only", "email", "email_header_only.csv", EMAIL_HEADER)));
    files.add(in("support", supportMain(support)));
    files.add(in("support", empty(support, "support_empty", "support", "support_empty.csv")));
    files.add(in("web", webMain(web)));
    files.add(in("web", webUtf16(web)));
    files.add(in("web", webRandom(web, random)));
    files.add(in("web", empty(web, "web_empty", "web", "web_empty.jsonl")));
    return files;
  }

  private static Path folder(Path dir, String name) {
    try {
      return Files.createDirectories(dir.resolve(name));
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** The file as one of the files of source {@code folder}, read from the folder of that name. */
  private static HostileFile in(String folder, HostileFile f) {
    return new HostileFile(
        folder, f.type(), folder + "/", f.file(), f.yamlExtra(), f.good(), f.bad(), f.badWithoutId(),
        f.superseded(), f.valueRejects(), f.traits(), f.times(), f.rowsInFile());
  }

  /**
   * A CSV file of pure random bytes: its "header" names none of the export's columns. Written apart
   * from {@link #write} because it stops the night (see HostileInputTest).
   */
  public static Path writeRandomCsv(Path dir) {
    Random random = new Random(7L);
    byte[] bytes = new byte[4096];
    random.nextBytes(bytes);
    return bytes(dir, "crm_random.csv", bytes);
  }

  /** The job config: the sources of {@link #write}, otherwise as jobs/local.yaml, 2 partitions. */
  public static Path config(Path dir, List<HostileFile> files) {
    List<String> lines = new ArrayList<>();
    lines.add(
        "hashing: {key_file: "
            + Fixtures.repoRoot().resolve("jobs/demo.key").toAbsolutePath()
            + ", demo_key: true}");
    lines.add("sources:");
    Set<String> written = new LinkedHashSet<>();
    for (HostileFile f : files) {
      if (!written.add(f.source())) {
        continue;
      }
      lines.add(
          "  - {name: "
              + f.source()
              + ", type: "
              + f.type()
              + ", path: "
              + f.path()
              + (f.type().equals("email") ? "" : ", default_region: US")
              + (f.yamlExtra().isEmpty() ? "" : ", " + f.yamlExtra())
              + "}");
    }
    lines.addAll(
        List.of(
            "normalize: {email_strip_plus_tag: true}",
            "graph: {algorithm: contraction}",
            "rules: {builtin_blocklist: true, hub_threshold: 10, hub_name_threshold: 20}",
            "scoring: {enabled: true, merge_threshold: 0.85, review_floor: 0.60}",
            // The report only counts; RunReportsTest covers it.
            "report: {enabled: false}",
            "spark: {conf: {spark.sql.shuffle.partitions: \"2\"}}"));
    return Fixtures.write(dir, "job.yaml", lines.toArray(String[]::new));
  }

  private static String crm(String... cells) {
    return String.join(",", cells);
  }

  /** UTF-8: quotes, exponent numbers, emoji and RTL names, odd timestamps, duplicates, bad rows. */
  private static HostileFile crmMain(Path dir) {
    Expect e = new Expect();
    List<String> rows = new ArrayList<>();
    rows.add(CRM_HEADER);
    rows.add(crm("H01", "ann.hostile@mail.net", "+1 415 555 2671", "Ann", "Lee", "Acme", "Boston", "US", "", "2026-01-01", "2026-01-02T10:00:00Z"));
    e.good("H01").time("H01", "2026-01-02T10:00:00Z");
    // Quotes inside a quoted field, doubled as RFC 4180 says, and a comma inside quotes.
    rows.add(crm("H02", "", "", "Bob", "\"O'Neil \"\"The Hammer\"\"\"", "\"Smith & Co, Ltd\"", "", "", "", "2026-01-01", ""));
    e.good("H02").traits("H02", "last_name", "O'Neil \"The Hammer\"", "company", "Smith & Co, Ltd");
    // Emoji (outside the BMP) and right-to-left names, with a right-to-left mark.
    rows.add(crm("H03", "", "", "Zoë😀", "🚀Rocket", "", "", "", "", "2026-01-01", ""));
    e.good("H03").traits("H03", "first_name", "Zoë😀", "last_name", "🚀Rocket");
    rows.add(crm("H04", "", "", "محمد", "\u200Fכהן", "", "", "", "", "2026-01-01", ""));
    e.good("H04").traits("H04", "first_name", "محمد", "last_name", "\u200Fכהן");
    // A phone a spreadsheet turned into exponent form: rejected, never guessed (README, phone rule).
    rows.add(crm("H05", "", "4.15555E+9", "Exp", "Phone", "", "", "US", "", "2026-01-01", ""));
    e.good("H05").value("H05", "phone", "INVALID_PHONE");
    // A record id in exponent form stays the text it is: no number inference.
    rows.add(crm("1.2E+5", "", "", "Exp", "Id", "", "", "", "", "2026-01-01", ""));
    e.good("1.2E+5");
    // Timestamps: 1970, epoch milliseconds in 1970, the far future, and mixed formats.
    rows.add(crm("T01", "", "", "", "", "", "", "", "", "", "1970-01-01T00:00:00Z"));
    e.good("T01").time("T01", "1970-01-01T00:00:00Z");
    rows.add(crm("T02", "", "", "", "", "", "", "", "", "", "10000000000"));
    e.good("T02").time("T02", "1970-04-26T17:46:40Z");
    rows.add(crm("T03", "", "", "", "", "", "", "", "", "", "9999-12-31T23:59:59Z"));
    e.good("T03").time("T03", "9999-12-31T23:59:59Z");
    rows.add(crm("T04", "", "", "", "", "", "", "", "", "", "2999-06-01"));
    e.good("T04").time("T04", "2999-06-01T00:00:00Z");
    rows.add(crm("T05", "", "", "", "", "", "", "", "", "", "2026-03-04 05:06:07"));
    e.good("T05").time("T05", "2026-03-04T05:06:07Z");
    rows.add(crm("T06", "", "", "", "", "", "", "", "", "", "2026-03-04T05:06:07+02:00"));
    e.good("T06").time("T06", "2026-03-04T03:06:07Z");
    rows.add(crm("T07", "", "", "", "", "", "", "", "", "", "1772600000000"));
    e.good("T07").time("T07", "2026-03-04T04:53:20Z");
    rows.add(crm("T08", "", "", "", "", "", "", "", "", "", "2026-03-04T05:06:07.123Z"));
    e.good("T08").time("T08", "2026-03-04T05:06:07.123Z");
    // Not ISO-8601 nor epoch milliseconds: the time is rejected, the record kept without one.
    rows.add(crm("T09", "", "", "", "", "", "", "", "", "", "03/04/2026"));
    e.good("T09").time("T09", "null").value("T09", "event_time", "UNPARSEABLE_TIMESTAMP");
    rows.add(crm("T10", "", "", "", "", "", "", "", "", "", "4 Mar 2026 05:06"));
    e.good("T10").time("T10", "null").value("T10", "event_time", "UNPARSEABLE_TIMESTAMP");
    // Seconds since the epoch (10 digits) are not epoch milliseconds: rejected, not read as 1970.
    rows.add(crm("T11", "", "", "", "", "", "", "", "", "", "1772600000"));
    e.good("T11").time("T11", "null").value("T11", "event_time", "UNPARSEABLE_TIMESTAMP");
    // Duplicated record ids: the newest row wins, the older is superseded; an exact copy also.
    rows.add(crm("D01", "", "", "Old", "", "", "", "", "", "", "2026-01-01T00:00:00Z"));
    rows.add(crm("D01", "", "", "New", "", "", "", "", "", "", "2026-02-01T00:00:00Z"));
    e.good("D01").superseded("D01").traits("D01", "first_name", "New").time("D01", "2026-02-01T00:00:00Z");
    rows.add(crm("D02", "", "", "Same", "", "", "", "", "", "", "2026-01-01T00:00:00Z"));
    rows.add(crm("D02", "", "", "Same", "", "", "", "", "", "", "2026-01-01T00:00:00Z"));
    e.good("D02").superseded("D02");
    // Rows rejected whole: wrong column count (too few, too many), no record id.
    rows.add("B01,too,few");
    e.bad("B01", "MALFORMED_ROW");
    rows.add(crm("B02", "", "", "", "", "", "", "", "", "", "", "extra"));
    e.bad("B02", "MALFORMED_ROW");
    rows.add(crm("  ", "nobody.hostile@mail.net", "", "", "", "", "", "", "", "", ""));
    e.badWithoutId("MISSING_RECORD_ID");
    text(dir, "crm_main.csv", rows, "\n", StandardCharsets.UTF_8);
    return e.file("crm_main", "crm", "crm_main.csv", "", rows.size() - 1);
  }

  /**
   * Line breaks (LF and CRLF) inside quoted fields, which RFC 4180 allows. By default exports are
   * read line by line (an unclosed quote then spoils one line, not the rest of the file), so each
   * piece of such a row is rejected as MALFORMED_ROW: the first carries the record id, the
   * continuation line does not. With {@code reader_options: {multiLine: "true"}} the rows are read
   * whole, line breaks kept.
   */
  private static List<HostileFile> crmMultiline(Path dir, Path wholeDir) {
    List<String> rows = new ArrayList<>();
    rows.add(CRM_HEADER);
    rows.add(crm("M01", "", "", "Multi", "Line", "\"Acme\nWest\"", "", "", "", "2026-01-01", ""));
    rows.add(crm("M02", "", "", "Carriage", "Return", "\"Acme\r\nEast\"", "", "", "", "2026-01-01", ""));
    rows.add(crm("M03", "", "", "After", "Both", "Plain", "", "", "", "2026-01-01", ""));
    text(dir, "crm_multiline.csv", rows, "\n", StandardCharsets.UTF_8);
    text(wholeDir, "crm_multiline_whole.csv", rows, "\n", StandardCharsets.UTF_8);
    Expect byLine = new Expect();
    byLine.good("M03").traits("M03", "company", "Plain");
    byLine.bad("M01", "MALFORMED_ROW").bad("M02", "MALFORMED_ROW");
    byLine.badWithoutId("MALFORMED_ROW").badWithoutId("MALFORMED_ROW");
    Expect whole = new Expect();
    whole.good("M01").traits("M01", "company", "Acme\nWest");
    whole.good("M02").traits("M02", "company", "Acme\r\nEast");
    whole.good("M03").traits("M03", "company", "Plain");
    return List.of(
        byLine.file("crm_multiline", "crm", "crm_multiline.csv", "", 5),
        whole.file(
            "crm_multiline_whole",
            "crm",
            "crm_multiline_whole.csv",
            "reader_options: {multiLine: \"true\"}",
            3));
  }

  /** A UTF-8 byte-order mark and CRLF line ends, as spreadsheet tools write them. */
  private static HostileFile crmBom(Path dir) {
    Expect e = new Expect();
    List<String> rows = new ArrayList<>();
    rows.add("\uFEFF" + CRM_HEADER);
    rows.add(crm("BOM1", "", "", "Åsa", "Öberg", "", "", "SE", "", "2026-01-01", ""));
    e.good("BOM1").traits("BOM1", "first_name", "Åsa", "last_name", "Öberg");
    rows.add(crm("BOM2", "", "", "Plain", "Row", "", "", "", "", "2026-01-01", ""));
    e.good("BOM2").traits("BOM2", "first_name", "Plain", "last_name", "Row");
    text(dir, "crm_bom.csv", rows, "\r\n", StandardCharsets.UTF_8);
    return e.file("crm_bom", "crm", "crm_bom.csv", "", 2);
  }

  /** A Latin-1 file, declared so in the source's config. */
  private static HostileFile crmLatin1(Path dir) {
    Expect e = new Expect();
    List<String> rows = new ArrayList<>();
    rows.add(CRM_HEADER);
    rows.add(crm("L01", "", "", "José", "Müller", "Société Générale", "Zürich", "CH", "", "2026-01-01", ""));
    e.good("L01")
        .traits("L01", "first_name", "José", "last_name", "Müller", "company", "Société Générale", "city", "Zürich");
    rows.add(crm("L02", "", "", "Françoise", "Øre", "", "", "", "", "2026-01-01", ""));
    e.good("L02").traits("L02", "first_name", "Françoise", "last_name", "Øre");
    text(dir, "crm_latin1.csv", rows, "\n", StandardCharsets.ISO_8859_1);
    return e.file("crm_latin1", "crm", "crm_latin1.csv", "reader_options: {encoding: ISO-8859-1}", 2);
  }

  /** UTF-16 (little-endian) with its byte-order mark, no encoding configured: the mark says it. */
  private static HostileFile crmUtf16(Path dir) {
    Expect e = new Expect();
    List<String> rows = new ArrayList<>();
    rows.add(CRM_HEADER);
    rows.add(crm("U01", "", "", "Łukasz", "Żółć", "", "", "PL", "", "2026-01-01", ""));
    e.good("U01").traits("U01", "first_name", "Łukasz", "last_name", "Żółć");
    rows.add(crm("U02", "", "", "李", "小龍😀", "", "", "", "", "2026-01-01", ""));
    e.good("U02").traits("U02", "first_name", "李", "last_name", "小龍😀");
    rows.add(crm("U03", "", "", "Third", "Row", "", "", "", "", "2026-01-01", ""));
    e.good("U03");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFE});
    out.writeBytes((String.join("\r\n", rows) + "\r\n").getBytes(StandardCharsets.UTF_16LE));
    bytes(dir, "crm_utf16.csv", out.toByteArray());
    return e.file("crm_utf16", "crm", "crm_utf16.csv", "", 3);
  }

  /**
   * A UTF-8 file (nothing configured) in which one row carries Latin-1 bytes: that row is
   * quarantined rather than stored as mojibake; the others are read.
   */
  private static HostileFile crmUndecodable(Path dir) {
    Expect e = new Expect();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes((CRM_HEADER + "\n").getBytes(StandardCharsets.UTF_8));
    out.writeBytes((crm("X01", "", "", "Good", "Row", "", "", "", "", "2026-01-01", "") + "\n").getBytes(StandardCharsets.UTF_8));
    e.good("X01");
    out.writeBytes((crm("X02", "", "", "René", "Brühl", "", "", "", "", "2026-01-01", "") + "\n").getBytes(StandardCharsets.ISO_8859_1));
    e.bad("X02", "UNDECODABLE_TEXT");
    out.writeBytes((crm("X03", "", "", "Zoë", "Utf8", "", "", "", "", "2026-01-01", "") + "\n").getBytes(StandardCharsets.UTF_8));
    e.good("X03").traits("X03", "first_name", "Zoë");
    bytes(dir, "crm_undecodable.csv", out.toByteArray());
    return e.file("crm_undecodable", "crm", "crm_undecodable.csv", "", 3);
  }

  /** The export's columns followed by 3,000 more. */
  private static HostileFile crmWide(Path dir) {
    Expect e = new Expect();
    int extra = 3000;
    StringBuilder header = new StringBuilder(CRM_HEADER);
    for (int i = 0; i < extra; i++) {
      header.append(",extra_").append(i);
    }
    String filler = ",x".repeat(extra);
    List<String> rows = new ArrayList<>();
    rows.add(header.toString());
    for (int i = 1; i <= 20; i++) {
      String id = String.format("W%02d", i);
      rows.add(crm(id, "", "", "Wide" + i, "", "", "", "", "", "2026-01-01", "") + filler);
      e.good(id);
    }
    e.traits("W07", "first_name", "Wide7");
    rows.add(crm("W99", "", "", "Short", "", "", "", "", "", "2026-01-01", ""));
    e.bad("W99", "MALFORMED_ROW");
    text(dir, "crm_wide.csv", rows, "\n", StandardCharsets.UTF_8);
    return e.file("crm_wide", "crm", "crm_wide.csv", "", 21);
  }

  /** 1 MB fields: a trait (kept) and an email (rejected as too long), in otherwise good rows. */
  private static HostileFile crmHuge(Path dir) {
    Expect e = new Expect();
    String huge = "A".repeat(HUGE);
    List<String> rows = new ArrayList<>();
    rows.add(CRM_HEADER);
    rows.add(crm("G01", "", "", "Big", "Company", huge, "", "", "", "2026-01-01", ""));
    e.good("G01");
    rows.add(crm("G02", "a".repeat(HUGE) + "@mail.net", "", "Big", "Email", "", "", "", "", "2026-01-01", ""));
    e.good("G02").value("G02", "email", "VALUE_TOO_LONG");
    rows.add(crm("G03", "", "", "Small", "After", "", "", "", "", "2026-01-01", ""));
    e.good("G03").traits("G03", "first_name", "Small");
    text(dir, "crm_huge.csv", rows, "\n", StandardCharsets.UTF_8);
    return e.file("crm_huge", "crm", "crm_huge.csv", "", 3);
  }

  /**
   * A valid header followed by random bytes (no commas or quotes among them, so each line is one
   * field: a row of the wrong column count, or carrying bytes that are not UTF-8).
   */
  private static HostileFile crmGarbageBody(Path dir, Random random) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes((CRM_HEADER + "\n").getBytes(StandardCharsets.UTF_8));
    for (int line = 0; line < 8; line++) {
      for (int i = 0; i < 40; i++) {
        int b;
        do {
          b = random.nextInt(256);
        } while (b == ',' || b == '"' || b == '\n' || b == '\r');
        out.write(b);
      }
      // Every line carries at least one byte that cannot start a UTF-8 character.
      out.write(0xFF);
      out.write('\n');
    }
    bytes(dir, "crm_garbage.csv", out.toByteArray());
    return new Expect().file("crm_garbage", "crm", "crm_garbage.csv", "", -1);
  }

  private static HostileFile emailMain(Path dir) {
    Expect e = new Expect();
    List<String> rows = new ArrayList<>();
    rows.add(EMAIL_HEADER);
    rows.add("S01,eve.hostile@mail.net,subscribed,Ève,\"Dœ, \"\"Jr\"\"\",2026-01-01,2026-02-01T00:00:00Z");
    e.good("S01").traits("S01", "first_name", "Ève", "last_name", "Dœ, \"Jr\"", "email_consent", "subscribed");
    rows.add("S02,,unsubscribed,🦄,עברית,1970-01-01,");
    e.good("S02").traits("S02", "first_name", "🦄", "last_name", "עברית").time("S02", "1970-01-01T00:00:00Z");
    rows.add("S03,,cleaned,,,2026-01-01,3.0E+12");
    e.good("S03").time("S03", "null").value("S03", "event_time", "UNPARSEABLE_TIMESTAMP");
    rows.add("S03,,subscribed,,,2026-01-01,2026-01-05");
    // the S03 row with a parseable time is newer than the one without: it wins
    rows.add(",orphan.hostile@mail.net,subscribed,,,2026-01-01,");
    e.badWithoutId("MISSING_RECORD_ID");
    text(dir, "email_main.csv", rows, "\n", StandardCharsets.UTF_8);
    // S03: the row with a time wins; the first S03 row is superseded, so its time is no reject.
    e.valueRejects.removeIf(v -> v.recordId().equals("S03"));
    e.times.put("S03", "2026-01-05T00:00:00Z");
    e.superseded("S03");
    return e.file("email_main", "email", "email_main.csv", "", 5);
  }

  private static HostileFile supportMain(Path dir) {
    Expect e = new Expect();
    List<String> rows = new ArrayList<>();
    rows.add(SUPPORT_HEADER);
    rows.add("K01,kim.hostile@mail.net,,Kim   Park,email,\"Refund \"\"now\"\", please\",2026-01-01T00:00:00Z");
    e.good("K01").traits("K01", "first_name", "Kim", "last_name", "Park");
    rows.add("K02,,1.2E+10,José 😀,phone,Call,2999-12-31T00:00:00Z");
    e.good("K02")
        .traits("K02", "first_name", "José", "last_name", "😀")
        .value("K02", "phone", "INVALID_PHONE")
        .time("K02", "2999-12-31T00:00:00Z");
    // A line break inside a quoted subject, read line by line: two malformed pieces.
    rows.add("K03,,,,chat,\"multi\nline subject\",2026-01-01");
    e.bad("K03", "MALFORMED_ROW").badWithoutId("MALFORMED_ROW");
    text(dir, "support_main.csv", rows, "\n", StandardCharsets.UTF_8);
    return e.file("support_main", "support", "support_main.csv", "", 4);
  }

  private static String event(String id, String timestamp, String traits) {
    return "{\"messageId\":"
        + (id == null ? "null" : "\"" + id + "\"")
        + ",\"type\":\"identify\",\"anonymousId\":\"anon-"
        + (id == null ? "none" : id)
        + "\",\"timestamp\":"
        + timestamp
        + (traits == null ? "" : ",\"traits\":" + traits)
        + "}";
  }

  private static HostileFile webMain(Path dir) {
    Expect e = new Expect();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<String> lines = new ArrayList<>();
    // A byte-order mark before the first line.
    lines.add("\uFEFF" + event("E01", "\"2026-01-01T00:00:00Z\"", "{\"first_name\":\"Zoë😀\",\"last_name\":\"محمد\"}"));
    e.good("E01").traits("E01", "first_name", "Zoë😀", "last_name", "محمد");
    // Escaped quotes and a newline inside a JSON string; an escaped emoji (surrogate pair).
    lines.add(event("E02", "\"1970-01-01T00:00:00Z\"", "{\"first_name\":\"Bob \\\"B\\\"\\nLee\",\"last_name\":\"\\ud83d\\ude80\"}"));
    e.good("E02").traits("E02", "first_name", "Bob \"B\"\nLee", "last_name", "🚀").time("E02", "1970-01-01T00:00:00Z");
    // Times: epoch milliseconds as a JSON number, the far future, a date alone, exponent form.
    lines.add(event("E03", "1772600000000", null));
    e.good("E03").time("E03", "2026-03-04T04:53:20Z");
    lines.add(event("E04", "\"9999-12-31T23:59:59Z\"", null));
    e.good("E04").time("E04", "9999-12-31T23:59:59Z");
    lines.add(event("E05", "\"2026-03-04\"", null));
    e.good("E05").time("E05", "2026-03-04T00:00:00Z");
    lines.add(event("E06", "1.7726E12", null));
    e.good("E06").time("E06", "null").value("E06", "event_time", "UNPARSEABLE_TIMESTAMP");
    lines.add(event("E07", "\"Wed, 04 Mar 2026 05:06:07 GMT\"", null));
    e.good("E07").time("E07", "null").value("E07", "event_time", "UNPARSEABLE_TIMESTAMP");
    // A phone in exponent form, as a JSON number.
    lines.add(event("E08", "\"2026-01-01T00:00:00Z\"", "{\"phone\":4.15555E9}"));
    e.good("E08").value("E08", "phone", "INVALID_PHONE");
    // Duplicated messageIds: the newest wins.
    lines.add(event("E09", "\"2026-01-01T00:00:00Z\"", "{\"first_name\":\"Old\"}"));
    lines.add(event("E09", "\"2026-01-02T00:00:00Z\"", "{\"first_name\":\"New\"}"));
    e.good("E09").superseded("E09").traits("E09", "first_name", "New");
    // 1 MB inside a trait.
    lines.add(event("E10", "\"2026-01-01T00:00:00Z\"", "{\"last_name\":\"" + "B".repeat(HUGE) + "\"}"));
    e.good("E10");
    // Rejected whole: not JSON, a truncated object, no messageId, a null messageId.
    lines.add("this is not json");
    e.badWithoutId("INVALID_JSON");
    lines.add("{\"messageId\":\"E90\",\"type\":\"track\"");
    e.badWithoutId("INVALID_JSON");
    lines.add("{\"type\":\"track\",\"anonymousId\":\"anon-x\"}");
    e.badWithoutId("MISSING_RECORD_ID");
    lines.add(event(null, "\"2026-01-01T00:00:00Z\"", null));
    e.badWithoutId("MISSING_RECORD_ID");
    for (String line : lines) {
      out.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
    // A line with bytes that are not UTF-8 inside a string.
    out.writeBytes("{\"messageId\":\"E91\",\"traits\":{\"first_name\":\"Ren".getBytes(StandardCharsets.UTF_8));
    out.write(0xE9);
    out.writeBytes("\"}}\n".getBytes(StandardCharsets.UTF_8));
    e.badWithoutId("INVALID_JSON");
    bytes(dir, "web_main.jsonl", out.toByteArray());
    return e.file("web_main", "web", "web_main.jsonl", "", lines.size() + 1);
  }

  /** JSON Lines in UTF-16 (big-endian) with its byte-order mark. */
  private static HostileFile webUtf16(Path dir) {
    Expect e = new Expect();
    List<String> lines = new ArrayList<>();
    lines.add(event("V01", "\"2026-01-01T00:00:00Z\"", "{\"first_name\":\"Łukasz\",\"last_name\":\"小龍\"}"));
    e.good("V01").traits("V01", "first_name", "Łukasz", "last_name", "小龍");
    lines.add(event("V02", "\"2026-01-01T00:00:00Z\"", "{\"first_name\":\"Second\"}"));
    e.good("V02").traits("V02", "first_name", "Second");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0xFE, (byte) 0xFF});
    out.writeBytes((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_16BE));
    bytes(dir, "web_utf16.jsonl", out.toByteArray());
    return e.file("web_utf16", "web", "web_utf16.jsonl", "", 2);
  }

  /** Random bytes as a JSON Lines file: every line is rejected as not JSON. */
  private static HostileFile webRandom(Path dir, Random random) {
    byte[] bytes = new byte[2048];
    random.nextBytes(bytes);
    bytes(dir, "web_random.jsonl", bytes);
    return new Expect().file("web_random", "web", "web_random.jsonl", "", -1);
  }

  private static HostileFile empty(Path dir, String source, String type, String file) {
    bytes(dir, file, new byte[0]);
    return new Expect().file(source, type, file, "", 0);
  }

  private static HostileFile headerOnly(
      Path dir, String source, String type, String file, String header) {
    text(dir, file, List.of(header), "\n", StandardCharsets.UTF_8);
    return new Expect().file(source, type, file, "", 0);
  }

  private static void text(
      Path dir, String name, List<String> lines, String lineEnd, Charset charset) {
    bytes(dir, name, (String.join(lineEnd, lines) + lineEnd).getBytes(charset));
  }

  private static Path bytes(Path dir, String name, byte[] content) {
    try {
      Path file = dir.resolve(name);
      Files.write(file, content);
      return file;
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }
}
