package io.idgraph.config;

/**
 * A problem with the user's config or input (bad key, missing file, missing column) that is reported
 * as one line naming the file and key or column, with exit code 2. Thrown before any output changes.
 */
public class BadInputException extends RuntimeException {
  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
