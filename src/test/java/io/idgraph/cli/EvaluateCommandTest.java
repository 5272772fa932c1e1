package io.idgraph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.quality.ThresholdChart;
import io.idgraph.testing.Fixtures;
import io.idgraph.testing.SparkTest;
import io.idgraph.testing.ThresholdFixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

@SparkTest
class EvaluateCommandTest {
  @TempDir Path dir;

  @Test
  void evaluatesADeltaTableAgainstTruthAndReportsBadInput(SparkSession spark) {
    spark
        .sql("SELECT * FROM VALUES ('crm','c1','p1'), ('crm','c2','p1'), ('web','m1','p2')"
            + " AS t(source, record_id, profile_id)")
        .write()
        .format("delta")
        .save(dir.resolve("out/record_profiles").toString());
    Path truth =
        Fixtures.write(dir, "truth.csv", "source,record_id,person_id", "crm,c1,A", "crm,c2,A",
            "web,m1,A");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        IdgraphCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), "evaluate",
            "--output", dir.resolve("out").toString(), "--truth", truth.toString(), "--json",
            dir.resolve("r.json").toString());
    assertThat(code).isZero();
    assertThat(out.toString())
        .contains("pairwise precision   1.0000")
        .contains("pairwise recall      0.3333")
        .contains("split persons        1")
        .contains("threshold table skipped: no merge_candidates table");
    assertThat(dir.resolve("out/evaluation")).doesNotExist();
    assertThat(dir.resolve("r.json")).content().contains("\"recall\"");

    assertThat(
            IdgraphCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), "evaluate",
                "--output", dir.resolve("out").toString(), "--truth", dir.resolve("no.csv").toString()))
        .isEqualTo(ExitCodes.BAD_CONFIG_OR_INPUT);
    assertThat(
            IdgraphCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), "evaluate",
                "--output", dir.resolve("none").toString(), "--truth", truth.toString()))
        .isEqualTo(ExitCodes.BAD_CONFIG_OR_INPUT);
    Path badTruth = Fixtures.write(dir, "bad.csv", "source,id,person", "crm,c1,A");
    assertThat(
            IdgraphCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), "evaluate",
                "--output", dir.resolve("out").toString(), "--truth", badTruth.toString()))
        .isEqualTo(ExitCodes.BAD_CONFIG_OR_INPUT);
    assertThat(err.toString())
        .contains("no.csv")
        .contains("record_profiles")
        .contains("column 'record_id' missing");
  }

  private static void save(Dataset<Row> rows, Path table) {
    rows.write().format("delta").save(table.toString());
  }

  @Test
  void writesTheThresholdTableAndChartWhenTheRunScoredPairs(SparkSession spark) throws Exception {
    Path output = dir.resolve("scored");
    save(ThresholdFixtures.recordProfiles(spark), output.resolve("record_profiles"));
    save(ThresholdFixtures.mergeCandidates(spark), output.resolve("merge_candidates"));
    Path truth = Fixtures.write(dir, "truth.csv", ThresholdFixtures.TRUTH);
    Path chart = dir.resolve("charts/run-2.svg");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        IdgraphCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), "evaluate",
            "--output", output.toString(), "--truth", truth.toString(), "--chart", chart.toString());
    assertThat(code).as(err.toString()).isZero();
    Path csv = output.resolve("evaluation/thresholds.csv");
    assertThat(out.toString())
        .contains("pairwise recall      0.6667")
        .contains("threshold table written to " + csv)
        .contains("threshold chart written to " + chart);
    // 0.65: X and Y used, Y joins B's profile with C's. 0.90: only X. Z (0.99) was refused.
    assertThat(Files.readAllLines(csv))
        .startsWith(
            "threshold,links,link_precision,pairwise_precision,pairwise_recall,f1,profiles,"
                + "over_merged_profiles",
            "deterministic,0,,1.000000,0.333333,0.500000,7,0")
        .contains(
            "0.65,2,0.500000,0.666667,0.666667,0.666667,5,1",
            "0.90,1,1.000000,1.000000,0.666667,0.800000,6,0")
        .endsWith("0.99,0,,1.000000,0.333333,0.500000,7,0");
    DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
    xml.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document svg = xml.newDocumentBuilder().parse(chart.toFile());
    assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
    assertThat(svg.getDocumentElement().getTextContent())
        .contains(ThresholdChart.LINK_PRECISION)
        .contains(ThresholdChart.PAIRWISE_PRECISION)
        .contains(ThresholdChart.PAIRWISE_RECALL)
        .contains("merge threshold 0.85");
    assertThat(output.resolve("evaluation/thresholds.svg")).doesNotExist();

    assertThat(
            IdgraphCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), "evaluate",
                "--output", output.toString(), "--truth", truth.toString(),
                "--merge-threshold", "1.5"))
        .isEqualTo(ExitCodes.BAD_CONFIG_OR_INPUT);
    assertThat(err.toString()).contains("--merge-threshold 1.5 is not in (0, 1]");
  }

  @Test
  void anOlderRunWithoutDeterministicProfilesStillEvaluates(SparkSession spark) {
    Path output = dir.resolve("older");
    save(ThresholdFixtures.olderRecordProfiles(spark), output.resolve("record_profiles"));
    save(ThresholdFixtures.mergeCandidates(spark), output.resolve("merge_candidates"));
    Path truth = Fixtures.write(dir, "truth.csv", ThresholdFixtures.TRUTH);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        IdgraphCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), "evaluate",
            "--output", output.toString(), "--truth", truth.toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("pairwise precision   1.0000")
        .contains("threshold table skipped: record_profiles has no deterministic_profile_id");
    assertThat(output.resolve("evaluation")).doesNotExist();
  }
}
