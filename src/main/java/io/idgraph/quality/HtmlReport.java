package io.idgraph.quality;

import io.idgraph.quality.RunMetrics.SourceCounts;
import io.idgraph.quality.RunReport.Hub;
import io.idgraph.quality.RunReport.LargeProfile;
import io.idgraph.quality.RunReport.MethodCount;
import io.idgraph.quality.RunReport.RunTotals;
import io.idgraph.quality.RunReport.SizeBucket;
import io.idgraph.quality.SvgBarChart.Bar;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The run report as one self-contained HTML page: inline CSS and inline SVG charts ({@link
 * SvgBarChart}), no script, no font, image or style sheet from anywhere else, so it opens from a
 * bucket, a mail attachment or a laptop without network. Every text that comes from config or data is
 * escaped ({@link Markup}). It shows counts, ids and truncated hashes only: a {@link RunReport} holds
 * no identifier value, so neither does the page.
 *
 * <p>Sections, each a {@code <section>} with a stable id: summary, sources, rejections, merges,
 * review-queue, profiles, profile-sizes (chart), largest-profiles, identity-rules, stage-timings
 * (chart), changes (against the previous run, or "first run").
 */
public final class HtmlReport {
  private HtmlReport() {}

  /** The report's file name under the output root. */
  public static final String FILE_NAME = "report.html";

  public static final String PROFILE_SIZES_CHART = "chart-profile-sizes";
  public static final String STAGE_TIMINGS_CHART = "chart-stage-timings";

  private static final String CSS =
      """
      body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;\
      margin:24px auto;max-width:1040px;padding:0 16px;color:#1d2430;background:#fff;line-height:1.4}
      h1{font-size:24px;margin:0 0 4px}
      h2{font-size:18px;margin:28px 0 8px;padding-bottom:4px;border-bottom:1px solid #d8dde6}
      h3{font-size:15px;margin:16px 0 6px}
      .meta{color:#5a6473;font-size:13px}
      .cards{display:flex;flex-wrap:wrap;gap:10px;margin:16px 0}
      .card{border:1px solid #d8dde6;border-radius:6px;padding:8px 12px;min-width:130px}
      .card .value{font-size:22px;font-weight:600}
      .card .label{font-size:12px;color:#5a6473}
      table{border-collapse:collapse;margin:6px 0 10px;font-size:13px}
      th,td{border:1px solid #d8dde6;padding:3px 10px;text-align:left}
      th{background:#f1f4f8}
      td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
      tr.total td{font-weight:600;background:#f8f9fb}
      .note{color:#5a6473;font-size:13px;margin:4px 0}
      .up{color:#1d6b2f}
      .down{color:#a3261b}
      code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
      .cols{display:flex;flex-wrap:wrap;gap:0 48px;align-items:flex-start}
      .cols>section{flex:1 1 380px;min-width:0}
      svg.chart{display:block;margin:8px 0;max-width:100%;height:auto}
      footer{margin-top:32px;color:#5a6473;font-size:12px}
      """;

  public static String render(RunReport report) {
    RunMetrics m = report.metrics();
    StringBuilder html = new StringBuilder(32 * 1024);
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    html.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    html.append("<title>idgraph run ").append(esc(m.runId())).append("</title>\n");
    html.append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
    summary(html, report);
    sources(html, m);
    // Short sections side by side, so the page reads on one screen or two.
    html.append("<div class=\"cols\">\n");
    rejections(html, m);
    merges(html, report);
    html.append("</div>\n");
    reviewQueue(html, report);
    profiles(html, report);
    profileSizes(html, report.profileSizes());
    largestProfiles(html, report.largestProfiles());
    identityRules(html, report);
    stageTimings(html, m);
    changes(html, report);
    html.append("<footer>Written by idgraph at the end of run ")
        .append(esc(m.runId()))
        .append(". Counts, profile ids and truncated identifier hashes only; the tables under ")
        .append("<code>")
        .append(esc(report.outputRoot()))
        .append("</code> hold the rest.</footer>\n");
    html.append("</body>\n</html>\n");
    return html.toString();
  }

