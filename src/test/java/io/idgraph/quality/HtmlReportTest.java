package io.idgraph.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
  private static final String HTML = HtmlReport.render(ReportFixtures.full());

  /** The markup of the element with this id, up to its closing tag (sections and charts don't nest). */
  static String element(String html, String tag, String id) {
    int start = html.indexOf("<" + tag + " ");
    while (start >= 0 && !html.startsWith("id=\"" + id + "\"", html.indexOf("id=", start))) {
      start = html.indexOf("<" + tag + " ", start + 1);
    }
    assertThat(start).as("<%s id=%s>", tag, id).isNotNegative();
    return html.substring(start, html.indexOf("</" + tag + ">", start));
  }

  static List<Double> barWidths(String svg) {
    List<Double> out = new ArrayList<>();
    Matcher m = Pattern.compile("<rect class=\"bar\"[^>]* width=\"([0-9.]+)\" height=\"([0-9.]+)\"").matcher(svg);
    while (m.find()) {
      out.add(Double.parseDouble(m.group(1)));
      assertThat(Double.parseDouble(m.group(2))).isPositive();
    }
    return out;
  }

  @Test
  void hasEverySectionWithItsNumbers() {
    assertThat(HTML).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
    for (String id :
        List.of(
            "summary", "sources", "rejections", "merges", "review-queue", "profiles", "profile-sizes",
            "largest-profiles", "identity-rules", "stage-timings", "changes")) {
      assertThat(HTML).contains("<section id=\"" + id + "\">");
    }
    assertThat(HTML)
        .contains("id=\"card-profiles\" data-value=\"80\"")
        .contains("id=\"card-merges\" data-value=\"12\"")
        .contains("id=\"card-review-queue\" data-value=\"7\"")
        .contains("id=\"card-multi-type-profiles\" data-value=\"50\"");
    // Totals over the sources: read 150, accepted 140.
    assertThat(element(HTML, "section", "sources"))
        .contains("<td>all sources</td><td class=\"num\">150</td><td class=\"num\">140</td>");
    assertThat(element(HTML, "section", "rejections")).contains("<td>INVALID_EMAIL</td><td class=\"num\">6</td>");
    assertThat(element(HTML, "section", "merges"))
        .contains("<td>merge</td><td>probabilistic</td><td class=\"num\">3</td>")
        .contains("33.33%");
    assertThat(element(HTML, "section", "review-queue")).contains("<strong>7</strong> scored pairs pending review");
    assertThat(element(HTML, "section", "profiles")).contains("<strong>50</strong> of 80 profiles (62.5%)");
    assertThat(element(HTML, "section", "largest-profiles"))
        .contains("<code>p_largest</code></td><td class=\"num\">140</td><td class=\"num\">33</td><td>crm, web</td>");
    assertThat(element(HTML, "section", "identity-rules"))
        .contains("<td>hub_isolation</td><td class=\"num\">2</td><td class=\"num\">44</td>")
        .contains("<code>0123456789ab\u2026</code></td><td class=\"num\">25</td><td class=\"num\">30</td>")
        .contains("<code>ba9876543210\u2026</code></td><td class=\"num\">\u2013</td><td class=\"num\">14</td>");
  }

  @Test
  void changesAgainstThePreviousRunShowDeltas() {
    String changes = element(HTML, "section", "changes");
    assertThat(changes)
        .contains("run_20261127T010000Z_def456")
        .contains("<td>profiles</td><td class=\"num\">75</td><td class=\"num\">80</td><td class=\"num\"><span class=\"up\">+5 (+6.7%)</span>")
        .contains("<td>merges</td><td class=\"num\">12</td><td class=\"num\">12</td><td class=\"num\">0</td>")
        .contains("<td>records accepted</td><td class=\"num\">100</td><td class=\"num\">140</td>")
        // rows rejected: 6 then 4.
        .contains("<span class=\"down\">\u22122 (\u221233.3%)</span>")
        // A type gone tonight and one new tonight: no percentage against zero.
        .contains("<td>identifiers: device_id</td><td class=\"num\">3</td><td class=\"num\">0</td>")
        .contains("<td>identifiers: user_id</td><td class=\"num\">0</td><td class=\"num\">25</td><td class=\"num\"><span class=\"up\">+25</span>");
    assertThat(HtmlReport.render(ReportFixtures.firstRunScoringOff())).contains("First run");
  }

  @Test
  void scoringOffShowsNoQueue() {
    String html = HtmlReport.render(ReportFixtures.firstRunScoringOff());
    assertThat(element(html, "section", "review-queue")).contains("Scoring off");
    assertThat(html).contains("id=\"card-review-queue\" data-value=\"\"><div class=\"value\">scoring off");
    assertThat(element(html, "section", "identity-rules")).contains("No hub isolated tonight.");
    assertThat(element(html, "section", "merges")).contains("No merges or splits tonight.");
  }

  @Test
  void escapesTextFromConfigAndData() {
    assertThat(HTML).doesNotContain("<script").doesNotContain(ReportFixtures.HOSTILE_SOURCE);
    assertThat(element(HTML, "section", "sources"))
        .contains("<td>&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt;</td>");
    assertThat(Markup.escape("a'b")).isEqualTo("a&#39;b");
  }

  @Test
  void isSelfContained() {
    for (String html : List.of(HTML, HtmlReport.render(ReportFixtures.firstRunScoringOff()))) {
      assertThat(html.toLowerCase())
          .doesNotContain("http://")
          .doesNotContain("https://")
          .doesNotContain("<script")
          .doesNotContain("<link")
          .doesNotContain("<img")
          .doesNotContain("src=")
          .doesNotContain("href=")
          .doesNotContain("url(")
          .doesNotContain("@import")
          .contains("<style>");
    }
  }

  @Test
  void barsAreProportionalToTheirValues() {
    // Stages 10, 5, 2.5 and 0 s: the longest bar spans the chart, a zero draws no bar.
    List<Double> stages = barWidths(element(HTML, "svg", HtmlReport.STAGE_TIMINGS_CHART));
    assertThat(stages).hasSize(3);
    assertThat(stages.get(0)).isCloseTo(SvgBarChart.BAR_SPAN, within(0.01));
    assertThat(stages.get(1)).isCloseTo(stages.get(0) / 2, within(0.01));
    assertThat(stages.get(2)).isCloseTo(stages.get(0) / 4, within(0.01));
    assertThat(element(HTML, "svg", HtmlReport.STAGE_TIMINGS_CHART)).contains(">metrics</text>", ">0.0 s</text>");

    // Profile sizes 40, 20, 10, 5, 2, 2, 1, 0: seven bars, each value / 40 of the span.
    List<Double> sizes = barWidths(element(HTML, "svg", HtmlReport.PROFILE_SIZES_CHART));
    long[] counts = {40, 20, 10, 5, 2, 2, 1};
    assertThat(sizes).hasSize(counts.length);
    for (int i = 0; i < counts.length; i++) {
      assertThat(sizes.get(i)).isCloseTo(counts[i] / 40.0 * SvgBarChart.BAR_SPAN, within(0.01));
    }
  }
}
