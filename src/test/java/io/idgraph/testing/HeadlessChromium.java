package io.idgraph.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's chromium ({@code /usr/bin/chromium}, or {@code $CHROMIUM}) run headless on a local file,
 * to check what a browser really draws. No network: a file URL, every background service off, a fresh
 * profile directory per run. Each run has a time limit; a browser that hangs is killed with its child
 * processes and the test fails.
 *
 * <p>{@link #require()}: under {@code CI=true} a missing chromium fails the test (.ci/run installs
 * it); elsewhere the test is skipped with a message saying how to install it.
 */
public final class HeadlessChromium {
  private static final long TIMEOUT_SECONDS = 120;
  private final Path binary;

  private HeadlessChromium(Path binary) {
    this.binary = binary;
  }

  public static HeadlessChromium require() {
    String configured = System.getenv("CHROMIUM");
    Path binary = Path.of(configured != null && !configured.isBlank() ? configured : "/usr/bin/chromium");
    if (!Files.isExecutable(binary)) {
      String message =
          "chromium not found at " + binary + " (apt-get install -y chromium, or set CHROMIUM)";
      if ("true".equals(System.getenv("CI"))) {
        fail(message + "; under CI=true this test must run, .ci/run installs chromium");
      }
      assumeTrue(false, message + "; skipped outside CI");
    }
    return new HeadlessChromium(binary);
  }

  /** Measures every chart mark into {@code <pre id="marks">} as {chartId: [{w, h}, ...]}. */
  private static final String MEASURE =
      """
      <script>
      const marks = {};
      document.querySelectorAll('svg.chart').forEach(svg => {
        marks[svg.id] = Array.from(svg.querySelectorAll('rect.bar')).map(r => {
          const box = r.getBoundingClientRect();
          return {w: box.width, h: box.height};
        });
      });
      const pre = document.createElement('pre');
      pre.id = 'marks';
      pre.textContent = JSON.stringify(marks);
      document.body.appendChild(pre);
      </script>
      """;

  /**
   * The on-screen size of every bar ({@code rect.bar}) of every chart ({@code svg.chart}) of an HTML
   * page, as {chartId: [{w, h}, ...]} in document order. A copy of the page gets a measuring script
   * before {@code </body>} (the page itself needs none) that writes the sizes into the DOM chromium
   * dumps.
   */
  public JsonNode measureChartMarks(String html, Path workDir) throws IOException, InterruptedException {
    assertThat(html).contains("</body>");
    Path page = workDir.resolve("measured.html");
    Files.writeString(page, html.replace("</body>", MEASURE + "</body>"));
    String dom = dumpDom(page, workDir);
    Matcher m = Pattern.compile("<pre id=\"marks\">(.*?)</pre>", Pattern.DOTALL).matcher(dom);
    assertThat(m.find())
        .as("the measuring script ran; DOM starts: %s", dom.substring(0, Math.min(500, dom.length())))
        .isTrue();
    return new ObjectMapper().readTree(m.group(1));
  }

  /** Asserts {@code chart} has {@code expected} bars, each drawn wider and taller than zero. */
  public static void assertEveryMarkDrawn(JsonNode marks, String chart, int expected) {
    JsonNode bars = marks.get(chart);
    assertThat(bars).as("chart %s measured", chart).isNotNull();
    assertThat(bars.size()).as("bars of %s", chart).isEqualTo(expected);
    for (JsonNode bar : bars) {
      assertThat(bar.get("w").asDouble()).as("bar width in %s", chart).isPositive();
      assertThat(bar.get("h").asDouble()).as("bar height in %s", chart).isPositive();
    }
  }

  /** The DOM after the page's scripts ran, as chromium serializes it. */
  public String dumpDom(Path html, Path workDir) throws IOException, InterruptedException {
    Path out = workDir.resolve("dom.html");
    run(workDir, out, "--virtual-time-budget=5000", "--dump-dom", html.toUri().toString());
    return Files.readString(out);
  }

  /** A PNG of the page in a window of {@code width} x {@code height} pixels. */
  public void screenshot(Path html, Path png, int width, int height, Path workDir)
      throws IOException, InterruptedException {
    Files.createDirectories(png.toAbsolutePath().getParent());
    Files.deleteIfExists(png);
    run(
        workDir,
        workDir.resolve("screenshot.log"),
        "--hide-scrollbars",
        "--screenshot=" + png.toAbsolutePath(),
        "--window-size=" + width + "," + height,
        html.toUri().toString());
    assertThat(png).as("chromium wrote the screenshot").isNotEmptyFile();
  }

  private void run(Path workDir, Path stdout, String... args) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(workDir, "chromium-profile");
    List<String> command =
        new ArrayList<>(
            List.of(
                binary.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--user-data-dir=" + profile));
    command.addAll(List.of(args));
    Path stderr = workDir.resolve("chromium-stderr-" + System.nanoTime() + ".log");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      fail("chromium did not finish within " + TIMEOUT_SECONDS + " s; killed. stderr: " + tail(stderr));
    }
    assertThat(process.exitValue()).as("chromium exit code; stderr: %s", tail(stderr)).isZero();
  }

  private static String tail(Path file) throws IOException {
    String text = Files.exists(file) ? Files.readString(file) : "";
    return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
  }
}
