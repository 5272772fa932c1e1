package io.idgraph.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder, replaced by the real command. */
@Command(name = "generate", description = "Not built yet.")
public final class GenerateCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UnsupportedOperationException("generate is not built yet");
  }
}