  private static void summary(StringBuilder html, RunReport report) {
    RunMetrics m = report.metrics();
    html.append("<section id=\"summary\">\n<h1>idgraph run report</h1>\n");
    double seconds = Duration.between(m.startedAt(), m.endedAt()).toMillis() / 1000.0;
    html.append("<p class=\"meta\">Run <code>")
        .append(esc(m.runId()))
        .append("</code>, started ")
        .append(esc(time(m.startedAt())))
        .append(", took ")
        .append(String.format(Locale.ROOT, "%.1f s", seconds))
        .append(". Tables under <code>")
        .append(esc(report.outputRoot()))
        .append("</code>.</p>\n");
    long accepted = m.sources().stream().mapToLong(SourceCounts::accepted).sum();
    html.append("<div class=\"cards\">\n");
    card(html, "profiles", "profiles", m.profiles());
    card(html, "records", "records accepted", accepted);
    card(html, "merges", "merges", m.merges());
    card(
        html,
        "duplicate-detection-rate",
        "duplicate-detection rate",
        String.format(Locale.ROOT, "%.1f%%", 100 * m.duplicateDetectionRate()),
        String.format(Locale.ROOT, "%.6f", m.duplicateDetectionRate()));
    if (report.candidatesByStatus() == null) {
      card(html, "review-queue", "pairs pending review", "scoring off", "");
    } else {
      card(html, "review-queue", "pairs pending review", pending(report));
    }
    card(html, "multi-type-profiles", "profiles with 2+ identifier types", report.multiTypeProfiles());
    card(html, "identity-edges", "identity edges", m.identityEdges());
    html.append("</div>\n</section>\n");
  }

  private static void sources(StringBuilder html, RunMetrics m) {
    html.append("<section id=\"sources\">\n<h2>Sources</h2>\n<table>\n<tr><th>source</th>");
    for (String h : List.of("read", "accepted", "rejected", "duplicates", "values dropped")) {
      html.append("<th class=\"num\">").append(h).append("</th>");
    }
    html.append("</tr>\n");
    long[] totals = new long[5];
    for (SourceCounts s : m.sources()) {
      long[] row = {s.read(), s.accepted(), s.rejected(), s.duplicates(), s.valuesDropped()};
      html.append("<tr><td>").append(esc(s.source())).append("</td>");
      for (int i = 0; i < row.length; i++) {
        totals[i] += row[i];
        numCell(html, row[i]);
      }
      html.append("</tr>\n");
    }
    html.append("<tr class=\"total\"><td>all sources</td>");
    for (long t : totals) {
      numCell(html, t);
    }
    html.append("</tr>\n</table>\n");
    html.append(
        "<p class=\"note\">Rejected: rows rejected whole (malformed, no record id). Duplicates: older"
            + " rows of a record id that a newer row superseded. Values dropped: bad values removed from"
            + " accepted records (invalid email, phone, time, IP).</p>\n</section>\n");
  }

  private static void rejections(StringBuilder html, RunMetrics m) {
    html.append("<section id=\"rejections\">\n<h2>Rejected rows and values by reason</h2>\n");
    if (m.rejectionsByReason().isEmpty()) {
      html.append("<p>Nothing rejected.</p>\n");
    } else {
      html.append("<table>\n<tr><th>reason</th><th class=\"num\">rows or values</th></tr>\n");
      for (Map.Entry<String, Long> e : m.rejectionsByReason().entrySet()) {
        html.append("<tr><td>").append(esc(e.getKey())).append("</td>");
        numCell(html, e.getValue());
        html.append("</tr>\n");
      }
      html.append("</table>\n<p class=\"note\">Details per row in <code>rejected_records</code>.</p>\n");
    }
    html.append("</section>\n");
  }

