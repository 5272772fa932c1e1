package io.idgraph.it;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.idgraph.schema.Cols;
import io.idgraph.sink.OutputTables;
import io.idgraph.testing.SharedSpark;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Runs idgraph as production does: a real Spark standalone cluster (one Master and one Worker,
 * child JVMs on 127.0.0.1 with the Maven-made target/spark-home/jars as their Spark distribution),
 * and the shaded target/idgraph.jar submitted to it through jobs/submit-nightly.sh, the scheduler's
 * wrapper, in client deploy mode. Checks the wrapper's exit code, the Delta tables (read back here
 * with a local session), named scenarios of the sample data, and that the tasks ran in the worker's
 * executor. Then the wrapper's exit codes for a missing config (2) and a held output lock (3),
 * submitted to {@code local[1]} to stay fast.
 *
 * <p>Runs in {@code mvn verify} (Failsafe), after package. Outside CI a missing jar or spark-home
 * skips it; with CI=true it fails. Master and worker are stopped with everything they started, and
 * their logs (under target/it-cluster) are printed when a test fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneClusterIT {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(15);
  private static final int LOG_LINES_ON_FAILURE = 150;

  private final Path repo = Path.of(System.getProperty("idgraph.repoRoot", ".")).toAbsolutePath();
  private final Path sparkHome = repo.resolve("target/spark-home");
  private final Path jar = repo.resolve("target/idgraph.jar");
  private final Path script = repo.resolve("jobs/submit-nightly.sh");
  private final Path dir = repo.resolve("target/it-cluster");
  private final Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
  private final String opens = System.getProperty("idgraph.sparkJavaOpens", "");

  private final List<Process> daemons = new ArrayList<>();
  private final List<Path> logs = new ArrayList<>();
  private String masterUrl;

  @RegisterExtension
  final TestWatcher printLogsOnFailure =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          printLogs();
        }
      };

  @BeforeAll
  void startTheCluster() throws IOException, InterruptedException {
    requirePrerequisites();
    deleteRecursively(dir);
    Files.createDirectories(dir.resolve("worker-work"));
    int masterPort = freePort();
    masterUrl = "spark://127.0.0.1:" + masterPort;
    try {
      Path masterLog =
          startDaemon(
              "master",
              List.of("-Dspark.master.rest.enabled=false"),
              "org.apache.spark.deploy.master.Master",
              "--host",
              "127.0.0.1",
              "--port",
              Integer.toString(masterPort),
              "--webui-port",
              Integer.toString(freePort()));
      awaitLine(masterLog, "I have been elected leader");
      Path workerLog =
          startDaemon(
              "worker",
              List.of(),
              "org.apache.spark.deploy.worker.Worker",
              masterUrl,
              "--host",
              "127.0.0.1",
              "--cores",
              "2",
              "--memory",
              "2g",
              "--webui-port",
              Integer.toString(freePort()),
              "--work-dir",
              dir.resolve("worker-work").toString());
      awaitLine(workerLog, "Successfully registered with master");
    } catch (IOException | RuntimeException | AssertionError e) {
      printLogs();
      throw e;
    }
  }

  @AfterAll
  void stopTheCluster() throws InterruptedException {
    for (Process daemon : daemons) {
      stop(daemon);
    }
  }

  @Test
  void theNightRunsOnTheClusterThroughTheWrapper() throws Exception {
    Path out = dir.resolve("out");
    // jobs/local.yaml with two shuffle partitions: the worker has two cores, and eight tiny tasks per
    // shuffle cost this test about a minute of scheduling.
    Path config =
        Files.writeString(
            dir.resolve("cluster-test.yaml"),
            Files.readString(repo.resolve("jobs/local.yaml"))
                .replace("key_file: demo.key", "key_file: " + repo.resolve("jobs/demo.key"))
                .replace("spark.sql.shuffle.partitions: \"8\"", "spark.sql.shuffle.partitions: \"2\""));
    assertThat(Files.readString(config)).contains("spark.sql.shuffle.partitions: \"2\"");
    Instant start = Instant.now();
    Submission run =
        submit(
            "cluster-run",
            masterUrl,
            Map.of(
                "IDGRAPH_CONFIG", config.toString(),
                "IDGRAPH_INPUT", repo.resolve("sample-data").toString(),
                "IDGRAPH_OUTPUT", out.toString(),
                // jobs/cluster.properties as a scheduler would pass it, shrunk to this machine's
                // worker (--conf wins over the properties file); Delta's log replay in 2 tasks.
                "IDGRAPH_SUBMIT_ARGS",
                    "--conf spark.executor.memory=1g --conf spark.executor.cores=2"
                        + " --conf spark.cores.max=2 --conf spark.driver.host=127.0.0.1"
                        + " --conf spark.ui.enabled=false"
                        + " --conf spark.databricks.delta.snapshotPartitions=2"));
    System.out.printf(
        "StandaloneClusterIT: the sample night on the cluster took %d s%n",
        Duration.between(start, Instant.now()).toSeconds());

    assertThat(run.code()).as("exit code of jobs/submit-nightly.sh").isZero();
    assertThat(run.stdout()).contains("tables written under " + out);
    assertThat(run.stderr())
        .contains("Connected to Spark cluster with app ID app-")
        .contains("submit-nightly: exit 0 (ok)");
    for (String table : OutputTables.ALL) {
      assertThat(out.resolve(table).resolve("_delta_log")).as(table).isDirectory();
    }

    // The tasks ran in the worker's executor, not in the driver: the worker's work folder holds the
    // application's executor with the tasks it finished, and the master saw the application end.
    Path appDir;
    try (Stream<Path> apps = Files.list(dir.resolve("worker-work"))) {
      appDir =
          apps.filter(p -> p.getFileName().toString().startsWith("app-")).findFirst().orElse(null);
    }
    assertThat(appDir).as("an application folder in the worker's work dir").isNotNull();
    String appId = appDir.getFileName().toString();
    assertThat(run.stderr()).contains(appId);
    Path executorLog = appDir.resolve("0").resolve("stderr");
    assertThat(executorLog).exists();
    assertThat(Files.readString(executorLog)).contains("Finished task");
    assertThat(Files.readString(dir.resolve("master.log"))).contains("Removing app " + appId);

    SparkSession spark = SharedSpark.session();
    Row metrics = delta(spark, out, OutputTables.RUN_METRICS).first();
    long accepted =
        delta(spark, out, OutputTables.RUN_METRICS)
            .selectExpr("aggregate(sources, 0L, (n, s) -> n + s.accepted)")
            .first()
            .getLong(0);
    Dataset<Row> recordProfiles = delta(spark, out, OutputTables.RECORD_PROFILES);
    long records = recordProfiles.count();
    assertThat(records).as("every accepted record has a profile").isEqualTo(accepted);
    assertThat(records).isGreaterThan(1_900);
    assertThat(recordProfiles.select(Cols.SOURCE, Cols.RECORD_ID).distinct().count())
        .as("one profile per record")
        .isEqualTo(records);
    long profiles = delta(spark, out, OutputTables.PROFILES).count();
    assertThat(profiles).isEqualTo((Long) metrics.getAs("profiles")).isBetween(100L, records / 2);

    // Named scenarios of sample-data/scenarios.properties, as the embedded end-to-end test checks
    // them.
    Properties scenarios = new Properties();
    try (Reader r = Files.newBufferedReader(repo.resolve("sample-data/scenarios.properties"))) {
      scenarios.load(r);
    }
    assertThat(profileOf(recordProfiles, "crm", scenarios.getProperty("crm_and_ticket.contact_id")))
        .isEqualTo(
            profileOf(
                recordProfiles, "support", scenarios.getProperty("crm_and_ticket.ticket_id")));
    assertThat(
            profileOf(recordProfiles, "web", scenarios.getProperty("shared_browser.message_id_a")))
        .isNotEqualTo(
            profileOf(recordProfiles, "web", scenarios.getProperty("shared_browser.message_id_b")));
  }

  @Test
  void aMissingConfigExitsTwo() throws Exception {
    Path missing = dir.resolve("no-such-config.yaml");
    Submission run =
        submit(
            "bad-config",
            "local[1]",
            Map.of(
                "IDGRAPH_CONFIG", missing.toString(),
                "IDGRAPH_INPUT", repo.resolve("sample-data").toString(),
                "IDGRAPH_OUTPUT", dir.resolve("bad-config-out").toString()));
    assertThat(run.code()).as(run.stderr()).isEqualTo(2);
    assertThat(run.stderr())
        .contains("idgraph: Cannot read config " + missing + ": no such file")
        .contains("submit-nightly: exit 2 (bad config or input");
    assertThat(dir.resolve("bad-config-out")).doesNotExist();
  }

  @Test
  void aHeldLockExitsThreeAndWritesNothing() throws Exception {
    Path out = Files.createDirectories(dir.resolve("locked-out"));
    // A live holder on this host: this test's own JVM, so no stale-lock recovery may take it over.
    String holder =
        "run_id=x\nhost="
            + InetAddress.getLocalHost().getHostName()
            + "\npid="
            + ProcessHandle.current().pid()
            + "\n";
    Path lock = Files.writeString(out.resolve("_idgraph.lock"), holder);
    Submission run =
        submit(
            "locked",
            "local[1]",
            Map.of(
                "IDGRAPH_CONFIG", repo.resolve("jobs/local.yaml").toString(),
                "IDGRAPH_INPUT", repo.resolve("sample-data").toString(),
                "IDGRAPH_OUTPUT", out.toString(),
                "IDGRAPH_SUBMIT_ARGS", "--conf spark.ui.enabled=false"));
    assertThat(run.code()).as(run.stderr()).isEqualTo(3);
    assertThat(run.stderr())
        .contains("Another run holds the output lock")
        .contains("submit-nightly: exit 3 (locked");
    assertThat(Files.readString(lock)).isEqualTo(holder);
    try (Stream<Path> written = Files.list(out)) {
      assertThat(written).containsExactly(lock);
    }
  }

  private record Submission(int code, String stdout, String stderr) {}

  /**
   * Runs jobs/submit-nightly.sh with SPARK_HOME at target/spark-home (no bin/, so the wrapper runs
   * SparkSubmit with java itself) and the job settings given; its output goes to files under
   * target/it-cluster, named after the submission.
   */
  private Submission submit(String name, String master, Map<String, String> settings)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("bash", script.toString());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("IDGRAPH_") || k.startsWith("SPARK_"));
    env.put("SPARK_HOME", sparkHome.toString());
    env.put("SPARK_MASTER", master);
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("IDGRAPH_JAR", jar.toString());
    env.put("IDGRAPH_PROPERTIES", repo.resolve("jobs/cluster.properties").toString());
    env.put("IDGRAPH_DRIVER_MEMORY", "1536m");
    env.putAll(settings);
    Path stdout = dir.resolve(name + ".out");
    Path stderr = dir.resolve(name + ".log");
    logs.add(stderr);
    Process p =
        pb.directory(dir.toFile())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    if (!p.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      stop(p);
      fail("jobs/submit-nightly.sh (" + name + ") did not end within " + RUN_TIMEOUT);
    }
    return new Submission(p.exitValue(), Files.readString(stdout), Files.readString(stderr));
  }

  /**
   * Starts a Spark daemon in its own JVM, as sbin/start-*.sh would, logging to target/it-cluster.
   */
  private Path startDaemon(String name, List<String> jvmOptions, String mainClass, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(javaBin.toString());
    command.addAll(Arrays.asList(opens.trim().split("\\s+")));
    command.add("-Xmx512m");
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", sparkHome.resolve("jars") + "/*", mainClass));
    command.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    Path log = dir.resolve(name + ".log");
    logs.add(log);
    // The worker builds each executor's command from SPARK_HOME/jars; without SPARK_SCALA_VERSION
    // it
    // looks for a Spark source build's folders and the executor dies.
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    daemons.add(
        pb.directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start());
    return log;
  }

  private void awaitLine(Path log, String line) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (Files.exists(log) && Files.readString(log).contains(line)) {
        return;
      }
      if (daemons.stream().anyMatch(p -> !p.isAlive())) {
        throw new AssertionError("a Spark daemon ended while waiting for '" + line + "' in " + log);
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no '" + line + "' in " + log + " within " + START_TIMEOUT);
  }

  /** Ends a process and everything it started (the worker's executors), forcibly after 20 s. */
  private static void stop(Process process) throws InterruptedException {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    for (ProcessHandle handle : tree) {
      try {
        handle.onExit().get(20, TimeUnit.SECONDS);
      } catch (TimeoutException | ExecutionException e) {
        handle.destroyForcibly();
      }
    }
  }

  private void printLogs() {
    for (Path log : logs) {
      try {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        System.err.printf(
            "===== %s (last %d of %d lines)%n", log, LOG_LINES_ON_FAILURE, lines.size());
        lines
            .subList(Math.max(0, lines.size() - LOG_LINES_ON_FAILURE), lines.size())
            .forEach(System.err::println);
      } catch (IOException e) {
        System.err.println("===== " + log + ": cannot read: " + e);
      }
    }
  }

  /** Under CI a missing prerequisite fails the test; on a developer's machine it skips it. */
  private void requirePrerequisites() {
    List<String> missing = new ArrayList<>();
    if (!Files.isRegularFile(jar)) {
      missing.add(jar + " (mvn -B package builds it)");
    }
    if (!Files.isDirectory(sparkHome.resolve("jars"))) {
      missing.add(sparkHome.resolve("jars") + " (mvn -B package copies Spark's jars there)");
    }
    if (!Files.isExecutable(javaBin)) {
      missing.add(javaBin.toString());
    }
    if (opens.isBlank()) {
      missing.add("the system property idgraph.sparkJavaOpens (Failsafe sets it from pom.xml)");
    }
    if (missing.isEmpty()) {
      return;
    }
    String message = "StandaloneClusterIT needs " + String.join(", ", missing);
    if ("true".equals(System.getenv("CI"))) {
      fail(message);
    }
    Assumptions.abort(message + "; skipped outside CI");
  }

  private static Dataset<Row> delta(SparkSession spark, Path out, String table) {
    return spark.read().format("delta").load(out.resolve(table).toString());
  }

  private static String profileOf(Dataset<Row> recordProfiles, String source, String recordId) {
    List<Row> rows =
        recordProfiles
            .where(col(Cols.SOURCE).equalTo(source).and(col(Cols.RECORD_ID).equalTo(recordId)))
            .select(Cols.PROFILE_ID)
            .collectAsList();
    assertThat(rows).as("record %s/%s has exactly one profile", source, recordId).hasSize(1);
    return rows.get(0).getString(0);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
