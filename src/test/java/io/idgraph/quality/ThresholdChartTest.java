package io.idgraph.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ThresholdChartTest {
  private static final List<ThresholdRow> ROWS =
      List.of(
          new ThresholdRow(null, 0, Double.NaN, 1.0, 1 / 3.0, 0.5, 7, 0),
          new ThresholdRow(0.60, 3, 2 / 3.0, 2 / 3.0, 1.0, 0.8, 4, 1),
          new ThresholdRow(0.65, 2, 0.5, 2 / 3.0, 2 / 3.0, 2 / 3.0, 5, 1),
          new ThresholdRow(0.90, 1, 1.0, 1.0, 2 / 3.0, 0.8, 6, 0),
          new ThresholdRow(0.97, 0, Double.NaN, 1.0, 1 / 3.0, 0.5, 7, 0),
          new ThresholdRow(0.99, 0, Double.NaN, 1.0, 1 / 3.0, 0.5, 7, 0));

  static Document parse(String svg) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<String> texts(Document doc) {
    List<String> out = new ArrayList<>();
    NodeList texts = doc.getElementsByTagName("text");
    for (int i = 0; i < texts.getLength(); i++) {
      out.add(texts.item(i).getTextContent());
    }
    return out;
  }

  private static Element group(Document doc, String id) {
    NodeList groups = doc.getElementsByTagName("g");
    for (int i = 0; i < groups.getLength(); i++) {
      Element g = (Element) groups.item(i);
      if (g.getAttribute("id").equals(id)) {
        return g;
      }
    }
    throw new AssertionError("no group " + id);
  }

  @Test
  void isValidSvgWithThreeSeriesLegendAxesAndMarkers() throws Exception {
    Document doc = parse(ThresholdChart.svg(ROWS, 0.85));
    Element svg = doc.getDocumentElement();
    assertThat(svg.getLocalName()).isEqualTo("svg");
    assertThat(svg.getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
    assertThat(svg.getAttribute("viewBox")).isEqualTo("0 0 780 460");
    assertThat(texts(doc))
        .contains(
            "Precision and recall by merge threshold",
            "link precision",
            "pairwise precision",
            "pairwise recall",
            "deterministic-only recall",
            "merge threshold",
            "merge threshold 0.85",
            "merge threshold (probability)",
            "0.60",
            "1.00",
            "0.0",
            "1.0");

    // The merge threshold is a dashed vertical line; deterministic recall a dashed horizontal one.
    Element marker = (Element) group(doc, "merge-threshold").getElementsByTagName("line").item(0);
    assertThat(marker.getAttribute("x1")).isEqualTo(marker.getAttribute("x2"));
    assertThat(marker.getAttribute("stroke-dasharray")).isNotEmpty();
    Element recall = (Element) group(doc, "deterministic-recall").getElementsByTagName("line").item(0);
    assertThat(recall.getAttribute("y1")).isEqualTo(recall.getAttribute("y2"));
    assertThat(recall.getAttribute("stroke-dasharray")).isNotEmpty();
    // x runs 0.60 → 1.00 over 70 → 560: 0.85 sits at 70 + 0.25 / 0.40 * 490.
    assertThat(Double.parseDouble(marker.getAttribute("x1"))).isCloseTo(376.25, within(0.1));

    assertThat(group(doc, "pairwise-precision").getElementsByTagName("circle").getLength())
        .isEqualTo(5);
    assertThat(group(doc, "pairwise-recall").getElementsByTagName("polyline").getLength())
        .isEqualTo(1);
    // Link precision is undefined without links: three points, one line, no points at 0.97 and 0.99.
    Element links = group(doc, "link-precision");
    assertThat(links.getElementsByTagName("circle").getLength()).isEqualTo(3);
    assertThat(links.getElementsByTagName("polyline").getLength()).isEqualTo(1);
  }

  @Test
  void aMergeThresholdBelowTheSweptRangeWidensTheAxis() throws Exception {
    Document doc = parse(ThresholdChart.svg(ROWS, 0.42));
    assertThat(texts(doc)).contains("merge threshold 0.42", "0.40", "0.60", "1.00");
  }
}
