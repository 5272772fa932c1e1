package io.idgraph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.job.OutputLock;
import io.idgraph.testing.Fixtures;
import io.idgraph.testing.SparkTest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and one-line errors of {@code idgraph run}; no output table may appear on failure. */
@SparkTest
class RunCommandTest {
  @TempDir Path dir;
  private final StringWriter err = new StringWriter();

  private int run(Path config, Path input, Path output) {
    return IdgraphCli.execute(
        new PrintWriter(new StringWriter(), true),
        new PrintWriter(err, true),
        "run",
        "--config",
        config.toString(),
        "--input",
        input.toString(),
        "--output",
        output.toString());
  }

  private Path config(String sources) throws IOException {
    Files.writeString(dir.resolve("k.key"), "0123456789abcdef0123456789abcdef0123");
    Path config = dir.resolve("job.yaml");
    Files.writeString(config, "hashing: {key_file: k.key}\nsources:\n" + sources);
    return config;
  }

  @Test
  void unknownConfigKeyExitsTwoBeforeSparkWork() throws IOException {
    Path config = config("  - {name: crm, type: crm, path: crm.csv, colums: {}}\n");
    assertThat(run(config, dir, dir.resolve("out"))).isEqualTo(ExitCodes.BAD_CONFIG_OR_INPUT);
    assertThat(err.toString()).contains("job.yaml").contains("colums");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void missingInputFileExitsTwo() throws IOException {
    Path config = config("  - {name: crm, type: crm, path: crm.csv}\n");
    assertThat(run(config, dir, dir.resolve("out"))).isEqualTo(ExitCodes.BAD_CONFIG_OR_INPUT);
    assertThat(err.toString()).contains("source 'crm'").contains("crm.csv");
  }

  @Test
  void missingColumnExitsTwoAndWritesNoTable() throws IOException {
    Fixtures.write(dir, "crm.csv", "contact_id,mail", "C1,a@b.com");
    Path config = config("  - {name: crm, type: crm, path: crm.csv}\n");
    Path out = dir.resolve("out");
    assertThat(run(config, dir, out)).isEqualTo(ExitCodes.BAD_CONFIG_OR_INPUT);
    assertThat(err.toString()).contains("column 'email' missing");
    assertThat(out.resolve("profiles")).doesNotExist();
    assertThat(out.resolve(OutputLock.FILE_NAME)).doesNotExist();
  }

  @Test
  void heldLockExitsThree() throws IOException {
    Fixtures.write(
        dir,
        "crm.csv",
        "contact_id,email,phone,first_name,last_name,company,city,country,user_id,created_at,"
            + "updated_at");
    Path config = config("  - {name: crm, type: crm, path: crm.csv}\n");
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.writeString(out.resolve(OutputLock.FILE_NAME), "run_id=other\n");
    assertThat(run(config, dir, out)).isEqualTo(ExitCodes.LOCKED);
    assertThat(err.toString()).contains("run_id=other").contains(OutputLock.FILE_NAME);
    assertThat(out.resolve("profiles")).doesNotExist();
    assertThat(out.resolve(OutputLock.FILE_NAME)).exists();
  }
}
