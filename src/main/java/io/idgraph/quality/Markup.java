package io.idgraph.quality;

/**
 * Escapes text for HTML and SVG (element content and quoted attribute values alike). Everything the
 * run report, its charts and {@code idgraph graph}'s drawings print that is not one of their own fixed
 * labels goes through here: source, stage and rule names come from config or data, and a stray
 * {@code <} must not become markup. Control characters XML 1.0 forbids are dropped, so a standalone
 * SVG stays well-formed.
 */
public final class Markup {
  private Markup() {}

  public static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          if (c >= 0x20 || c == '\n' || c == '\t' || c == '\r') {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