  private static void merges(StringBuilder html, RunReport report) {
    RunMetrics m = report.metrics();
    html.append("<section id=\"merges\">\n<h2>Merges</h2>\n");
    if (report.mergesByMethod().isEmpty()) {
      html.append("<p>No merges or splits tonight.</p>\n");
    } else {
      html.append(
          "<table>\n<tr><th>event</th><th>method</th><th class=\"num\">merge_history rows</th></tr>\n");
      for (MethodCount c : report.mergesByMethod()) {
        html.append("<tr><td>")
            .append(esc(c.event()))
            .append("</td><td>")
            .append(esc(c.method()))
            .append("</td>");
        numCell(html, c.count());
        html.append("</tr>\n");
      }
      html.append("</table>\n");
    }
    html.append("<p>Duplicate-detection rate <strong>")
        .append(String.format(Locale.ROOT, "%.2f%%", 100 * m.duplicateDetectionRate()))
        .append("</strong>: of ")
        .append(num(m.entities()))
        .append(" source entities (contacts, subscribers, user ids, visitors, requesters), that share")
        .append(" was folded into another entity's profile.</p>\n</section>\n");
  }

  private static void reviewQueue(StringBuilder html, RunReport report) {
    html.append("<section id=\"review-queue\">\n<h2>Merge queue</h2>\n");
    Map<String, Long> byStatus = report.candidatesByStatus();
    if (byStatus == null) {
      html.append("<p>Scoring off: no probabilistic candidates, no review queue.</p>\n");
    } else {
      html.append("<p><strong>")
          .append(num(pending(report)))
          .append("</strong> scored pairs pending review in <code>merge_candidates</code>")
          .append(" (<code>idgraph review</code> approves or rejects them).</p>\n");
      html.append("<div class=\"cols\">\n<div>\n");
      if (!byStatus.isEmpty()) {
        html.append("<h3>Candidates by status</h3>\n");
        html.append("<table>\n<tr><th>status</th><th class=\"num\">pairs</th></tr>\n");
        byStatus.forEach(
            (status, n) -> {
              html.append("<tr><td>").append(esc(status)).append("</td>");
              numCell(html, n);
              html.append("</tr>\n");
            });
        html.append("</table>\n");
      }
      html.append("</div>\n<div>\n");
      if (!report.metrics().scoring().isEmpty()) {
        html.append("<h3>Scoring tonight</h3>\n<table>\n");
        report.metrics().scoring().forEach((k, v) -> countRow(html, k, v));
        html.append("</table>\n");
      }
      html.append("</div>\n</div>\n");
    }
    html.append("</section>\n");
  }

  private static void profiles(StringBuilder html, RunReport report) {
    RunMetrics m = report.metrics();
    html.append("<section id=\"profiles\">\n<h2>Profiles</h2>\n");
    html.append("<p><strong>")
        .append(num(report.multiTypeProfiles()))
        .append("</strong> of ")
        .append(num(m.profiles()))
        .append(" profiles")
        .append(
            m.profiles() == 0
                ? ""
                : String.format(
                    Locale.ROOT, " (%.1f%%)", 100.0 * report.multiTypeProfiles() / m.profiles()))
        .append(" hold identifiers of two or more types.</p>\n");
    html.append("<div class=\"cols\">\n<div>\n<h3>By state</h3>\n<table>\n");
    m.profilesByState().forEach((k, v) -> countRow(html, k, v));
    html.append("<tr class=\"total\"><td>all profiles</td>");
    numCell(html, m.profiles());
    html.append("</tr>\n</table>\n</div>\n<div>\n");
    html.append("<h3>Distinct identifiers by type</h3>\n<table>\n");
    m.identifiersByType().forEach((k, v) -> countRow(html, k, v));
    html.append("</table>\n</div>\n<div>\n");
    html.append("<h3>Profiles by identifier types held</h3>\n");
    html.append(
        "<table>\n<tr><th class=\"num\">identifier types</th><th class=\"num\">profiles</th></tr>\n");
    report
        .profilesByIdentifierTypes()
        .forEach(
            (types, n) -> {
              html.append("<tr>");
              numCell(html, types);
              numCell(html, n);
              html.append("</tr>\n");
            });
    html.append("</table>\n</div>\n</div>\n</section>\n");
  }

