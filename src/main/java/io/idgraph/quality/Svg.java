package io.idgraph.quality;

import java.util.Locale;

/**
 * Drawing primitives shared by the SVG charts ({@link ThresholdChart}, {@link SvgBarChart}): each
 * appends one element to a builder, coordinates with one decimal in the root locale (a German
 * default locale must not turn 12.5 into "12,5"), text content escaped.
 */
final class Svg {
  private Svg() {}

  static void line(
      StringBuilder svg,
      double x1,
      double y1,
      double x2,
      double y2,
      String color,
      double width,
      String dash) {
    svg.append(
        String.format(
            Locale.ROOT,
            "    <line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\""
                + " stroke-width=\"%.1f\"%s/>%n",
            x1, y1, x2, y2, color, width,
            dash == null ? "" : " stroke-dasharray=\"" + dash + "\""));
  }

  /** A text element; {@code attributes} is trusted markup, {@code content} is escaped. */
  static void text(
      StringBuilder svg, double x, double y, String anchor, String attributes, String content) {
    svg.append(
        String.format(
            Locale.ROOT,
            "    <text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>%s</text>%n",
            x, y, anchor, attributes == null ? "" : " " + attributes, Markup.escape(content)));
  }
}
