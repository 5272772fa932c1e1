package io.idgraph.job;

/** The night failed the publish gate; nothing was written. Exit code 1, without a stack trace. */
public final class PublishGateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PublishGateException(String message) {
    super(message);
  }
}
