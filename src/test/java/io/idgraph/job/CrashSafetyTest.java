package io.idgraph.job;

import static org.apache.spark.sql.functions.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.cli.IdgraphCli;
import io.idgraph.sink.OutputTables;
import io.idgraph.sink.RunCommits;
import io.idgraph.testing.Fixtures;
import io.idgraph.testing.SparkTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A night killed with SIGKILL at every stage leaves the last committed night readable and whole, and
 * the next night comes out as if nothing had happened; a second run is refused while one runs; a
 * night run again changes nothing.
 *
 * <p>Night 1 runs in-process. Night 2 (a new web file that joins an anonymous visitor to a CRM
 * contact: a merge, so history tables grow) is started in a child JVM that pauses at a {@link
 * FaultPoints} point and is killed there by the operating system, four times in a row (reading,
 * clustering, halfway through the writes, all written but not committed). After each kill every table
 * reads as night 1. Then a fifth child runs night 2 while a second run is refused, and its tables
 * equal those of night 2 run uninterrupted on a copy of night 1's output, table by table.
 */
@SparkTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashSafetyTest {
  private static final String CRM_HEADER =
      "contact_id,email,phone,first_name,last_name,company,city,country,user_id,created_at,updated_at";

  /**
   * Columns that name the run or the moment a run wrote a row (a merge id is a hash of the run id and
   * the merge); everything else must be equal between the recovered and the uninterrupted night.
   */
  private static final Set<String> RUN_COLUMNS =
      Set.of(
          "run_id", "merge_id", "consumed_at", "merged_at", "changed_at", "decided_at",
          "reversible_until");

  @TempDir static Path dir;
  private Path in;
  private Path out;
  private Path nightOne;
  private Path uninterrupted;
  private Path config;

  @BeforeAll
  void nightOneAndTheUninterruptedNightTwo() throws IOException {
    in = Files.createDirectories(dir.resolve("in"));
    out = dir.resolve("out");
    Path web = Files.createDirectories(in.resolve("web"));
    // Night 2 merges 1 of 4 profiles: far above the publish gate's default merge ratio.
    config = Fixtures.crmAndWebFolderJob(dir, "history: {max_merge_ratio: 0}");
    Fixtures.write(in, "crm.csv", CRM_HEADER,
        "C1,ann@shop.com,+14155550101,Ann,Lee,,,US,u-1,2026-01-01,2026-11-01",
        "C2,bob@mail.com,,Bob,Ray,,,US,u-2,2026-01-01,2026-11-01",
        "C3,cy@mail.com,,Cy,Ott,,,US,,2026-01-01,2026-11-01");
    Fixtures.write(web, "day1.jsonl",
        event("m1", "identify", "a-1", "u-1", "2026-11-22T10:00:00Z"),
        event("m2", "page", "a-1", null, "2026-11-22T10:01:00Z"),
        event("m3", "page", "a-2", null, "2026-11-22T11:00:00Z"));
    assertThat(night(out)).isZero();
    nightOne = copy(out, dir.resolve("night-one"));

    // Night 2: the anonymous a-2 signs in as u-2 (Bob): two profiles merge.
    Fixtures.write(web, "day2.jsonl",
        event("m4", "identify", "a-2", "u-2", "2026-11-23T09:00:00Z"),
        event("m5", "track", "a-2", "u-2", "2026-11-23T09:05:00Z"));
    uninterrupted = copy(out, dir.resolve("uninterrupted"));
    assertThat(night(uninterrupted)).isZero();
  }

  @Test
  @Order(1)
  void aNightKilledAtAnyPointLeavesTheLastCommittedNightWhole(SparkSession spark) throws Exception {
    for (String point : List.of(FaultPoints.READ, FaultPoints.COMPONENTS, FaultPoints.WRITE)) {
      Child child = Child.start(config, in, out, point, dir.resolve("pause-" + point));
      child.awaitPause();
      child.kill();

      // What every idgraph reader sees: night 1, whole.
      for (String table : OutputTables.ALL) {
        Optional<Dataset<Row>> before = OutputTables.read(spark, nightOne.toString(), table);
        Optional<Dataset<Row>> now = RunCommits.readCommitted(spark, out.toString(), table);
        assertThat(now.isPresent()).as("%s after a kill at %s", table, point).isEqualTo(before.isPresent());
        if (before.isPresent()) {
          assertSameRows(before.get(), now.get(), Set.of(), table + " after a kill at " + point);
        }
      }
      // The kill landed where it was meant to: halfway through the writes some tables are ahead.
      boolean tablesAhead =
          !RunCommits.currentVersions(spark, out.toString())
              .equals(RunCommits.last(spark, out.toString()).orElseThrow().versions());
      assertThat(tablesAhead)
          .as("tables ahead of the commit after a kill at %s", point)
          .isEqualTo(point.equals(FaultPoints.WRITE));
      // The dead night's lock stays; the next run takes it over (its holder's pid is gone).
      assertThat(out.resolve(OutputLock.FILE_NAME)).exists();
    }
  }

  @Test
  @Order(2)
  void aSecondRunIsRefusedWhileOneRunsAndTheRecoveredNightEqualsAnUninterruptedOne(SparkSession spark)
      throws Exception {
    // The first run in this JVM, paused while clustering; the second in a child JVM, as cron would.
    Path pauseFile = Files.writeString(dir.resolve("pause-concurrent"), "pause");
    System.setProperty(FaultPoints.PAUSE_AT, FaultPoints.COMPONENTS);
    System.setProperty(FaultPoints.PAUSE_FILE, pauseFile.toString());
    CompletableFuture<Integer> first;
    try {
      first = CompletableFuture.supplyAsync(() -> night(out, new StringWriter()));
      awaitMarker(pauseFile, () -> !first.isDone(), () -> "first run ended: " + first.getNow(null));
    } finally {
      System.clearProperty(FaultPoints.PAUSE_AT);
    }
    Child second = Child.start(config, in, out, null, null);
    assertThat(second.awaitExit()).as("exit code of a run started while one runs").isEqualTo(3);
    assertThat(second.stderr())
        .contains("Another run holds the output lock")
        .contains("pid=" + ProcessHandle.current().pid());

    Files.delete(pauseFile);
    assertThat(first.get(300, TimeUnit.SECONDS)).as("the first run's exit code").isZero();
    System.clearProperty(FaultPoints.PAUSE_FILE);

    // The dead nights were rolled back once, by the first run to start after them.
    List<Row> commits =
        spark.read().format("delta").load(out.resolve(OutputTables.RUN_COMMITS).toString())
            .orderBy("commit_number").select("kind").collectAsList();
    assertThat(commits.stream().map(r -> r.getString(0)))
        .containsExactly(RunCommits.RUN, RunCommits.RECOVERY, RunCommits.RUN);
    for (String table : OutputTables.ALL) {
      Optional<Dataset<Row>> expected = OutputTables.read(spark, uninterrupted.toString(), table);
      Optional<Dataset<Row>> actual = OutputTables.read(spark, out.toString(), table);
      assertThat(actual.isPresent()).as(table).isEqualTo(expected.isPresent());
      if (expected.isPresent() && !table.equals(OutputTables.RUN_METRICS)) {
        assertSameRows(expected.get(), actual.get(), RUN_COLUMNS, table + " of the recovered night");
      }
    }
    assertThat(OutputTables.read(spark, out.toString(), OutputTables.RUN_METRICS).orElseThrow().count())
        .isEqualTo(2);
    assertThat(
            OutputTables.read(spark, out.toString(), OutputTables.MERGE_HISTORY).orElseThrow().count())
        .as("the merge of night 2, recorded once")
        .isEqualTo(
            OutputTables.read(spark, uninterrupted.toString(), OutputTables.MERGE_HISTORY).orElseThrow().count())
        .isPositive();
  }

  @Test
  @Order(3)
  void runningTheSameNightAgainChangesNothing(SparkSession spark) throws Exception {
    Map<String, Long> before = RunCommits.currentVersions(spark, out.toString());
    assertThat(night(out)).isZero();
    assertThat(RunCommits.currentVersions(spark, out.toString()))
        .as("no table gets a new version on a night with nothing new")
        .isEqualTo(before);

    // Rebuilt from every file: the same profiles, links and records, and no merge or split.
    Path again = copy(out, dir.resolve("rebuilt"));
    assertThat(night(again, new StringWriter(), "--full-rebuild")).isZero();
    for (String table :
        List.of(OutputTables.PROFILES, OutputTables.IDENTITY_LINKS, OutputTables.RECORD_PROFILES,
            OutputTables.PROFILE_EVENTS, OutputTables.IDENTITY_EDGES, OutputTables.MERGE_HISTORY,
            OutputTables.PROFILE_ID_CHANGES, OutputTables.MERGE_SNAPSHOTS)) {
      assertSameRows(
          OutputTables.read(spark, out.toString(), table).orElseThrow(),
          OutputTables.read(spark, again.toString(), table).orElseThrow(),
          RUN_COLUMNS,
          table + " after the same night rebuilt");
    }
  }

  private int night(Path output) {
    StringWriter err = new StringWriter();
    int code = night(output, err);
    assertThat(code).as("night on %s: %s", output, err).isZero();
    return code;
  }

  private int night(Path output, StringWriter err, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of("run", "--config", config.toString(), "--input", in.toString(), "--output",
                output.toString()));
    args.addAll(Arrays.asList(extra));
    return IdgraphCli.execute(
        new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args.toArray(String[]::new));
  }

  /**
   * Asserts equal multisets of rows, compared as JSON text (map columns cannot be compared by Spark's
   * set operations) without the {@code ignored} columns.
   */
  static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual, Set<String> ignored, String what) {
    Dataset<Row> e = asJson(expected, ignored);
    Dataset<Row> a = asJson(actual, ignored);
    List<Row> missing = e.exceptAll(a).limit(5).collectAsList();
    List<Row> extra = a.exceptAll(e).limit(5).collectAsList();
    assertThat(missing).as("%s: rows missing", what).isEmpty();
    assertThat(extra).as("%s: rows not expected", what).isEmpty();
  }

  private static Dataset<Row> asJson(Dataset<Row> rows, Set<String> ignored) {
    Column[] kept =
        Stream.of(rows.columns()).filter(c -> !ignored.contains(c)).sorted().map(c -> col("`" + c + "`"))
            .toArray(Column[]::new);
    return rows.select(to_json(struct(kept)).as("row"));
  }

  private static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else if (!f.getFileName().toString().equals(OutputLock.FILE_NAME)) {
          Files.copy(f, target);
        }
      }
    }
    return to;
  }

  private static String event(String id, String type, String anonymousId, String userId, String time) {
    return "{\"messageId\":\"" + id + "\",\"type\":\"" + type + "\",\"anonymousId\":\"" + anonymousId
        + "\"" + (userId == null ? "" : ",\"userId\":\"" + userId + "\"") + ",\"timestamp\":\"" + time
        + "\"}";
  }

  /** Waits for a paused night's marker file while {@code alive}; fails with {@code why} otherwise. */
  private static void awaitMarker(
      Path pauseFile, java.util.function.BooleanSupplier alive, java.util.function.Supplier<String> why)
      throws InterruptedException {
    Path reached = Path.of(pauseFile + ".reached");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (!Files.exists(reached)) {
      assertThat(alive.getAsBoolean()).as("the night stopped before its pause point: %s", why.get()).isTrue();
      assertThat(System.nanoTime()).as("the night reached its pause point in time: %s", why.get())
          .isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /**
   * A night in a child JVM: the test's classpath, Spark's Java 17 flags, a C1-only JIT (a short-lived
   * JVM spends most of a tiny night compiling otherwise), idgraph's INFO log lines on stderr.
   */
  private static final class Child {
    private final Process process;
    private final Path pauseFile;
    private final StringBuilder stderr = new StringBuilder();
    private final Thread reader;

    private Child(Process process, Path pauseFile) {
      this.process = process;
      this.pauseFile = pauseFile;
      reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                  for (String line; (line = r.readLine()) != null; ) {
                    synchronized (stderr) {
                      stderr.append(line).append('\n');
                    }
                  }
                } catch (IOException e) {
                  // The process was killed: its stream ends.
                }
              });
      reader.setDaemon(true);
      reader.start();
    }

    /** @param point where to pause, or null to run through */
    static Child start(Path config, Path in, Path out, String point, Path pauseFile) throws IOException {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(Arrays.asList(System.getProperty("idgraph.sparkJavaOpens", "").trim().split("\\s+")));
      command.addAll(List.of("-Xmx2g", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
      command.add(
          "-Dlog4j2.configurationFile=" + Fixtures.repoRoot().resolve("scripts/log4j2.properties"));
      if (point != null) {
        Files.writeString(pauseFile, "pause");
        command.add("-D" + FaultPoints.PAUSE_AT + "=" + point);
        command.add("-D" + FaultPoints.PAUSE_FILE + "=" + pauseFile);
      }
      command.add("-cp");
      command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
      command.add(IdgraphCli.class.getName());
      command.addAll(
          List.of("run", "--config", config.toString(), "--input", in.toString(), "--output", out.toString()));
      ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
      pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
      return new Child(pb.start(), pauseFile);
    }

    void awaitPause() throws InterruptedException {
      try {
        awaitMarker(pauseFile, process::isAlive, this::stderr);
      } catch (AssertionError e) {
        process.destroyForcibly();
        throw e;
      }
    }

    /** SIGKILL: nothing in the child runs after it. */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    }

    int awaitExit() throws InterruptedException {
      if (!process.waitFor(300, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("child did not finish; its stderr:\n" + stderr());
      }
      reader.join(10_000);
      return process.exitValue();
    }

    String stderr() {
      synchronized (stderr) {
        return stderr.toString();
      }
    }
  }
}
