package io.idgraph.cli;

import io.idgraph.config.BadInputException;
import io.idgraph.job.OutputLockedException;
import io.idgraph.job.PublishGateException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the idgraph command line: {@code idgraph
 * run|generate|evaluate|explain|merge|unmerge|block|review|forget|lookup|sql|graph|bench-components|copy-baseline
 * ...}.
 */
@Command(
    name = "idgraph",
    mixinStandardHelpOptions = true,
    version = "idgraph 0.1.0",
    description = "Nightly identity resolution on Apache Spark with Delta Lake outputs.",
    subcommands = {
      RunCommand.class,
      GenerateCommand.class,
      EvaluateCommand.class,
      ExplainCommand.class,
      MergeCommand.class,
      UnmergeCommand.class,
      BlockCommand.class,
      ReviewCommand.class,
      ForgetCommand.class,
      LookupCommand.class,
      SqlCommand.class,
      GraphCommand.class,
      ComponentsBenchCommand.class,
      CopyBaselineCommand.class
    })
public final class IdgraphCli {

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command line and returns its exit code, without exiting. */
  public static int execute(String... args) {
    return execute(
        new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs a command line with the given output and error writers (tests capture them). */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new IdgraphCli());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof BadInputException) {
            commandLine.getErr().println("idgraph: " + ex.getMessage());
            return ExitCodes.BAD_CONFIG_OR_INPUT;
          }
          if (ex instanceof PublishGateException) {
            commandLine.getErr().println("idgraph: " + ex.getMessage());
            return ExitCodes.RUN_FAILED;
          }
          if (ex instanceof OutputLockedException) {
            commandLine.getErr().println("idgraph: " + ex.getMessage());
            return ExitCodes.LOCKED;
          }
          commandLine.getErr().println("idgraph: run failed: " + ex);
          ex.printStackTrace(commandLine.getErr());
          return ExitCodes.RUN_FAILED;
        });
    cli.setExitCodeExceptionMapper(ex -> ExitCodes.BAD_CONFIG_OR_INPUT);
    return cli.execute(args);
  }
}
