package io.idgraph.inspect;

import java.util.ArrayList;
import java.util.List;

/**
 * How {@code idgraph sql} prints a {@link ResultPage}: an aligned text table (long values cut at
 * {@link #MAX_CELL} characters with "..."; NULL for SQL NULL), CSV (RFC 4180: a header line, fields
 * quoted when they hold a comma, quote, CR or LF, quotes doubled, CRLF line ends; NULL as an empty
 * field) or JSON lines (one object per row, Spark's encoding; null fields left out, as Spark does).
 */
public enum ResultFormat {
  TABLE,
  CSV,
  JSON;

  /** The widest a text-table cell gets; CSV and JSON print values whole. */
  public static final int MAX_CELL = 80;

  /** Whether the page is to be collected as JSON lines rather than strings. */
  public boolean wantsJson() {
    return this == JSON;
  }

  /** The page's text, every line ending with a line break. */
  public String render(ResultPage page) {
    return switch (this) {
      case TABLE -> table(page);
      case CSV -> csv(page);
      case JSON -> json(page);
    };
  }

  private static String table(ResultPage page) {
    int n = page.columns().size();
    int[] width = new int[n];
    List<List<String>> cells = new ArrayList<>();
    for (List<String> row : page.rows()) {
      List<String> shown = new ArrayList<>();
      for (String v : row) {
        shown.add(cell(v));
      }
      cells.add(shown);
    }
    for (int i = 0; i < n; i++) {
      width[i] = page.columns().get(i).length();
      for (List<String> row : cells) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, page.columns(), width, page.numeric());
    List<String> rule = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rule.add("-".repeat(width[i]));
    }
    line(out, rule, width, page.numeric());
    for (List<String> row : cells) {
      line(out, row, width, page.numeric());
    }
    int count = page.rows().size();
    out.append(
        page.truncated()
            ? "(first " + count + " rows; use --limit)\n"
            : "(" + count + (count == 1 ? " row)\n" : " rows)\n"));
    return out.toString();
  }

  private static String cell(String v) {
    if (v == null) {
      return "NULL";
    }
    // One value, one line: line breaks would tear the table apart.
    String flat = v.replace("\r", "\\r").replace("\n", "\\n").replace("\t", " ");
    return flat.length() > MAX_CELL ? flat.substring(0, MAX_CELL - 3) + "..." : flat;
  }

  private static void line(
      StringBuilder out, List<String> values, int[] width, List<Boolean> numeric) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        line.append("  ");
      }
      String v = values.get(i);
      String pad = " ".repeat(width[i] - v.length());
      line.append(numeric.get(i) ? pad + v : v + pad);
    }
    out.append(line.toString().stripTrailing()).append('\n');
  }

  private static String csv(ResultPage page) {
    StringBuilder out = new StringBuilder();
    csvLine(out, page.columns());
    for (List<String> row : page.rows()) {
      csvLine(out, row);
    }
    return out.toString();
  }

  private static void csvLine(StringBuilder out, List<String> values) {
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(csvField(values.get(i)));
    }
    out.append("\r\n");
  }

  /** One RFC 4180 field. */
  static String csvField(String v) {
    if (v == null) {
      return "";
    }
    boolean quote =
        v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0;
    return quote ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
  }

  private static String json(ResultPage page) {
    StringBuilder out = new StringBuilder();
    for (String line : page.jsonLines()) {
      out.append(line).append('\n');
    }
    return out.toString();
  }
}
