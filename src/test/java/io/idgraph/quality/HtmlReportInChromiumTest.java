package io.idgraph.quality;

import static io.idgraph.testing.HeadlessChromium.assertEveryMarkDrawn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.idgraph.testing.Fixtures;
import io.idgraph.testing.HeadlessChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hand-built report as a browser draws it: every bar of both charts has a size on screen, as many
 * bars as non-zero values, lengths in the values' proportions. Also leaves a screenshot in
 * target/report-screenshots for a human to look at. (io.idgraph.job.RunReportsTest does the same on
 * a real night's report.)
 */
class HtmlReportInChromiumTest {
  @TempDir Path dir;

  @Test
  void chromiumDrawsEveryBarOfBothCharts() throws Exception {
    HeadlessChromium chromium = HeadlessChromium.require();
    String html = HtmlReport.render(ReportFixtures.full());
    JsonNode marks = chromium.measureChartMarks(html, dir);

    // Profile sizes 40, 20, 10, 5, 2, 2, 1 and an empty ">100"; stages 10, 5, 2.5 and 0 s.
    assertThat(marks.size()).as("charts in the page").isEqualTo(2);
    assertEveryMarkDrawn(marks, HtmlReport.PROFILE_SIZES_CHART, 7);
    assertEveryMarkDrawn(marks, HtmlReport.STAGE_TIMINGS_CHART, 3);
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
