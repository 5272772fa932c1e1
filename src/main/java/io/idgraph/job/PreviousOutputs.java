package io.idgraph.job;

import static org.apache.spark.sql.functions.*;

import io.idgraph.config.ScoringConfig;
import io.idgraph.graph.LinkDecisions;
import io.idgraph.graph.LinkRules;
import io.idgraph.schema.Cols;
import io.idgraph.scoring.PairLevels;
import io.idgraph.sink.OutputTables;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The previous night's current-state tables, as a scoped incremental night needs them: it keeps their
 * rows of untouched profiles and replaces the rest. Each table is read at the version it has now
 * (time travel), so the rows stay those of the previous night while tonight's write replaces the
 * table they come from.
 *
 * @param hubs the last run's hub_isolation rows of link_decisions (without run_id): an identifier no
 *     record touched tonight keeps its verdict
 * @param candidates merge_candidates, or null when scoring is off
 * @param model the previous run's model (from model_parameters), or null when scoring is off or the
 *     config fixes the model
 */
public record PreviousOutputs(
    Dataset<Row> profiles,
    Dataset<Row> links,
    Dataset<Row> records,
    Dataset<Row> events,
    Dataset<Row> edges,
    Dataset<Row> hubs,
    Dataset<Row> candidates,
    ScoringConfig.FixedModel model) {

  /**
   * The previous tables, or empty (with the reason) when one tonight needs is missing: then the night
   * recomputes everything.
   */
  public static Either read(
      SparkSession spark, String outputRoot, ScoringConfig scoring, String lastRunId) {
    Dataset<Row> profiles = pinned(spark, outputRoot, OutputTables.PROFILES);
    Dataset<Row> links = pinned(spark, outputRoot, OutputTables.IDENTITY_LINKS);
    Dataset<Row> records = pinned(spark, outputRoot, OutputTables.RECORD_PROFILES);
    Dataset<Row> events = pinned(spark, outputRoot, OutputTables.PROFILE_EVENTS);
    Dataset<Row> edges = pinned(spark, outputRoot, OutputTables.IDENTITY_EDGES);
    if (profiles == null || links == null || records == null || events == null || edges == null) {
      return Either.no("a current-state table of the last run is missing");
    }
    Dataset<Row> decisions = OutputTables.read(spark, outputRoot, OutputTables.LINK_DECISIONS).orElse(null);
    if (decisions == null) {
      return Either.no("the last run left no " + OutputTables.LINK_DECISIONS);
    }
    Dataset<Row> hubs =
        decisions
            .where(col(Cols.RUN_ID).equalTo(lastRunId).and(col(Cols.RULE).equalTo(LinkDecisions.HUB_ISOLATION)))
            .select(
                Cols.RULE, Cols.ID_TYPE, Cols.ID_HASH, LinkRules.RECORDS, LinkRules.DEGREE, LinkDecisions.DETAIL);
    Dataset<Row> candidates = null;
    ScoringConfig.FixedModel model = null;
    if (scoring.enabled()) {
      candidates = pinned(spark, outputRoot, OutputTables.MERGE_CANDIDATES);
      if (candidates == null) {
        return Either.no("the last run left no " + OutputTables.MERGE_CANDIDATES);
      }
      if (scoring.model() == null) {
        Dataset<Row> parameters = pinned(spark, outputRoot, OutputTables.MODEL_PARAMETERS);
        Optional<ScoringConfig.FixedModel> last =
            parameters == null
                ? Optional.empty()
                : model(parameters.where(col(Cols.RUN_ID).equalTo(lastRunId)).collectAsList());
        if (last.isEmpty()) {
          return Either.no("the last run's model is not in " + OutputTables.MODEL_PARAMETERS);
        }
        model = last.get();
      }
    }
    return new Either(new PreviousOutputs(profiles, links, records, events, edges, hubs, candidates, model), null);
  }

  /** Either the previous outputs, or why a scoped night is not possible. */
  public record Either(PreviousOutputs outputs, String refusal) {
    static Either no(String reason) {
      return new Either(null, reason);
    }
  }

  /**
   * The model of model_parameters rows (run_id, comparison, level, level_name, m, u; the prior as
   * comparison "prior" with its value in m), or empty unless every comparison has its levels.
   */
  static Optional<ScoringConfig.FixedModel> model(List<Row> rows) {
    Double prior = null;
    Map<String, Map<Integer, double[]>> byComparison = new HashMap<>();
    for (Row r : rows) {
      String comparison = r.getAs("comparison");
      if (comparison.equals("prior")) {
        prior = r.getAs("m");
      } else {
        byComparison
            .computeIfAbsent(comparison, k -> new java.util.TreeMap<>())
            .put(r.<Integer>getAs("level"), new double[] {r.<Double>getAs("m"), r.<Double>getAs("u")});
      }
    }
    if (prior == null) {
      return Optional.empty();
    }
    Map<String, List<Double>> m = new HashMap<>();
    Map<String, List<Double>> u = new HashMap<>();
    for (int k = 0; k < PairLevels.COMPARISONS.size(); k++) {
      String name = PairLevels.COMPARISONS.get(k);
      Map<Integer, double[]> levels = byComparison.get(name);
      if (levels == null || levels.size() != PairLevels.levelNames(k).length) {
        return Optional.empty();
      }
      List<Double> ms = new ArrayList<>();
      List<Double> us = new ArrayList<>();
      for (double[] mu : levels.values()) {
        ms.add(mu[0]);
        us.add(mu[1]);
      }
      m.put(name, ms);
      u.put(name, us);
    }
    return Optional.of(new ScoringConfig.FixedModel(prior, m, u));
  }

  private static Dataset<Row> pinned(SparkSession spark, String outputRoot, String table) {
    return OutputTables.readPinned(spark, outputRoot, table).orElse(null);
  }
}
