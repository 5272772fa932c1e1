package io.idgraph.generate;

import java.io.IOException;
import java.io.Writer;

/** RFC 4180 CSV output: a field is quoted when it holds a comma, quote or line break. */
final class Csv {
  private Csv() {}

  static void row(Writer out, String... fields) throws IOException {
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        out.write(',');
      }
      out.write(field(fields[i]));
    }
    out.write('\n');
  }

  static String field(String value) {
    if (value == null) {
      return "";
    }
    if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
      return "\"" + value.replace("\"", "\"\"") + "\"";
    }
    return value;
  }
}