  private static void profileSizes(StringBuilder html, List<SizeBucket> buckets) {
    html.append("<section id=\"profile-sizes\">\n<h2>Profile sizes</h2>\n");
    List<Bar> bars = new ArrayList<>();
    for (SizeBucket b : buckets) {
      bars.add(new Bar(b.label() + (b.label().equals("1") ? " record" : " records"), b.profiles(), num(b.profiles())));
    }
    html.append(SvgBarChart.svg(PROFILE_SIZES_CHART, "Profiles by records per profile", bars));
    html.append("</section>\n");
  }

  private static void largestProfiles(StringBuilder html, List<LargeProfile> largest) {
    html.append("<section id=\"largest-profiles\">\n<h2>Largest profiles</h2>\n");
    if (largest.isEmpty()) {
      html.append("<p>No profiles.</p>\n");
    } else {
      html.append(
          "<table>\n<tr><th class=\"num\">#</th><th>profile id</th><th class=\"num\">records</th>"
              + "<th class=\"num\">identifiers</th><th>sources</th></tr>\n");
      int rank = 1;
      for (LargeProfile p : largest) {
        html.append("<tr>");
        numCell(html, rank++);
        html.append("<td><code>").append(esc(p.profileId())).append("</code></td>");
        numCell(html, p.records());
        numCell(html, p.identifiers());
        html.append("<td>").append(esc(String.join(", ", p.sources()))).append("</td></tr>\n");
      }
      html.append(
          "</table>\n<p class=\"note\"><code>idgraph explain</code> shows why a profile's records are"
              + " together.</p>\n");
    }
    html.append("</section>\n");
  }

  private static void identityRules(StringBuilder html, RunReport report) {
    RunMetrics m = report.metrics();
    html.append("<section id=\"identity-rules\">\n<h2>Blocked and isolated identifiers</h2>\n");
    if (m.linkDecisionsByRule().isEmpty()) {
      html.append("<p>No identifier was kept from linking tonight.</p>\n");
    } else {
      html.append(
          "<table>\n<tr><th>rule</th><th class=\"num\">identifiers</th>"
              + "<th class=\"num\">records carrying them</th></tr>\n");
      m.linkDecisionsByRule()
          .forEach(
              (rule, n) -> {
                html.append("<tr><td>").append(esc(rule)).append("</td>");
                numCell(html, n);
                numCell(html, m.linkDecisionRecordsByRule().getOrDefault(rule, 0L));
                html.append("</tr>\n");
              });
      html.append("</table>\n");
    }
    html.append("<h3>Isolated hubs with the highest degree</h3>\n");
    if (report.isolatedHubs().isEmpty()) {
      html.append("<p>No hub isolated tonight.</p>\n");
    } else {
      html.append(
          "<table>\n<tr><th>type</th><th>hash (first "
              + ReportQueries.HASH_PREFIX
              + " characters)</th><th class=\"num\">degree</th><th class=\"num\">records</th>"
              + "<th>why</th></tr>\n");
      for (Hub h : report.isolatedHubs()) {
        html.append("<tr><td>")
            .append(esc(h.idType()))
            .append("</td><td><code>")
            .append(esc(h.hashPrefix()))
            .append("\u2026</code></td>");
        numCellOrDash(html, h.degree());
        numCell(html, h.records());
        html.append("<td>").append(esc(h.detail())).append("</td></tr>\n");
      }
      html.append(
          "</table>\n<p class=\"note\">Degree: distinct emails, user ids and external ids seen with the"
              + " identifier. Every row in <code>link_decisions</code>.</p>\n");
    }
    html.append("</section>\n");
  }

  private static void stageTimings(StringBuilder html, RunMetrics m) {
    html.append("<section id=\"stage-timings\">\n<h2>Stage timings</h2>\n");
    List<Bar> bars = new ArrayList<>();
    double total = 0;
    for (Map.Entry<String, Double> e : m.stageSeconds().entrySet()) {
      bars.add(
          new Bar(e.getKey(), e.getValue(), String.format(Locale.ROOT, "%.1f s", e.getValue())));
      total += e.getValue();
    }
    html.append(SvgBarChart.svg(STAGE_TIMINGS_CHART, "Wall time per stage (seconds)", bars));
    html.append(String.format(Locale.ROOT, "<p class=\"note\">Stages together: %.1f s.</p>%n", total));
    html.append("</section>\n");
  }

