package io.idgraph.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The threshold table as a line chart, plain SVG 1.1 text with no dependency: x is the merge threshold
 * from the lowest one swept (or the configured merge threshold, if lower) to 1.0, y is 0 to 1. Three
 * series (link precision, pairwise precision, pairwise recall) with a marker per threshold; a line
 * breaks where its value is undefined (link precision with no links). A dashed vertical line marks the
 * configured merge threshold and a dashed horizontal line the recall of deterministic links alone.
 */
public final class ThresholdChart {
  private ThresholdChart() {}

  public static final String TITLE = "Precision and recall by merge threshold";
  public static final String LINK_PRECISION = "link precision";
  public static final String PAIRWISE_PRECISION = "pairwise precision";
  public static final String PAIRWISE_RECALL = "pairwise recall";
  public static final String DETERMINISTIC_RECALL = "deterministic-only recall";
  public static final String MERGE_THRESHOLD = "merge threshold";

  private static final int WIDTH = 780;
  private static final int HEIGHT = 460;
  private static final double LEFT = 70;
  private static final double TOP = 50;
  private static final double RIGHT = 560;
  private static final double BOTTOM = 390;
  private static final String GREY = "#555555";
  private static final String DASH = "6 4";

  private record Series(
      String name, String color, double width, ToDoubleFunction<ThresholdRow> value) {}

  // Drawn in this order, each thinner than the one before, so lines that coincide stay visible.
  private static final List<Series> SERIES =
      List.of(
          new Series(LINK_PRECISION, "#1f77b4", 4.5, ThresholdRow::linkPrecision),
          new Series(PAIRWISE_PRECISION, "#d62728", 2.5, ThresholdRow::pairwisePrecision),
          new Series(PAIRWISE_RECALL, "#2ca02c", 1.5, ThresholdRow::pairwiseRecall));

