package io.idgraph.quality;

import java.util.List;
import java.util.Locale;

/**
 * A horizontal bar chart as inline SVG for an HTML page (no XML prolog and no namespace attribute: the
 * HTML parser puts an inline {@code <svg>} in the SVG namespace itself, and the report stays free of
 * any URL). One row per bar: its label on the left, the bar, its value label after the bar. A bar's
 * length is proportional to its value against the largest value of the chart; a value above zero is
 * drawn at least one pixel long so it never vanishes beside a large one, and a zero draws no bar at
 * all, only its label and value. Each bar is a {@code <rect class="bar">} with a {@code <title>}
 * (the browser's tooltip), so tests and readers can find the marks.
 */
public final class SvgBarChart {
  private SvgBarChart() {}

  /** @param valueLabel the value as printed after the bar, e.g. "12.3 s" or "1,024" */
  public record Bar(String label, double value, String valueLabel) {}

  static final int WIDTH = 720;
  static final double LABEL_RIGHT = 170;
  static final double BAR_LEFT = 178;
  /** The longest bar: leaves room after it for the value label. */
  static final double BAR_SPAN = 420;
  static final double TOP = 34;
  static final double ROW = 24;
  static final double BAR_HEIGHT = 16;
  private static final int MAX_LABEL = 26;
  private static final String COLOR = "#3b6ea5";

  /**
   * @param id the chart's id, unique in the page (letters, digits and dashes)
   * @param title shown above the bars and as the chart's accessible name
   */
  public static String svg(String id, String title, List<Bar> bars) {
    double max = 0;
    for (Bar b : bars) {
      max = Math.max(max, b.value());
    }
    int height = (int) Math.ceil(TOP + bars.size() * ROW + 8);
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg class=\"chart\" id=\"%s\" role=\"img\" aria-label=\"%s\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
            Markup.escape(id), Markup.escape(title), WIDTH, height, WIDTH, height));
    svg.append("  <title>").append(Markup.escape(title)).append("</title>\n");
    Svg.text(svg, 4, 18, "start", "font-size=\"14\" font-weight=\"bold\"", title);
    Svg.line(svg, BAR_LEFT, TOP - 4, BAR_LEFT, TOP + bars.size() * ROW, "#888888", 1, null);
    for (int i = 0; i < bars.size(); i++) {
      Bar b = bars.get(i);
      double y = TOP + i * ROW;
      double length = length(b.value(), max);
      Svg.text(svg, LABEL_RIGHT, y + BAR_HEIGHT - 4, "end", null, shorten(b.label()));
      if (length > 0) {
        svg.append(
            String.format(
                Locale.ROOT,
                "    <rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\""
                    + " fill=\"%s\"><title>%s: %s</title></rect>%n",
                BAR_LEFT, y, length, BAR_HEIGHT, COLOR, Markup.escape(b.label()),
                Markup.escape(b.valueLabel())));
      }
      Svg.text(svg, BAR_LEFT + length + 6, y + BAR_HEIGHT - 4, "start", null, b.valueLabel());
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  /** The bar's length in pixels: proportional to the value, at least 1 for a positive value. */
  static double length(double value, double max) {
    if (!(value > 0) || !(max > 0)) {
      return 0;
    }
    return Math.max(1, value / max * BAR_SPAN);
  }

  private static String shorten(String label) {
    return label.length() <= MAX_LABEL ? label : label.substring(0, MAX_LABEL - 1) + "\u2026";
  }
}
