package io.idgraph.cli;

import io.idgraph.config.BadInputException;
import io.idgraph.explain.DotGraph;
import io.idgraph.explain.ProfileGraph;
import io.idgraph.explain.ProfileGraphInputs;
import io.idgraph.explain.SvgGraph;
import io.idgraph.inspect.OutputCatalog;
import io.idgraph.ops.ManualOperations;
import io.idgraph.sink.OutputTables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code idgraph graph}: draws one profile's identity graph to a standalone SVG file (or Graphviz
 * DOT). See {@link ProfileGraphInputs} for what is drawn and {@link SvgGraph} for how.
 */
@Command(
    name = "graph",
    mixinStandardHelpOptions = true,
    description = {
      "Draw one profile's identity graph: its identifiers (type and the hash's first 8 hex"
          + " characters, coloured by type; greyed and dashed when an identity rule held them) and"
          + " the links between them, labelled with method (deterministic, probabilistic, manual),"
          + " confidence and rule or signals.",
      "Writes a standalone SVG, or Graphviz DOT when --out ends in .dot. Exit 2 for an unknown"
          + " profile id."
    })
public final class GraphCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin OutputOptions options;

  @Option(names = "--profile-id", required = true, paramLabel = "ID", description = "The profile.")
  String profileId;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Where to write the drawing: FILE.svg, or FILE.dot for Graphviz DOT text.")
  Path out;

  @Option(
      names = "--max-nodes",
      paramLabel = "N",
      description =
          "Most identifiers drawn (default ${DEFAULT-VALUE}); the drawing says how many were left"
              + " out.")
  int maxNodes = ProfileGraphInputs.MAX_NODES;

  @Override
  public Integer call() throws IOException {
    String name = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean dot = name.endsWith(".dot") || name.endsWith(".gv");
    if (!dot && !name.endsWith(".svg")) {
      throw new BadInputException("--out must end in .svg (or .dot for Graphviz), got " + out);
    }
    if (maxNodes < 1) {
      throw new BadInputException("--max-nodes must be at least 1, got " + maxNodes);
    }
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new BadInputException("Cannot write " + out + ": no folder " + parent);
    }
    OutputCatalog catalog = OutputCatalog.open(options.spark("graph"), options.outputRoot());
    ProfileGraph graph =
        ProfileGraphInputs.collect(
            new ProfileGraphInputs.Tables(
                catalog.required(OutputTables.IDENTITY_LINKS),
                catalog.required(OutputTables.IDENTITY_EDGES),
                catalog.required(OutputTables.RECORD_PROFILES),
                catalog.table(OutputTables.MERGE_CANDIDATES),
                catalog.table(OutputTables.LINK_DECISIONS),
                catalog.table(ManualOperations.TABLE)),
            profileId.strip(),
            maxNodes);
    Files.writeString(
        out, dot ? DotGraph.render(graph) : SvgGraph.render(graph), StandardCharsets.UTF_8);
    spec.commandLine()
        .getOut()
        .printf(
            "wrote %s: %d identifiers, %d links%s%n",
            out,
            graph.nodes().size(),
            graph.edges().size(),
            graph.omittedNodes() + graph.omittedEdges() > 0
                ? " (not drawn: " + graph.omittedNodes() + " identifiers, " + graph.omittedEdges() + " links)"
                : "");
    return ExitCodes.OK;
  }
}
