package io.idgraph.cli;

import io.idgraph.ops.ManualOperations;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code idgraph merge}: records that two profiles are one person, applied at the next run. */
@Command(
    name = "merge",
    mixinStandardHelpOptions = true,
    description =
        "Record that two profiles are one person. Each is anchored by one of its source records;"
            + " the merge applies at the next nightly run and at every run after it.")
public final class MergeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin OperationOptions options;

  @Option(
      names = "--profile-id",
      paramLabel = "ID",
      required = true,
      description = "A profile id of the profiles table. Give exactly two.")
  List<String> profileIds = new ArrayList<>();

  @Override
  public Integer call() {
    if (profileIds.size() != 2) {
      throw new ParameterException(
          spec.commandLine(), "Give exactly two --profile-id (got " + profileIds.size() + ")");
    }
    return OperationRecorder.record(
        spec.commandLine().getOut(),
        options,
        ManualOperations.MERGE,
        (requests, audit) -> requests.merge(profileIds.get(0), profileIds.get(1), audit));
  }
}
