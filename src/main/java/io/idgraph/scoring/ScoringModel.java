package io.idgraph.scoring;

import static org.apache.spark.sql.functions.*;

import io.idgraph.schema.Cols;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Trains the Fellegi-Sunter model on a night's candidates and scores them. u comes from random
 * profile pairs (almost all different people), λ and m from EM over the candidates' comparison
 * vectors. Only pattern counts reach the driver (at most a few hundred rows), never pairs.
 */
public final class ScoringModel {
  public static final String PROBABILITY = "probability";
  public static final String MATCH_WEIGHT = "match_weight";
  public static final String CONTRIBUTIONS = "contributions";
  public static final String FP_FREQUENCY = "fingerprint_frequency";

  private static final StructType SCORE =
      new StructType()
          .add(MATCH_WEIGHT, DataTypes.DoubleType)
          .add(PROBABILITY, DataTypes.DoubleType)
          .add(CONTRIBUTIONS, DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType));

  private ScoringModel() {}

  /** Comparison vector → number of pairs. */
  public static Map<List<Integer>, Long> patterns(Dataset<Row> withGamma) {
    Map<List<Integer>, Long> out = new HashMap<>();
    for (Row r : withGamma.groupBy(PairLevels.GAMMA).count().collectAsList()) {
      out.put(new ArrayList<>(r.<Integer>getList(0)), r.getLong(1));
    }
    return out;
  }

  /**
   * About {@code size} random pairs of distinct profiles, distributed: profiles are hashed into
   * buckets of about two and paired within their bucket.
   */
  public static Dataset<Row> randomPairs(Dataset<Row> signals, long profiles, long size, long seed) {
    long buckets = Math.max(1, Math.min(profiles / 2, size));
    Column bucket = pmod(xxhash64(col(Cols.PROFILE_ID), lit(seed)), lit(buckets));
    Dataset<Row> a = signals.select(col(Cols.PROFILE_ID).as(Blocking.A), bucket.as("_ba"));
    Dataset<Row> b = signals.select(col(Cols.PROFILE_ID).as(Blocking.B), bucket.as("_bb"));
    return a.join(b, col("_ba").equalTo(col("_bb")).and(col(Blocking.A).lt(col(Blocking.B))))
        .select(Blocking.A, Blocking.B)
        .limit((int) Math.min(Integer.MAX_VALUE, size));
  }

  /**
   * Blocking key prefix → the comparisons such a key forces to agree: pairs found through a shared
   * fingerprint say nothing about how often matches share fingerprints, and so on.
   */
  public static final Map<String, Set<Integer>> SESSIONS =
      Map.of(
          "fp:", Set.of(0),
          "ip24:", Set.of(1, 2),
          "campaign:", Set.of(1, 3),
          "name:", Set.of(4));

  /** Per training session (blocking key prefix), the comparison-vector counts of its pairs. */
  public static Map<String, Map<List<Integer>, Long>> sessionPatterns(Dataset<Row> candidates) {
    Map<String, Map<List<Integer>, Long>> out = new java.util.TreeMap<>();
    for (String prefix : SESSIONS.keySet()) {
      out.put(
          prefix,
          patterns(candidates.where(exists(col(Blocking.KEYS), k -> k.startsWith(prefix)))));
    }
    return out;
  }

  /**
   * Trains as Splink does: u from random pairs; m of each comparison by EM in the sessions whose
   * blocking leaves it free, averaged over them (comparisons no session frees keep a decreasing start
   * shape); then λ over all {@code totalPairs} pairs of profiles, with m and u held (see {@link
   * ExpectationMaximisation#priorOverAllPairs}).
   */
  public static FellegiSunter train(
      Map<String, Map<List<Integer>, Long>> sessions,
      Map<List<Integer>, Long> allCandidates,
      Map<List<Integer>, Long> random,
      double totalPairs) {
    double[][] u = ExpectationMaximisation.uFromRandomPairs(random, PairLevels.LEVELS);
    double[][] m = new double[u.length][];
    for (int k = 0; k < u.length; k++) {
      int n = u[k].length;
      m[k] = new double[n];
      double sum = n * (n + 1) / 2.0;
      for (int l = 0; l < n; l++) {
        m[k][l] = (n - l) / sum; // agreement is likelier among matches: Splink's starting shape
      }
    }
    FellegiSunter start = new FellegiSunter(0.5, m, u);
    double[][] sum = new double[u.length][];
    int[] sessionsFree = new int[u.length];
    for (int k = 0; k < u.length; k++) {
      sum[k] = new double[u[k].length];
    }
    for (var session : sessions.entrySet()) {
      if (session.getValue().isEmpty()) {
        continue;
      }
      Set<Integer> blocked = SESSIONS.get(session.getKey());
      FellegiSunter fit =
          ExpectationMaximisation.fit(session.getValue(), start, true, blocked, false, 200, 1e-6);
      for (int k = 0; k < u.length; k++) {
        if (!blocked.contains(k)) {
          sessionsFree[k]++;
          for (int l = 0; l < u[k].length; l++) {
            sum[k][l] += fit.m(k, l);
          }
        }
      }
    }
    for (int k = 0; k < u.length; k++) {
      if (sessionsFree[k] > 0) {
        for (int l = 0; l < u[k].length; l++) {
          m[k][l] = sum[k][l] / sessionsFree[k];
        }
      }
    }
    return ExpectationMaximisation.priorOverAllPairs(
        allCandidates, totalPairs, new FellegiSunter(0.01, m, u), 500);
  }

  /** fingerprint hash → share of profiles holding it, for term-frequency adjustment. */
  public static Dataset<Row> fingerprintFrequencies(Dataset<Row> signals, long profiles) {
    return signals
        .select(explode(col(ProfileSignals.FINGERPRINTS)).as("_fp"))
        .groupBy("_fp")
        .agg(count(lit(1)).divide(lit((double) Math.max(1, profiles))).as(FP_FREQUENCY));
  }

  /** Adds the frequency of the rarest fingerprint the two profiles share (null if none). */
  public static Dataset<Row> withFingerprintFrequency(
      Dataset<Row> pairs, Dataset<Row> signals, Dataset<Row> frequencies) {
    Dataset<Row> fa = signals.select(col(Cols.PROFILE_ID).as("_a"), col(ProfileSignals.FINGERPRINTS).as("_fa"));
    Dataset<Row> fb = signals.select(col(Cols.PROFILE_ID).as("_b"), col(ProfileSignals.FINGERPRINTS).as("_fb"));
    Dataset<Row> shared =
        pairs.select(Blocking.A, Blocking.B)
            .join(fa, col(Blocking.A).equalTo(col("_a")))
            .join(fb, col(Blocking.B).equalTo(col("_b")))
            .select(col(Blocking.A).as("_pa"), col(Blocking.B).as("_pb"),
                explode(array_intersect(col("_fa"), col("_fb"))).as("_fp"))
            .join(frequencies, "_fp")
            .groupBy("_pa", "_pb")
            .agg(min(FP_FREQUENCY).as(FP_FREQUENCY));
    return pairs
        .join(shared, col(Blocking.A).equalTo(col("_pa")).and(col(Blocking.B).equalTo(col("_pb"))), "left")
        .drop("_pa", "_pb");
  }

  /**
   * Adds match_weight, probability and contributions (comparison → log2 weight, "prior" included) to
   * pairs with {@link PairLevels#GAMMA} and {@link #FP_FREQUENCY}.
   */
  public static Dataset<Row> score(Dataset<Row> pairs, FellegiSunter model) {
    UserDefinedFunction score =
        udf(
            (UDF2<scala.collection.Seq<Integer>, Double, Row>)
                (gammaSeq, fpFrequency) -> {
                  List<Integer> gamma = scala.jdk.javaapi.CollectionConverters.asJava(gammaSeq);
                  Map<String, Double> contributions = new java.util.LinkedHashMap<>();
                  double w = model.priorWeight();
                  contributions.put("prior", w);
                  for (int k = 0; k < gamma.size(); k++) {
                    int level = gamma.get(k);
                    double c =
                        k == 0 && level == 0 && fpFrequency != null
                            ? model.weight(k, level, fpFrequency)
                            : model.weight(k, level);
                    if (level != Comparisons.NULL) {
                      contributions.put(PairLevels.COMPARISONS.get(k), c);
                    }
                    w += c;
                  }
                  return RowFactory.create(w, FellegiSunter.probability(w), contributions);
                },
            SCORE);
    Column fp =
        java.util.Arrays.asList(pairs.columns()).contains(FP_FREQUENCY)
            ? col(FP_FREQUENCY)
            : lit(null).cast(DataTypes.DoubleType);
    return pairs
        .withColumn("_score", score.apply(col(PairLevels.GAMMA), fp))
        .withColumn(MATCH_WEIGHT, col("_score").getField(MATCH_WEIGHT))
        .withColumn(PROBABILITY, col("_score").getField(PROBABILITY))
        .withColumn(CONTRIBUTIONS, col("_score").getField(CONTRIBUTIONS))
        .drop("_score");
  }

  /** The model_parameters rows: run_id, comparison, level (index and name), m, u; and the prior. */
  public static Dataset<Row> parameters(SparkSession spark, FellegiSunter model, String runId) {
    List<Row> rows = new ArrayList<>();
    rows.add(RowFactory.create(runId, "prior", -1, "lambda", model.lambda(), null));
    for (int k = 0; k < model.comparisons(); k++) {
      String[] names = PairLevels.levelNames(k);
      for (int l = 0; l < model.levels(k); l++) {
        rows.add(RowFactory.create(runId, PairLevels.COMPARISONS.get(k), l, names[l], model.m(k, l), model.u(k, l)));
      }
    }
    StructType schema =
        new StructType()
            .add(Cols.RUN_ID, DataTypes.StringType)
            .add("comparison", DataTypes.StringType)
            .add("level", DataTypes.IntegerType)
            .add("level_name", DataTypes.StringType)
            .add("m", DataTypes.DoubleType)
            .add("u", DataTypes.DoubleType);
    return spark.createDataFrame(rows, schema);
  }
}
