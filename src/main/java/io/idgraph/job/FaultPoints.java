package io.idgraph.job;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Named points of a night where the crash-safety tests stop it dead. Inert unless the JVM runs with
 * {@code -Didgraph.faults.pauseAt=<point>} and {@code -Didgraph.faults.pauseFile=<file>}: then the
 * night, on reaching that point, prints {@code idgraph: paused at <point>} to stderr, creates {@code
 * <file>.reached} and waits as long as the file exists. A test kills the process there (SIGKILL: no shutdown hook, no finally block
 * runs), or deletes the file to let the night go on (a second run is started meanwhile to see it
 * refused).
 *
 * <p>A pause instead of a kill from inside keeps the kill real (the operating system's, as a lost
 * node or the OOM killer deals it) while making where it lands exact.
 */
public final class FaultPoints {
  /** Sources listed and opened; nothing read into the graph yet. */
  public static final String READ = "read";
  /** Connected components computed; nothing written. */
  public static final String COMPONENTS = "components";
  /** Every current-state and history table written; manifest, metrics and commit (run_commits) not. */
  public static final String WRITE = "write";

  static final String PAUSE_AT = "idgraph.faults.pauseAt";
  static final String PAUSE_FILE = "idgraph.faults.pauseFile";

  private FaultPoints() {}

  /** Pauses here if this is the configured point (see the class comment); otherwise returns at once. */
  public static void reach(String point) {
    String pauseAt = System.getProperty(PAUSE_AT);
    String file = System.getProperty(PAUSE_FILE);
    if (pauseAt == null || file == null || !pauseAt.equals(point)) {
      return;
    }
    System.err.println("idgraph: paused at " + point);
    System.err.flush();
    Path pauseFile = Path.of(file);
    try {
      Files.writeString(Path.of(file + ".reached"), point);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    while (Files.exists(pauseFile)) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
