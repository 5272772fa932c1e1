package io.idgraph.cli;

import io.idgraph.config.BadInputException;
import io.idgraph.config.ConfigLoader;
import io.idgraph.config.LoadedConfig;
import io.idgraph.ops.Audit;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Options every manual-operation command shares: where the tables are, the job config, and who asks
 * and why. Actor, reason and config are checked by hand rather than marked required, because {@code
 * review --list} only reads and needs none of them.
 */
final class OperationOptions {
  @Option(
      names = "--output",
      required = true,
      description = "Folder (or URI) of the nightly job's Delta tables.")
  String output;

  @Option(
      names = "--config",
      description = "The nightly job's config (YAML): hashing key, history, normalize options.")
  Path config;

  @Option(
      names = "--actor",
      paramLabel = "NAME",
      description = "Who asks for this change (required; kept in manual_operations).")
  String actor;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      description = "Why the change is needed (required; kept in manual_operations).")
  String reason;

  private LoadedConfig loaded;

  Audit audit() {
    return new Audit(actor, reason);
  }

  /** The job config, loaded and validated once. */
  LoadedConfig config() {
    if (loaded == null) {
      if (config == null) {
        throw new BadInputException(
            "--config is required: the nightly job's config (hashing key, history.reversible_days,"
                + " normalize options)");
      }
      loaded = new ConfigLoader(System.getenv()).load(config);
    }
    return loaded;
  }

  String outputRoot() {
    return output.contains("://")
        ? output
        : Path.of(output).toAbsolutePath().normalize().toString();
  }
}
