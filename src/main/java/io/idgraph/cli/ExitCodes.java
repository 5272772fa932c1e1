package io.idgraph.cli;

/** The process exit codes of every idgraph command; schedulers branch on them. */
public final class ExitCodes {
  private ExitCodes() {}

  public static final int OK = 0;
  /** The run failed for a reason other than its input (a bug, a full disk, a lost executor). */
  public static final int RUN_FAILED = 1;
  /** The config or an input is bad; nothing was written. */
  public static final int BAD_CONFIG_OR_INPUT = 2;
  /** Another run holds the output folder's lock; nothing was written. */
  public static final int LOCKED = 3;
}
