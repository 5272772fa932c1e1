package io.idgraph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.testing.Fixtures;
import io.idgraph.testing.SparkTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        .contains("split persons        1");
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
}
