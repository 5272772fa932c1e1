package io.idgraph.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idgraph.config.BadInputException;
import io.idgraph.schema.Cols;
import io.idgraph.source.crm.CrmConnector;
import io.idgraph.testing.Fixtures;
import io.idgraph.testing.SparkTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SparkTest
class InputFilesTest {
  private static final String HEADER =
      "contact_id,email,phone,first_name,last_name,company,city,country,user_id,created_at,updated_at";

  @Test
  void listsFilesUnderFoldersAndGlobsSkippingHiddenOnes(SparkSession spark, @TempDir Path dir)
      throws IOException {
    Path web = Files.createDirectories(dir.resolve("web/2026-11"));
    Fixtures.write(web, "day1.jsonl", "{}");
    Fixtures.write(dir.resolve("web"), "day0.jsonl", "{}", "{}");
    Fixtures.write(dir.resolve("web"), "_SUCCESS");
    Fixtures.write(dir.resolve("web"), ".day0.jsonl.crc", "x");
    List<InputFile> folder = InputFiles.list(spark, "web", dir.resolve("web").toString());
    assertThat(folder).extracting(InputFile::name).containsExactly("day1.jsonl", "day0.jsonl");
    assertThat(folder.get(1).size()).isEqualTo(6);
    assertThat(folder.get(1).path()).startsWith("file:");
    assertThat(InputFiles.list(spark, "web", dir.resolve("web/day*.jsonl").toString()))
        .extracting(InputFile::name)
        .containsExactly("day0.jsonl");
    assertThatThrownBy(() -> InputFiles.list(spark, "web", dir.resolve("nope/*.jsonl").toString()))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("Cannot read source 'web'");
  }

  @Test
  void aConnectorReadsExactlyTheChosenFilesInOneBatch(SparkSession spark, @TempDir Path dir) {
    Fixtures.write(dir, "a.csv", HEADER, "C1,ann@shop.com,,Ann,Lee,,,US,,,");
    Fixtures.write(dir, "b.csv", HEADER, "C2,bob@shop.com,,Bob,Ray,,,US,,,", "C3,cy@shop.com,,,,,,,,,");
    Fixtures.write(dir, "c.csv", HEADER, "C4,dee@shop.com,,,,,,,,,");
    List<String> chosen =
        InputFiles.list(spark, "crm", dir.toString()).stream()
            .filter(f -> !f.name().equals("c.csv"))
            .map(InputFile::path)
            .toList();
    SourceBatch batch =
        new CrmConnector()
            .readFiles(spark, Fixtures.source("crm", "crm", dir.toString(), "US"), dir.toString(), chosen);
    assertThat(batch.records().select(Cols.RECORD_ID).as(Encoders.STRING()).collectAsList())
        .containsExactlyInAnyOrder("C1", "C2", "C3");
    assertThat(batch.records().select(Cols.FILE).distinct().as(Encoders.STRING()).collectAsList())
        .containsExactlyInAnyOrder("a.csv", "b.csv");
    assertThat(batch.rejected().count()).isZero();
  }
}
