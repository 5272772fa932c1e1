package io.idgraph.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.explain.ProfileGraph.Edge;
import io.idgraph.explain.ProfileGraph.Node;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A hand-made graph: two deterministic parts (D1: user id, email, browser; D2: a second browser)
 * joined by a scored pair, an admin's merge to a third part, and a hub phone held by a rule.
 */
class SvgGraphTest {
  private static final String U = "a1".repeat(32);
  private static final String E = "b2".repeat(32);
  private static final String A1 = "c3".repeat(32);
  private static final String A2 = "d4".repeat(32);
  private static final String P = "e5".repeat(32);
  private static final String X = "f6".repeat(32);

  private static ProfileGraph graph() {
    List<Node> nodes =
        List.of(
            new Node("user_id", U, 4, "D1", "deterministic", 1.0, List.of()),
            new Node("email", E, 3, "D1", "deterministic", 1.0, List.of()),
            new Node("phone", P, 1, "D1", "deterministic", 1.0, List.of("hub_isolation")),
            new Node("external_id:crm", X, 1, "D3", "deterministic", 1.0, List.of()),
            new Node("anonymous_id", A1, 9, "D1", "deterministic", 1.0, List.of()),
            new Node("anonymous_id", A2, 2, "D2", "probabilistic", 0.9815, List.of()));
    List<Edge> edges =
        List.of(
            new Edge(U, E, "deterministic", "crm:record", 1.0, 1),
            new Edge(U, A1, "deterministic", "web:identify", 1.0, 2),
            new Edge(U, A2, "probabilistic", "fingerprint, ip_prefix", 0.9815, 0),
            new Edge(U, X, "manual", "by alice <ops&co>", 1.0, 0));
    return new ProfileGraph("prf_0123456789abcdef", nodes, edges, 3, 1);
  }

  private static Document parse(String svg) throws Exception {
    return DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<Element> groups(Document doc, String classPrefix) {
    List<Element> out = new ArrayList<>();
    NodeList all = doc.getElementsByTagName("g");
    for (int i = 0; i < all.getLength(); i++) {
      Element g = (Element) all.item(i);
      String cls = g.getAttribute("class");
      if (cls.equals(classPrefix) || cls.startsWith(classPrefix + " ")) {
        out.add(g);
      }
    }
    return out;
  }

  @Test
  void svgParsesWithOneNodePerIdentifierAndLabelledEdges() throws Exception {
    Document doc = parse(SvgGraph.render(graph()));
    assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");

    List<Element> nodes = groups(doc, "node");
    assertThat(nodes).extracting(n -> n.getAttribute("data-id-hash")).containsExactly(U, E, P, X, A1, A2);
    assertThat(nodes.get(0).getElementsByTagName("text").item(0).getTextContent())
        .isEqualTo("user_id a1a1a1a1");
    assertThat(nodes.get(2).getAttribute("class")).isEqualTo("node held");
    assertThat(nodes.get(2).getElementsByTagName("text").item(0).getTextContent())
        .isEqualTo("phone e5e5e5e5 [hub_isolation]");

    List<Element> edges = groups(doc, "edge");
    assertThat(edges)
        .extracting(e -> e.getElementsByTagName("text").item(0).getTextContent())
        .containsExactly(
            "deterministic 1.00 crm:record",
            "deterministic 1.00 web:identify",
            "probabilistic 0.982 fingerprint, ip_prefix",
            "manual 1.00 by alice <ops&co>");
    assertThat(edges)
        .extracting(e -> e.getAttribute("data-method") + " " + e.getAttribute("data-confidence"))
        .containsExactly(
            "deterministic 1.00", "deterministic 1.00", "probabilistic 0.982", "manual 1.00");

    String svg = SvgGraph.render(graph());
    assertThat(svg).contains("not drawn: 3 identifiers").contains("1 links");
    assertThat(svg).contains("external_id:*").contains("held by an identity rule");
  }

  @Test
  void layoutIsDeterministicAndInsideTheCanvas() throws Exception {
    assertThat(SvgGraph.render(graph())).isEqualTo(SvgGraph.render(graph()));
    double[][] pos =
        GraphLayout.place(6, List.of(new int[] {0, 1}, new int[] {0, 4}), 600, 600, 90);
    for (double[] p : pos) {
      assertThat(p[0]).isBetween(89.9, 510.1);
      assertThat(p[1]).isBetween(89.9, 510.1);
    }
    // Linked nodes end closer to each other than the average pair.
    double linked = Math.hypot(pos[0][0] - pos[1][0], pos[0][1] - pos[1][1]);
    double unlinked = Math.hypot(pos[2][0] - pos[3][0], pos[2][1] - pos[3][1]);
    assertThat(linked).isLessThan(unlinked);
  }

  @Test
  void dotNamesEveryNodeAndEdgeWithEscapedLabels() {
    String dot = DotGraph.render(graph());
    assertThat(dot).startsWith("graph \"prf_0123456789abcdef\" {");
    assertThat(dot).contains("\"" + U + "\" [label=\"user_id\\na1a1a1a1\"");
    assertThat(dot).contains("\"" + U + "\" -- \"" + A2 + "\" [label=\"probabilistic 0.982 fingerprint, ip_prefix\", style=dashed]");
    assertThat(dot).contains("style=\"filled,dashed\", xlabel=\"hub_isolation\"");
    assertThat(DotGraph.quote("say \"hi\" \\ now")).isEqualTo("\"say \\\"hi\\\" \\\\ now\"");
  }
}