  /**
   * The chart of {@code rows} (as from {@link ThresholdSweep#sweep}; the deterministic row gives the
   * horizontal line, the others the series) with the marker at {@code mergeThreshold}.
   */
  public static String svg(List<ThresholdRow> rows, double mergeThreshold) {
    List<ThresholdRow> points = new ArrayList<>();
    ThresholdRow deterministic = null;
    for (ThresholdRow r : rows) {
      if (r.threshold() == null) {
        deterministic = r;
      } else {
        points.add(r);
      }
    }
    // Axis bounds in hundredths, on the 0.05 grid, so ticks fall on round thresholds.
    int lowest = (int) Math.floor(mergeThreshold * 20 + 1e-9) * 5;
    for (ThresholdRow r : points) {
      lowest = Math.min(lowest, (int) Math.floor(r.threshold() * 20 + 1e-9) * 5);
    }
    int xMin = Math.max(0, Math.min(95, lowest));

    StringBuilder svg = new StringBuilder();
    svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
            WIDTH, HEIGHT, WIDTH, HEIGHT));
    svg.append("  <title>").append(TITLE).append("</title>\n");
    svg.append(
        String.format(
            Locale.ROOT,
            "  <rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n",
            WIDTH, HEIGHT));
    Svg.text(svg, (LEFT + RIGHT) / 2, 28, "middle", "font-size=\"16\" font-weight=\"bold\"", TITLE);
    axes(svg, xMin);
    if (deterministic != null) {
      double y = y(deterministic.pairwiseRecall());
      svg.append("  <g id=\"deterministic-recall\">\n");
      Svg.line(svg, LEFT, y, RIGHT, y, SERIES.get(2).color(), 1.5, DASH);
      svg.append("  </g>\n");
    }
    mergeThresholdMarker(svg, mergeThreshold, xMin);
    for (Series s : SERIES) {
      series(svg, s, points, xMin);
    }
    legend(svg, deterministic != null);
    svg.append("</svg>\n");
    return svg.toString();
  }

  /** Grid, ticks and labels: y every 0.1; x every 0.05, labelled every 0.1 when the range is wide. */
  private static void axes(StringBuilder svg, int xMin) {
    svg.append("  <g id=\"axes\">\n");
    for (int i = 0; i <= 10; i++) {
      double y = y(i / 10.0);
      Svg.line(svg, LEFT, y, RIGHT, y, "#e5e5e5", 1, null);
      Svg.line(svg, LEFT - 5, y, LEFT, y, GREY, 1, null);
      Svg.text(svg, LEFT - 8, y + 4, "end", null, String.format(Locale.ROOT, "%.1f", i / 10.0));
    }
    int step = (100 - xMin) / 5 > 12 ? 10 : 5;
    for (int h = xMin; h <= 100; h += 5) {
      double x = x(h / 100.0, xMin);
      Svg.line(svg, x, BOTTOM, x, BOTTOM + 5, GREY, 1, null);
      if (h % step == 0) {
        Svg.text(svg, x, BOTTOM + 19, "middle", null, String.format(Locale.ROOT, "%.2f", h / 100.0));
      }
    }
    Svg.line(svg, LEFT, BOTTOM, RIGHT, BOTTOM, GREY, 1, null);
    Svg.line(svg, LEFT, TOP, LEFT, BOTTOM, GREY, 1, null);
    Svg.text(svg, (LEFT + RIGHT) / 2, BOTTOM + 42, "middle", null, "merge threshold (probability)");
    svg.append(
        String.format(
            Locale.ROOT,
            "    <text x=\"20\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 20 %.1f)\">"
                + "precision, recall</text>%n",
            (TOP + BOTTOM) / 2, (TOP + BOTTOM) / 2));
    svg.append("  </g>\n");
  }

  /** Dashed vertical line with its label, on the side of the line that has room for it. */
  private static void mergeThresholdMarker(StringBuilder svg, double mergeThreshold, int xMin) {
    double x = x(mergeThreshold, xMin);
    boolean nearRight = x > RIGHT - 140;
    svg.append("  <g id=\"merge-threshold\">\n");
    Svg.line(svg, x, TOP, x, BOTTOM, GREY, 1.5, DASH);
    Svg.text(
        svg,
        nearRight ? x - 4 : x + 4,
        TOP + 14,
        nearRight ? "end" : "start",
        "fill=\"" + GREY + "\"",
        MERGE_THRESHOLD + " " + String.format(Locale.ROOT, "%.2f", mergeThreshold));
    svg.append("  </g>\n");
  }

  /** A marker per threshold, joined by lines that break where the value is undefined (NaN). */
  private static void series(StringBuilder svg, Series s, List<ThresholdRow> points, int xMin) {
    svg.append("  <g id=\"").append(s.name().replace(' ', '-')).append("\">\n");
    List<String> segment = new ArrayList<>();
    for (ThresholdRow r : points) {
      double v = s.value().applyAsDouble(r);
      if (Double.isNaN(v)) {
        polyline(svg, segment, s);
        segment.clear();
        continue;
      }
      double px = x(r.threshold(), xMin);
      double py = y(v);
      segment.add(String.format(Locale.ROOT, "%.1f,%.1f", px, py));
      svg.append(
          String.format(
              Locale.ROOT,
              "    <circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>%n",
              px, py, s.width() / 2 + 1.5, s.color()));
    }
    polyline(svg, segment, s);
    svg.append("  </g>\n");
  }

  /** Right of the plot: the three series, the deterministic-only recall line and the marker. */
  private static void legend(StringBuilder svg, boolean withDeterministic) {
    double y = TOP + 10;
    svg.append("  <g id=\"legend\">\n");
    for (Series s : SERIES) {
      Svg.line(svg, RIGHT + 20, y, RIGHT + 44, y, s.color(), s.width(), null);
      Svg.text(svg, RIGHT + 52, y + 4, "start", null, s.name());
      y += 22;
    }
    if (withDeterministic) {
      Svg.line(svg, RIGHT + 20, y, RIGHT + 44, y, SERIES.get(2).color(), 1.5, DASH);
      Svg.text(svg, RIGHT + 52, y + 4, "start", null, DETERMINISTIC_RECALL);
      y += 22;
    }
    Svg.line(svg, RIGHT + 20, y, RIGHT + 44, y, GREY, 1.5, DASH);
    Svg.text(svg, RIGHT + 52, y + 4, "start", null, MERGE_THRESHOLD);
    svg.append("  </g>\n");
  }

  private static double x(double threshold, int xMinHundredths) {
    double min = xMinHundredths / 100.0;
    return LEFT + (threshold - min) / (1.0 - min) * (RIGHT - LEFT);
  }

  private static double y(double share) {
    return BOTTOM - Math.max(0, Math.min(1, share)) * (BOTTOM - TOP);
  }

  private static void polyline(StringBuilder svg, List<String> points, Series s) {
    if (points.size() > 1) {
      svg.append(
          String.format(
              Locale.ROOT,
              "    <polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"/>%n",
              String.join(" ", points), s.color(), s.width()));
    }
  }
}
