package io.idgraph.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jobs/submit-nightly.sh, the scheduler's wrapper around spark-submit: its copy of the Java 17
 * flags equals pom.xml's {@code spark.java.opens}, it builds the spark-submit command line a
 * scheduler expects, and it passes the job's exit codes through (anything else from spark-submit
 * becomes 1). A stand-in bin/spark-submit records its arguments and exits with a chosen code; the
 * real Spark path is tested end to end by io.idgraph.it.StandaloneClusterIT.
 */
class SubmitNightlyScriptTest {
  private static final Path SCRIPT = Fixtures.repoRoot().resolve("jobs/submit-nightly.sh");

  @TempDir Path dir;

  private static String pomOpens() throws IOException {
    String pom = Files.readString(Fixtures.repoRoot().resolve("pom.xml"));
    Matcher m = Pattern.compile("<spark.java.opens>(.*?)</spark.java.opens>").matcher(pom);
    assertThat(m.find()).as("pom.xml has the property spark.java.opens").isTrue();
    return m.group(1).strip();
  }

  private static String scriptOpens() throws IOException {
    Matcher m =
        Pattern.compile("(?m)^IDGRAPH_JAVA_OPENS=\"([^\"]*)\"$").matcher(Files.readString(SCRIPT));
    assertThat(m.find()).as("the script sets IDGRAPH_JAVA_OPENS on one line").isTrue();
    return m.group(1).strip();
  }

  @Test
  void theScriptsJavaFlagsEqualThePoms() throws IOException {
    assertThat(scriptOpens()).isEqualTo(pomOpens()).contains("--add-opens=java.base/sun.nio.ch");
  }

  /**
   * A SPARK_HOME whose bin/spark-submit writes its arguments, one a line, and exits with
   * $FAKE_EXIT.
   */
  private Path fakeSparkHome() throws IOException {
    Path bin = Files.createDirectories(dir.resolve("spark/bin"));
    Path submit = bin.resolve("spark-submit");
    Files.writeString(
        submit,
        "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\" > \"$FAKE_ARGS\"\nexit \"$FAKE_EXIT\"\n");
    Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir.resolve("spark");
  }

  private record Result(int code, String stderr) {}

  private Result runScript(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("bash", SCRIPT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
    pb.environment().keySet().removeIf(k -> k.startsWith("IDGRAPH_") || k.startsWith("SPARK_"));
    pb.environment().putAll(env);
    Path err = dir.resolve("stderr.txt");
    pb.redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the script ends").isTrue();
    return new Result(p.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
  }

  private Map<String, String> env(Path sparkHome, Path jar, int fakeExit) {
    return Map.of(
        "SPARK_HOME", sparkHome.toString(),
        "SPARK_MASTER", "spark://spark-master:7077",
        "IDGRAPH_JAR", jar.toString(),
        "IDGRAPH_CONFIG", "/etc/idgraph/cluster.yaml",
        "IDGRAPH_INPUT", "s3a://exports/2026-11-24",
        "IDGRAPH_OUTPUT", "s3a://lake/idgraph",
        "IDGRAPH_SUBMIT_ARGS", "--files /etc/idgraph/key --conf spark.x=y",
        "FAKE_ARGS", dir.resolve("args.txt").toString(),
        "FAKE_EXIT", Integer.toString(fakeExit));
  }

  @Test
  void buildsTheSparkSubmitCommandLine() throws Exception {
    Path sparkHome = fakeSparkHome();
    Path jar = Files.writeString(dir.resolve("idgraph.jar"), "jar");
    Result result = runScript(env(sparkHome, jar, 0), "--full-rebuild");

    assertThat(result.code()).as(result.stderr()).isZero();
    List<String> args = Files.readAllLines(dir.resolve("args.txt"));
    String opens = pomOpens();
    assertThat(args)
        .containsSubsequence("--class", "io.idgraph.cli.IdgraphCli")
        .containsSubsequence("--deploy-mode", "client")
        .containsSubsequence("--master", "spark://spark-master:7077")
        .containsSubsequence(
            "--properties-file", SCRIPT.getParent().resolve("cluster.properties").toString())
        .containsSubsequence("--files", "/etc/idgraph/key", "--conf", "spark.x=y")
        .containsSubsequence("--driver-memory", "4g")
        .contains("spark.driver.extraJavaOptions=" + opens + " ")
        .contains("spark.executor.extraJavaOptions=" + opens + " ");
    // The application jar, then idgraph's own arguments, last.
    assertThat(args.subList(args.indexOf(jar.toString()), args.size()))
        .containsExactly(
            jar.toString(),
            "run",
            "--config",
            "/etc/idgraph/cluster.yaml",
            "--output",
            "s3a://lake/idgraph",
            "--input",
            "s3a://exports/2026-11-24",
            "--full-rebuild");
    assertThat(result.stderr()).contains("exit 0 (ok)");
  }

  @Test
  void passesTheJobsExitCodesThroughAndReportsOthersAsFailed() throws Exception {
    Path sparkHome = fakeSparkHome();
    Path jar = Files.writeString(dir.resolve("idgraph.jar"), "jar");
    assertThat(runScript(env(sparkHome, jar, 1), new String[0]).code()).isEqualTo(1);
    Result bad = runScript(env(sparkHome, jar, 2), new String[0]);
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.stderr()).contains("bad config or input");
    Result locked = runScript(env(sparkHome, jar, 3), new String[0]);
    assertThat(locked.code()).isEqualTo(3);
    assertThat(locked.stderr()).contains("s3a://lake/idgraph/_idgraph.lock", "retry later");
    Result other = runScript(env(sparkHome, jar, 101), new String[0]);
    assertThat(other.code()).isEqualTo(1);
    assertThat(other.stderr()).contains("spark-submit ended with code 101");
  }

  @Test
  void aMissingSettingIsABadConfigBeforeSparkSubmitRuns() throws Exception {
    Path sparkHome = fakeSparkHome();
    Map<String, String> noOutput = new java.util.HashMap<>(env(sparkHome, dir.resolve("x.jar"), 0));
    noOutput.remove("IDGRAPH_OUTPUT");
    Result result = runScript(noOutput);
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.stderr()).contains("IDGRAPH_OUTPUT");

    Path jar = Files.writeString(dir.resolve("idgraph.jar"), "jar");
    Map<String, String> noJar = new java.util.HashMap<>(env(sparkHome, jar, 0));
    noJar.put("IDGRAPH_JAR", dir.resolve("missing.jar").toString());
    result = runScript(noJar);
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.stderr()).contains("no application jar at " + dir.resolve("missing.jar"));
    assertThat(dir.resolve("args.txt")).as("spark-submit never ran").doesNotExist();

    // A jar inside a container image is a URI that only spark-submit resolves.
    Map<String, String> inImage = new java.util.HashMap<>(env(sparkHome, jar, 0));
    inImage.put("IDGRAPH_JAR", "local:///opt/idgraph/idgraph.jar");
    assertThat(runScript(inImage).code()).isZero();
    assertThat(Files.readAllLines(dir.resolve("args.txt")))
        .containsSubsequence("local:///opt/idgraph/idgraph.jar", "run");
  }
}
