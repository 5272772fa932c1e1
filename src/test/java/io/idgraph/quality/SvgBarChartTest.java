package io.idgraph.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.idgraph.quality.SvgBarChart.Bar;
import java.util.List;
import org.junit.jupiter.api.Test;

class SvgBarChartTest {
  @Test
  void lengthIsProportionalWithAOnePixelFloorAndNothingForZero() {
    assertThat(SvgBarChart.length(50, 100)).isCloseTo(SvgBarChart.BAR_SPAN / 2, within(1e-9));
    assertThat(SvgBarChart.length(100, 100)).isCloseTo(SvgBarChart.BAR_SPAN, within(1e-9));
    assertThat(SvgBarChart.length(1, 1_000_000)).isEqualTo(1);
    assertThat(SvgBarChart.length(0, 100)).isZero();
    assertThat(SvgBarChart.length(0, 0)).isZero();
    assertThat(SvgBarChart.length(Double.NaN, 100)).isZero();
  }

  @Test
  void drawsOneBarPerPositiveValueWithEscapedLabels() throws Exception {
    String svg =
        SvgBarChart.svg(
            "chart-x",
            "A & B",
            List.of(
                new Bar("a<b", 3, "3"),
                new Bar("zero", 0, "0"),
                new Bar("a label far longer than the column has room for", 1, "1")));
    assertThat(HtmlReportTest.barWidths(svg)).hasSize(2);
    assertThat(svg)
        .contains("aria-label=\"A &amp; B\"")
        .contains(">a&lt;b</text>")
        .contains("<title>a&lt;b: 3</title>")
        .contains(">a label far longer than t\u2026</text>")
        .doesNotContain("xmlns");
    // Well-formed markup: it parses as XML once given the namespace a standalone file needs.
    ThresholdChartTest.parse(svg.replaceFirst("<svg ", "<svg xmlns=\"http://www.w3.org/2000/svg\" "));
  }
}
