package io.idgraph.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idgraph.testing.Fixtures;
import io.idgraph.testing.HeadlessChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report as a browser draws it: every bar of every chart has a size on screen, as many as there
 * are non-zero values, with lengths in the values' proportions. A script added to a copy of the page
 * (the report itself has none) measures each {@code rect.bar} and writes the sizes into the DOM that
 * chromium dumps. Also leaves a screenshot in target/ for a human to look at.
 */
class HtmlReportInChromiumTest {
  /** Measures every chart mark into {@code <pre id="marks">} as {chartId: [{w, h}, ...]}. */
  private static final String MEASURE =
      """
      <script>
      const marks = {};
      document.querySelectorAll('svg.chart').forEach(svg => {
        marks[svg.id] = Array.from(svg.querySelectorAll('rect.bar')).map(r => {
          const box = r.getBoundingClientRect();
          return {w: box.width, h: box.height};
        });
      });
      const pre = document.createElement('pre');
      pre.id = 'marks';
      pre.textContent = JSON.stringify(marks);
      document.body.appendChild(pre);
      </script>
      """;

  @TempDir Path dir;

  /** Renders {@code html} with the measuring script and returns the marks per chart. */
  static JsonNode measure(HeadlessChromium chromium, String html, Path dir) throws Exception {
    Path page = dir.resolve("measured.html");
    Files.writeString(page, html.replace("</body>", MEASURE + "</body>"));
    String dom = chromium.dumpDom(page, dir);
    Matcher m = Pattern.compile("<pre id=\"marks\">(.*?)</pre>", Pattern.DOTALL).matcher(dom);
    assertThat(m.find()).as("the measuring script ran; DOM: %s", dom.length() > 500 ? dom.substring(0, 500) : dom).isTrue();
    return new ObjectMapper().readTree(m.group(1));
  }

  static void assertEveryMarkDrawn(JsonNode marks, String chart, int expected) {
    JsonNode bars = marks.get(chart);
    assertThat(bars).as("chart %s measured", chart).isNotNull();
    assertThat(bars.size()).as("bars of %s", chart).isEqualTo(expected);
    for (JsonNode bar : bars) {
      assertThat(bar.get("w").asDouble()).as("bar width in %s", chart).isPositive();
      assertThat(bar.get("h").asDouble()).as("bar height in %s", chart).isPositive();
    }
  }

  @Test
  void chromiumDrawsEveryBarOfBothCharts() throws Exception {
    HeadlessChromium chromium = HeadlessChromium.require();
    String html = HtmlReport.render(ReportFixtures.full());
    JsonNode marks = measure(chromium, html, dir);

    // Profile sizes 40, 20, 10, 5, 2, 2, 1 and an empty ">100"; stages 10, 5, 2.5 and 0 s.
    assertEveryMarkDrawn(marks, HtmlReport.PROFILE_SIZES_CHART, 7);
    assertEveryMarkDrawn(marks, HtmlReport.STAGE_TIMINGS_CHART, 3);
    assertThat(marks.size()).as("charts in the page").isEqualTo(2);
    JsonNode stages = marks.get(HtmlReport.STAGE_TIMINGS_CHART);
    double longest = stages.get(0).get("w").asDouble();
    assertThat(stages.get(1).get("w").asDouble()).isCloseTo(longest / 2, within(0.5));
    assertThat(stages.get(2).get("w").asDouble()).isCloseTo(longest / 4, within(0.5));
    JsonNode sizes = marks.get(HtmlReport.PROFILE_SIZES_CHART);
    assertThat(sizes.get(6).get("w").asDouble())
        .isCloseTo(sizes.get(0).get("w").asDouble() / 40, within(0.5));

    Path page = dir.resolve("report.html");
    Files.writeString(page, html);
    chromium.screenshot(
        page, Fixtures.repoRoot().resolve("target/report-screenshots/fixture-report.png"), 1280, 2400, dir);
  }
}
