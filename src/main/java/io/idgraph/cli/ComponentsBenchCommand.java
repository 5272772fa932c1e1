package io.idgraph.cli;

import static org.apache.spark.sql.functions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.idgraph.cluster.ConnectedComponents;
import io.idgraph.cluster.ContractingConnectedComponents;
import io.idgraph.config.BadInputException;
import io.idgraph.config.GraphConfig;
import io.idgraph.schema.Cols;
import io.idgraph.sink.OutputTables;
import io.idgraph.spark.Plans;
import io.idgraph.spark.SparkSessions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code idgraph bench-components}: times the connected-components algorithms alone on a run's
 * identity graph (its {@code identity_edges} table), so they can be compared without re-running the
 * job. Identifier hashes become 64-bit ids (xxhash64; both algorithms get the same edges), the edges
 * are cached before the clock starts, and the partitions the algorithms give are compared row by row.
 * {@code --copies N} times N disjoint copies of the graph at once: a larger graph of the same shape.
 * Prints one JSON line per algorithm and one comparing them.
 */
@Command(
    name = "bench-components",
    mixinStandardHelpOptions = true,
    description = {
      "Time connected components alone on a run's identity_edges table, with each algorithm,",
      "and check that they give the same partition."
    })
public final class ComponentsBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--output", required = true, description = "Folder of the Delta tables of a run.")
  Path output;

  @Option(
      names = "--algorithm",
      split = ",",
      defaultValue = "graphx,contraction",
      description = "Algorithms to time, in order (default: ${DEFAULT-VALUE}).")
  List<String> algorithms;

  @Option(
      names = "--copies",
      defaultValue = "1",
      description = "Disjoint copies of the graph to time at once, for a larger graph of the same shape (default: 1).")
  int copies;

  @Option(
      names = "--driver-finish-max-edges",
      description = "For contraction: finish on the driver below this many edges (default: the config default).")
  Long driverFinishMaxEdges;

  @Override
  public Integer call() {
    SparkSession spark = SparkSessions.getOrCreate("idgraph-bench-components", Map.of());
    Dataset<Row> table =
        OutputTables.read(spark, output.toString(), OutputTables.IDENTITY_EDGES)
            .orElseThrow(
                () -> new BadInputException("No identity_edges table under " + output + " (run the job first)"));
    if (copies < 1) {
      throw new BadInputException("--copies must be at least 1, got " + copies);
    }
    // Copy k hashes each identifier with k, so copies share no vertex.
    Dataset<Row> copy =
        spark.range(copies).select(col("id").cast("string").as("_copy"));
    Dataset<Row> edges =
        Plans.cache(
            Plans.fresh(
                table
                    .select(Cols.SRC_HASH, Cols.DST_HASH)
                    .crossJoin(copy)
                    .select(
                        xxhash64(col(Cols.SRC_HASH), col("_copy")).as(Cols.SRC),
                        xxhash64(col(Cols.DST_HASH), col("_copy")).as(Cols.DST))),
            "bench-edges");
    long edgeCount = edges.count();
    ObjectMapper json = new ObjectMapper();
    Dataset<Row> first = null;
    String firstName = null;
    Map<String, Double> seconds = new LinkedHashMap<>();
    long driverEdges =
        driverFinishMaxEdges == null ? GraphConfig.DEFAULT_DRIVER_FINISH_MAX_EDGES : driverFinishMaxEdges;
    for (String name : algorithms) {
      if (!List.of("graphx", "contraction").contains(name)) {
        throw new BadInputException("--algorithm: no algorithm '" + name + "' (graphx, contraction)");
      }
    }
    for (String name : algorithms) {
      ConnectedComponents cc = ConnectedComponents.named(name, driverEdges);
      long start = System.nanoTime();
      Dataset<Row> result = Plans.cache(Plans.fresh(cc.components(edges)), "bench-" + name);
      long vertices = result.count();
      double elapsed = (System.nanoTime() - start) / 1e9;
      cc.release();
      seconds.put(name, elapsed);
      Dataset<Row> sizes = result.groupBy(Cols.COMPONENT).count();
      Row summary = sizes.agg(count(lit(1)), max("count")).first();
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("algorithm", name);
      line.put("seconds", Math.round(elapsed * 100) / 100.0);
      line.put("copies", copies);
      line.put("edges", edgeCount);
      line.put("vertices", vertices);
      line.put("components", summary.getLong(0));
      line.put("largest_component", summary.getLong(1));
      if (cc instanceof ContractingConnectedComponents c) {
        line.put("rounds", c.rounds());
        line.put("driver_finish_max_edges", driverEdges);
      }
      print(json, line);
      if (first == null) {
        first = result;
        firstName = name;
      } else {
        long differing = first.exceptAll(result).count() + result.exceptAll(first).count();
        Map<String, Object> compare = new LinkedHashMap<>();
        compare.put("compare", firstName + " vs " + name);
        compare.put("rows_differing", differing);
        compare.put("speedup", Math.round(seconds.get(firstName) / elapsed * 10) / 10.0);
        print(json, compare);
        if (differing != 0) {
          spec.commandLine().getErr().println("idgraph: " + firstName + " and " + name + " disagree on " + differing + " row(s)");
          return ExitCodes.RUN_FAILED;
        }
      }
    }
    return ExitCodes.OK;
  }

  private void print(ObjectMapper json, Map<String, Object> line) {
    try {
      spec.commandLine().getOut().println(json.writeValueAsString(line));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