  private static void changes(StringBuilder html, RunReport report) {
    html.append("<section id=\"changes\">\n<h2>Change since the previous run</h2>\n");
    RunTotals prev = report.previous();
    if (prev == null) {
      html.append("<p>First run: no previous run to compare with.</p>\n</section>\n");
      return;
    }
    RunTotals now = RunTotals.of(report.metrics());
    html.append("<p>Against run <code>")
        .append(esc(prev.runId()))
        .append("</code>, started ")
        .append(esc(time(prev.startedAt())))
        .append(".</p>\n");
    html.append(
        "<table>\n<tr><th></th><th class=\"num\">previous</th><th class=\"num\">tonight</th>"
            + "<th class=\"num\">change</th></tr>\n");
    deltaRow(html, "profiles", prev.profiles(), now.profiles());
    deltaRow(html, "merges", prev.merges(), now.merges());
    deltaRow(html, "records accepted", prev.records(), now.records());
    deltaRow(html, "rows rejected", prev.rejected(), now.rejected());
    TreeSet<String> types = new TreeSet<>(prev.identifiersByType().keySet());
    types.addAll(now.identifiersByType().keySet());
    for (String t : types) {
      deltaRow(
          html,
          "identifiers: " + t,
          prev.identifiersByType().getOrDefault(t, 0L),
          now.identifiersByType().getOrDefault(t, 0L));
    }
    html.append("</table>\n");
    if (!report.metrics().idChanges().isEmpty()) {
      html.append("<h3>Previous profile ids tonight</h3>\n<table>\n");
      report.metrics().idChanges().forEach((k, v) -> countRow(html, k, v));
      html.append("</table>\n");
    }
    html.append("</section>\n");
  }

  private static void deltaRow(StringBuilder html, String label, long before, long after) {
    html.append("<tr><td>").append(esc(label)).append("</td>");
    numCell(html, before);
    numCell(html, after);
    html.append("<td class=\"num\">").append(delta(before, after)).append("</td></tr>\n");
  }

  /** "+12 (+3.4%)", "−5 (−1.0%)", "0"; no percentage against zero. */
  static String delta(long before, long after) {
    long d = after - before;
    if (d == 0) {
      return "0";
    }
    String cls = d > 0 ? "up" : "down";
    String sign = d > 0 ? "+" : "\u2212";
    StringBuilder out = new StringBuilder();
    out.append("<span class=\"").append(cls).append("\">").append(sign).append(num(Math.abs(d)));
    if (before != 0) {
      out.append(String.format(Locale.ROOT, " (%s%.1f%%)", sign, Math.abs(100.0 * d / before)));
    }
    return out.append("</span>").toString();
  }

  private static long pending(RunReport report) {
    return report.candidatesByStatus().getOrDefault("pending", 0L);
  }

  private static void card(StringBuilder html, String id, String label, long value) {
    card(html, id, label, num(value), Long.toString(value));
  }

  /** A summary card; {@code data-value} carries the raw number for scripts and tests. */
  private static void card(StringBuilder html, String id, String label, String shown, String raw) {
    html.append("<div class=\"card\" id=\"card-")
        .append(id)
        .append("\" data-value=\"")
        .append(esc(raw))
        .append("\"><div class=\"value\">")
        .append(esc(shown))
        .append("</div><div class=\"label\">")
        .append(esc(label))
        .append("</div></div>\n");
  }

  private static void countRow(StringBuilder html, String label, long value) {
    html.append("<tr><td>").append(esc(label)).append("</td>");
    numCell(html, value);
    html.append("</tr>\n");
  }

  private static void numCell(StringBuilder html, long value) {
    html.append("<td class=\"num\">").append(num(value)).append("</td>");
  }

  private static void numCellOrDash(StringBuilder html, Long value) {
    html.append("<td class=\"num\">").append(value == null ? "\u2013" : num(value)).append("</td>");
  }

  static String num(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  private static String time(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String esc(String s) {
    return Markup.escape(s);
  }
}
