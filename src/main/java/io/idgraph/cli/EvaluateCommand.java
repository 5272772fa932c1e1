package io.idgraph.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder, replaced by the real command. */
@Command(name = "evaluate", description = "Not built yet.")
public final class EvaluateCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UnsupportedOperationException("evaluate is not built yet");
  }
}
