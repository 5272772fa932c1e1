package io.idgraph.explain;

import io.idgraph.explain.ProfileGraph.Edge;
import io.idgraph.explain.ProfileGraph.Node;
import io.idgraph.quality.Markup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws a {@link ProfileGraph} as a standalone SVG document (no scripts, no external resources):
 * one {@code <g class="node">} per identifier (a circle coloured by type, sized by records, labelled
 * with type and the hash's first 8 hex characters; greyed and dashed when an identity rule held it),
 * one {@code <g class="edge">} per link (solid: deterministic, dashed: probabilistic, dotted: manual;
 * labelled with method, confidence and rule or signals), a legend of the types present, and a note
 * of what the caps left out. Node positions come from {@link GraphLayout}. Every text is
 * XML-escaped; hover titles carry the full hash and record counts.
 */
public final class SvgGraph {
  private static final double LEGEND_WIDTH = 260;
  private static final double MARGIN = 90;
  private static final int MAX_DETAIL = 40;

  /** Fill colours by identifier type; external ids share one, types not listed are grey. */
  private static final Map<String, String> COLOURS = new LinkedHashMap<>();

  static {
    COLOURS.put("user_id", "#d62728");
    COLOURS.put("email", "#1f77b4");
    COLOURS.put("phone", "#2ca02c");
    COLOURS.put("external_id", "#ff7f0e");
    COLOURS.put("device_id", "#8c564b");
    COLOURS.put("push_endpoint", "#e377c2");
    COLOURS.put("anonymous_id", "#9467bd");
  }

  private static final String HELD_FILL = "#d9d9d9";

  private SvgGraph() {}

  public static String render(ProfileGraph graph) {
    List<Node> nodes = graph.nodes();
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      index.put(nodes.get(i).idHash(), i);
    }
    List<int[]> pairs = new ArrayList<>();
    for (Edge e : graph.edges()) {
      Integer a = index.get(e.src());
      Integer b = index.get(e.dst());
      if (a != null && b != null) {
        pairs.add(new int[] {a, b});
      }
    }
    double side = Math.max(600, Math.min(2400, 120 * Math.sqrt(nodes.size()) + 200));
    double[][] pos = GraphLayout.place(nodes.size(), pairs, side, side, MARGIN);
    double width = side + LEGEND_WIDTH;
    double height = Math.max(side, 80 + 22 * (COLOURS.size() + 8));

    StringBuilder svg = new StringBuilder();
    svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0"
                + " %.0f %.0f\" font-family=\"sans-serif\" font-size=\"11\">\n",
            width,
            height,
            width,
            height));
    svg.append("<title>identity graph of profile ")
        .append(Markup.escape(graph.profileId()))
        .append("</title>\n");
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    svg.append("<text x=\"12\" y=\"22\" font-size=\"15\" font-weight=\"bold\">profile ")
        .append(Markup.escape(graph.profileId()))
        .append("</text>\n");
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"12\" y=\"40\" fill=\"#555\">%d identifiers, %d links drawn</text>\n",
            nodes.size(),
            graph.edges().size()));
    if (graph.omittedNodes() > 0 || graph.omittedEdges() > 0) {
      svg.append("<text class=\"omitted\" x=\"12\" y=\"56\" fill=\"#b00\">")
          .append(
              Markup.escape(
                  "not drawn: "
                      + graph.omittedNodes()
                      + " identifiers (fewest records, anonymous types first), "
                      + graph.omittedEdges()
                      + " links"))
          .append("</text>\n");
    }

    svg.append("<g class=\"edges\">\n");
    for (Edge e : graph.edges()) {
      Integer a = index.get(e.src());
      Integer b = index.get(e.dst());
      if (a == null || b == null) {
        continue;
      }
      double x1 = pos[a][0];
      double y1 = pos[a][1];
      double x2 = pos[b][0];
      double y2 = pos[b][1];
      String label = edgeLabel(e);
      svg.append(
          String.format(
              Locale.ROOT,
              "<g class=\"edge\" data-method=\"%s\" data-confidence=\"%s\" data-src=\"%s\""
                  + " data-dst=\"%s\"><title>%s</title>",
              Markup.escape(e.method()),
              confidence(e.confidence()),
              Markup.escape(e.src()),
              Markup.escape(e.dst()),
              Markup.escape(label + (e.records() > 0 ? " (" + e.records() + " records)" : ""))));
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\""
                  + " stroke-width=\"%.1f\"%s/>",
              x1,
              y1,
              x2,
              y2,
              edgeColour(e.method()),
              ProfileGraph.DETERMINISTIC.equals(e.method()) ? 1.2 : 2.0,
              dash(e.method())));
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"9\" fill=\"%s\">%s</text>",
              (x1 + x2) / 2,
              (y1 + y2) / 2 - 3,
              edgeColour(e.method()),
              Markup.escape(label)));
      svg.append("</g>\n");
    }
    svg.append("</g>\n");

    svg.append("<g class=\"nodes\">\n");
    for (int i = 0; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      double r = 8 + Math.min(8, Math.log(n.records() + 1) / Math.log(2));
      String title =
          n.idType()
              + " "
              + n.idHash()
              + "\n"
              + n.records()
              + (n.records() == 1 ? " record" : " records")
              + ", "
              + n.linkMethod()
              + ("probabilistic".equals(n.linkMethod()) ? " " + confidence(n.confidence()) : "")
              + (n.part() == null ? "" : "\ndeterministic profile " + n.part())
              + (n.held() ? "\nheld by rule: " + String.join(", ", n.rules()) : "");
      svg.append(
          String.format(
              Locale.ROOT,
              "<g class=\"node%s\" data-id-type=\"%s\" data-id-hash=\"%s\"><title>%s</title>",
              n.held() ? " held" : "",
              Markup.escape(n.idType()),
              Markup.escape(n.idHash()),
              Markup.escape(title)));
      svg.append(
          String.format(
              Locale.ROOT,
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" stroke=\"%s\""
                  + " stroke-width=\"1.5\"%s/>",
              pos[i][0],
              pos[i][1],
              r,
              n.held() ? HELD_FILL : colour(n.idType()),
              n.held() ? colour(n.idType()) : "#333",
              n.held() ? " stroke-dasharray=\"3,2\"" : ""));
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\"%s>%s</text>",
              pos[i][0],
              pos[i][1] + r + 12,
              n.held() ? " fill=\"#777\"" : "",
              Markup.escape(n.idType() + " " + n.shortHash() + (n.held() ? " [" + String.join(",", n.rules()) + "]" : ""))));
      svg.append("</g>\n");
    }
    svg.append("</g>\n");

    legend(svg, graph, side);
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static void legend(StringBuilder svg, ProfileGraph graph, double x0) {
    svg.append("<g class=\"legend\">\n");
    double x = x0 + 10;
    double y = 30;
    svg.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%.0f\" font-weight=\"bold\">identifier types</text>\n", x, y));
    List<String> present = new ArrayList<>();
    for (Node n : graph.nodes()) {
      String key = colourKey(n.idType());
      if (!present.contains(key)) {
        present.add(key);
      }
    }
    for (String type : COLOURS.keySet()) {
      if (!present.contains(type)) {
        continue;
      }
      y += 20;
      svg.append(
          String.format(
              Locale.ROOT,
              "<circle cx=\"%.0f\" cy=\"%.0f\" r=\"7\" fill=\"%s\" stroke=\"#333\"/><text x=\"%.0f\""
                  + " y=\"%.0f\">%s</text>\n",
              x + 7,
              y - 4,
              COLOURS.get(type),
              x + 20,
              y,
              Markup.escape(type.equals("external_id") ? "external_id:*" : type)));
    }
    for (String type : present) {
      if (!COLOURS.containsKey(type)) {
        y += 20;
        svg.append(
            String.format(
                Locale.ROOT,
                "<circle cx=\"%.0f\" cy=\"%.0f\" r=\"7\" fill=\"#7f7f7f\" stroke=\"#333\"/><text"
                    + " x=\"%.0f\" y=\"%.0f\">%s</text>\n",
                x + 7,
                y - 4,
                x + 20,
                y,
                Markup.escape(type)));
      }
    }
    y += 20;
    svg.append(
        String.format(
            Locale.ROOT,
            "<circle cx=\"%.0f\" cy=\"%.0f\" r=\"7\" fill=\"%s\" stroke=\"#333\""
                + " stroke-dasharray=\"3,2\"/><text x=\"%.0f\" y=\"%.0f\">held by an identity rule</text>\n",
            x + 7,
            y - 4,
            HELD_FILL,
            x + 20,
            y));
    y += 30;
    svg.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%.0f\" font-weight=\"bold\">links</text>\n", x, y));
    for (String method : List.of(ProfileGraph.DETERMINISTIC, ProfileGraph.PROBABILISTIC, ProfileGraph.MANUAL)) {
      y += 20;
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"%s\" stroke-width=\"2\"%s/>"
                  + "<text x=\"%.0f\" y=\"%.0f\">%s</text>\n",
              x,
              y - 4,
              x + 16,
              y - 4,
              edgeColour(method),
              dash(method),
              x + 20,
              y,
              Markup.escape(method + legendNote(method))));
    }
    svg.append("</g>\n");
  }

  private static String legendNote(String method) {
    return switch (method) {
      case ProfileGraph.DETERMINISTIC -> " (records carry both)";
      case ProfileGraph.PROBABILISTIC -> " (scored pair)";
      default -> " (admin merge)";
    };
  }

  /** "deterministic 1.00 web:identify", "probabilistic 0.98 ip_prefix, session_gap". */
  static String edgeLabel(Edge e) {
    String detail = e.detail() == null ? "" : e.detail();
    if (detail.length() > MAX_DETAIL) {
      detail = detail.substring(0, MAX_DETAIL - 3) + "...";
    }
    return (e.method() + " " + confidence(e.confidence()) + " " + detail).strip();
  }

  /** "1.00" for a certain link, three decimals otherwise (0.998 must not read as 1.00). */
  static String confidence(double c) {
    if (Double.isNaN(c)) {
      return "?";
    }
    return String.format(Locale.ROOT, c >= 1.0 ? "%.2f" : "%.3f", c);
  }

  private static String colourKey(String idType) {
    return idType.startsWith("external_id:") ? "external_id" : idType;
  }

  static String colour(String idType) {
    return COLOURS.getOrDefault(colourKey(idType), "#7f7f7f");
  }

  private static String edgeColour(String method) {
    return switch (method) {
      case ProfileGraph.PROBABILISTIC -> "#1f5fb4";
      case ProfileGraph.MANUAL -> "#d46a00";
      default -> "#555";
    };
  }

  private static String dash(String method) {
    return switch (method) {
      case ProfileGraph.PROBABILISTIC -> " stroke-dasharray=\"7,4\"";
      case ProfileGraph.MANUAL -> " stroke-dasharray=\"2,3\"";
      default -> "";
    };
  }
}
