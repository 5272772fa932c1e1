package io.idgraph.cli;

import io.idgraph.ops.ManualOperations;
import io.idgraph.ops.OperationRequests;
import io.idgraph.sink.OutputTables;
import io.idgraph.spark.SparkSessions;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code idgraph review}: lists the pending scored pairs of merge_candidates, or records an approve
 * or reject decision on one, applied at the next run.
 */
@Command(
    name = "review",
    mixinStandardHelpOptions = true,
    description =
        "List pending scored pairs (--list), or record a decision on one: --approve merges a"
            + " pending or refused pair, --reject keeps a pending or merged pair apart, from the"
            + " next nightly run on.")
public final class ReviewCommand implements Callable<Integer> {
  static final int LIST_LIMIT = 50;

  @Spec CommandSpec spec;

  @Mixin OperationOptions options;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Action action;

  static final class Action {
    @Option(names = "--approve", paramLabel = "ID", description = "A candidate_id to merge.")
    String approve;

    @Option(names = "--reject", paramLabel = "ID", description = "A candidate_id to keep apart.")
    String reject;

    @Option(
        names = "--list",
        description = "Print pending candidates, most probable first (at most " + LIST_LIMIT + ").")
    boolean list;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (action.list) {
      return list(out);
    }
    String decision = action.approve != null ? ManualOperations.APPROVE : ManualOperations.REJECT;
    String candidateId = action.approve != null ? action.approve : action.reject;
    return OperationRecorder.record(
        out, options, decision, (requests, audit) -> requests.review(decision, candidateId, audit));
  }

  private int list(PrintWriter out) {
    String outputRoot = options.outputRoot();
    List<Row> pending =
        new OperationRequests(
                SparkSessions.getOrCreate("idgraph review", Map.of()), outputRoot, Instant.now())
            .pending(LIST_LIMIT);
    if (pending.isEmpty()) {
      out.println(
          "No pending candidates in "
              + new org.apache.hadoop.fs.Path(outputRoot, OutputTables.MERGE_CANDIDATES)
              + ".");
    } else {
      out.println("candidate_id\tprobability\tprofile_a\tprofile_b");
      for (Row r : pending) {
        out.println(
            r.getString(0)
                + "\t"
                + String.format(Locale.ROOT, "%.3f", r.getDouble(1))
                + "\t"
                + r.getString(2)
                + "\t"
                + r.getString(3));
      }
    }
    out.flush();
    return ExitCodes.OK;
  }
}
