package io.idgraph.cli;

import io.idgraph.config.BadInputException;
import io.idgraph.job.OutputLock;
import io.idgraph.ops.Audit;
import io.idgraph.ops.ManualOperation;
import io.idgraph.ops.ManualOperations;
import io.idgraph.ops.OperationRequests;
import io.idgraph.spark.SparkSessions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.BiFunction;
import org.apache.spark.sql.SparkSession;

/**
 * Records one manual operation: checks actor, reason and config before Spark starts, then, holding
 * the output lock (so no nightly run interleaves), checks the request against the tables, appends
 * its row to manual_operations in one commit and prints one confirmation line. The operation itself
 * applies at the next nightly run.
 */
final class OperationRecorder {
  private OperationRecorder() {}

  static int record(
      PrintWriter out,
      OperationOptions options,
      String operation,
      BiFunction<OperationRequests, Audit, ManualOperation> request) {
    // Actor, reason and config are checked before Spark starts.
    Audit audit = options.audit();
    options.config();
    String outputRoot = options.outputRoot();
    if (!outputRoot.contains("://") && !Files.isDirectory(Path.of(outputRoot))) {
      throw new BadInputException(
          "No idgraph output at " + outputRoot + " (run the nightly job first); nothing recorded");
    }
    SparkSession spark =
        SparkSessions.getOrCreate("idgraph " + operation, options.config().job().spark().conf());
    ManualOperation op;
    try (OutputLock lock =
        OutputLock.acquire(
            outputRoot,
            "manual " + operation + " by " + audit.actor(),
            spark.sparkContext().hadoopConfiguration())) {
      op = request.apply(new OperationRequests(spark, outputRoot, Instant.now()), audit);
      ManualOperations.append(spark, outputRoot, op);
    }
    out.println(
        "Recorded "
            + op.describe()
            + " as "
            + op.opId()
            + " in "
            + ManualOperations.path(outputRoot)
            + "; it applies at the next nightly run.");
    out.flush();
    return ExitCodes.OK;
  }
}
