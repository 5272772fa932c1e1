package io.idgraph.explain;

import io.idgraph.explain.ProfileGraph.Edge;
import io.idgraph.explain.ProfileGraph.Node;

/**
 * Writes a {@link ProfileGraph} as Graphviz DOT text, for users who have Graphviz: the same nodes,
 * colours, edge styles and labels as {@link SvgGraph}, with the layout left to Graphviz.
 */
public final class DotGraph {
  private DotGraph() {}

  public static String render(ProfileGraph graph) {
    StringBuilder dot = new StringBuilder();
    dot.append("graph ").append(quote(graph.profileId())).append(" {\n");
    dot.append("  label=").append(quote("profile " + graph.profileId() + omitted(graph))).append(";\n");
    dot.append("  labelloc=t;\n");
    dot.append("  node [shape=circle, style=filled, fontname=\"sans-serif\", fontsize=10];\n");
    dot.append("  edge [fontname=\"sans-serif\", fontsize=8];\n");
    for (Node n : graph.nodes()) {
      dot.append("  ")
          .append(quote(n.idHash()))
          .append(" [label=")
          .append(quote(n.idType() + "\n" + n.shortHash()))
          .append(", tooltip=")
          .append(quote(n.idType() + " " + n.idHash() + ", " + n.records() + " records"))
          .append(", fillcolor=")
          .append(quote(n.held() ? "#d9d9d9" : SvgGraph.colour(n.idType())))
          .append(n.held() ? ", style=\"filled,dashed\", xlabel=" + quote(String.join(",", n.rules())) : "")
          .append("];\n");
    }
    for (Edge e : graph.edges()) {
      dot.append("  ")
          .append(quote(e.src()))
          .append(" -- ")
          .append(quote(e.dst()))
          .append(" [label=")
          .append(quote(SvgGraph.edgeLabel(e)))
          .append(", style=")
          .append(
              switch (e.method()) {
                case ProfileGraph.PROBABILISTIC -> "dashed";
                case ProfileGraph.MANUAL -> "dotted";
                default -> "solid";
              })
          .append("];\n");
    }
    dot.append("}\n");
    return dot.toString();
  }

  private static String omitted(ProfileGraph graph) {
    return graph.omittedNodes() > 0 || graph.omittedEdges() > 0
        ? " (not drawn: " + graph.omittedNodes() + " identifiers, " + graph.omittedEdges() + " links)"
        : "";
  }

  /** A DOT double-quoted string: backslashes and quotes escaped, line breaks as \n. */
  static String quote(String s) {
    return "\""
        + (s == null ? "" : s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
        + "\"";
  }
}
