package io.idgraph.job;

/** Another run holds the output folder's lock (exit code 3). */
public class OutputLockedException extends RuntimeException {
  public OutputLockedException(String message) {
    super(message);
  }
}
