package io.idgraph.cli;

import io.idgraph.ops.ManualOperations;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code idgraph unmerge}: records that a merge of merge_history is undone, applied at the next
 * run.
 */
@Command(
    name = "unmerge",
    mixinStandardHelpOptions = true,
    description =
        "Record that a merge of merge_history is undone: the profiles it merged are restored from"
            + " the run's snapshot at the next nightly run. Only within history.reversible_days of"
            + " the merge.")
public final class UnmergeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin OperationOptions options;

  @Option(
      names = "--merge-id",
      paramLabel = "M",
      required = true,
      description = "A merge_id of merge_history.")
  String mergeId;

  @Override
  public Integer call() {
    return OperationRecorder.record(
        spec.commandLine().getOut(),
        options,
        ManualOperations.UNMERGE,
        (requests, audit) ->
            requests.unmerge(mergeId, options.config().job().history().reversibleDays(), audit));
  }
}
