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
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Trains the Fellegi-Sunter model on a night's candidates and scores them. u comes from random
 * profile pairs (almost all different people), λ and m from EM over the candidates' comparison
 * vectors. Only pattern counts reach the driver (at most a few hundred rows), never pairs.
 */
public final class ScoringModel {
  public static final String PROBABILITY = Cols.PROBABILITY;
  public static final String MATCH_WEIGHT = "match_weight";
  public static final String CONTRIBUTIONS = "contributions";
  public static final String FP_FREQUENCY = "fingerprint_frequency";
  public static final String IP_FREQUENCY = "ip24_frequency";
  public static final String EMAIL_LOCAL_FREQUENCY = "email_local_frequency";
  /** Index of the comparisons whose exact agreement is term-frequency adjusted. */
  private static final int FINGERPRINT = 0;
  private static final int IP_PREFIX = 2;
  private static final int CONTACT_PART = 5;

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
    // n²/2 / buckets pairs come out of n profiles in equal buckets: as many buckets as give about
    // `size` pairs, but at least one and never fewer than two profiles per bucket on average.
    long buckets =
        Math.max(1, Math.min(Math.max(1, profiles / 2), (long) ((double) profiles * profiles / (2.0 * size))));
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

  /**
   * Labelled matches from the deterministic graph: two anonymous ids (browsers, app installs) that one
   * deterministic profile holds are the same person by construction. Each anonymous id with its records
   * becomes a unit, named "profile|id hash"; two units of one profile that share a blocking key form a
   * pair, the same way candidates are found, so the pairs look like the matches scoring has to find
   * (cookie resets, a phone and a laptop at home) rather than like any two activities of a person.
   * Returns the pairs with {@link PairLevels#GAMMA}.
   */
  public static Dataset<Row> labelledPairs(Dataset<Row> assigned, int maxBlockSize) {
    String owner = Cols.INTERNAL_PREFIX + "owner";
    String id = Cols.INTERNAL_PREFIX + "anon";
    Dataset<Row> units =
        assigned
            .withColumn(
                id,
                explode(
                    transform(
                        filter(col(Cols.IDENTIFIERS),
                            i -> i.getField(Cols.ID_TYPE).equalTo(io.idgraph.normalize.IdType.ANONYMOUS_ID)),
                        i -> i.getField(Cols.ID_HASH))))
            .withColumn(owner, col(Cols.PROFILE_ID))
            .withColumn(Cols.PROFILE_ID, concat(col(owner), lit("|"), col(id)))
            .drop(id);
    // A key counts only between units of one profile: prefixing it with the profile does that. Only
    // device keys (fingerprint, IP) find labels: two signed-in browsers of one person that share a
    // campaign are two devices, and would teach the model that matches look like that.
    Dataset<Row> keys =
        Blocking.keys(units)
            .where(col(Blocking.KEY).startsWith("fp:").or(col(Blocking.KEY).startsWith("ip24:")))
            .withColumn(
                Blocking.KEY,
                concat(substring_index(col(Cols.PROFILE_ID), "|", 1), lit("#"), col(Blocking.KEY)));
    return PairLevels.of(Blocking.candidates(keys, maxBlockSize), ProfileSignals.of(units));
  }

  /**
   * The model of a night: u from random profile pairs, m from labelled matches (see {@link
   * #labelledPairs}; a comparison no labelled pair can compare keeps Splink's decreasing start shape),
   * λ over all pairs of profiles with m and u held (see {@link
   * ExpectationMaximisation#priorOverAllPairs}).
   */
  public static FellegiSunter trainFromLabels(
      Map<List<Integer>, Long> labelled,
      Map<List<Integer>, Long> allCandidates,
      Map<List<Integer>, Long> random,
      double totalPairs) {
    double[][] u = ExpectationMaximisation.uFromRandomPairs(random, PairLevels.LEVELS);
    double[][] m = ExpectationMaximisation.uFromRandomPairs(labelled, PairLevels.LEVELS);
    for (int k = 0; k < m.length; k++) {
      if (!comparable(labelled, k)) {
        int n = m[k].length;
        double sum = n * (n + 1) / 2.0;
        for (int l = 0; l < n; l++) {
          m[k][l] = (n - l) / sum;
        }
      }
    }
    return ExpectationMaximisation.priorOverAllPairs(
        allCandidates, totalPairs, new FellegiSunter(0.01, m, u), 500);
  }

  private static boolean comparable(Map<List<Integer>, Long> patterns, int k) {
    return patterns.keySet().stream().anyMatch(g -> g.get(k) != Comparisons.NULL);
  }

  /** value → share of profiles holding it, for term-frequency adjustment of a set-valued signal. */
  public static Dataset<Row> frequencies(Dataset<Row> signals, String setColumn, long profiles) {
    return signals
        .select(explode(col(setColumn)).as("_v"))
        .groupBy("_v")
        .agg(count(lit(1)).divide(lit((double) Math.max(1, profiles))).as("_f"));
  }

  /**
   * Adds {@link #FP_FREQUENCY}, {@link #IP_FREQUENCY} and {@link #EMAIL_LOCAL_FREQUENCY}: for each
   * pair, the share of profiles holding the rarest fingerprint (IP /24, email local part) the two
   * profiles share, null if they share none. An
   * office's /24 or the most common laptop is shared by many profiles and says little; a home /24
   * shared by two profiles says a lot.
   */
  public static Dataset<Row> withTermFrequencies(Dataset<Row> pairs, Dataset<Row> signals, long profiles) {
    Dataset<Row> out = pairs;
    for (String[] signal :
        new String[][] {
          {ProfileSignals.FINGERPRINTS, FP_FREQUENCY},
          {ProfileSignals.IP24S, IP_FREQUENCY},
          {ProfileSignals.EMAIL_LOCALS, EMAIL_LOCAL_FREQUENCY}
        }) {
      Dataset<Row> sa = signals.select(col(Cols.PROFILE_ID).as("_a"), col(signal[0]).as("_sa"));
      Dataset<Row> sb = signals.select(col(Cols.PROFILE_ID).as("_b"), col(signal[0]).as("_sb"));
      Dataset<Row> shared =
          pairs.select(Blocking.A, Blocking.B)
              .join(sa, col(Blocking.A).equalTo(col("_a")))
              .join(sb, col(Blocking.B).equalTo(col("_b")))
              .select(col(Blocking.A).as("_pa"), col(Blocking.B).as("_pb"),
                  explode(array_intersect(col("_sa"), col("_sb"))).as("_v"))
              .join(frequencies(signals, signal[0], profiles), "_v")
              .groupBy("_pa", "_pb")
              .agg(min("_f").as(signal[1]));
      out =
          out.join(shared, col(Blocking.A).equalTo(col("_pa")).and(col(Blocking.B).equalTo(col("_pb"))), "left")
              .drop("_pa", "_pb");
    }
    return out;
  }

  /**
   * Adds match_weight, probability and contributions (comparison → log2 weight, "prior" included) to
   * pairs with {@link PairLevels#GAMMA} and, when present, {@link #FP_FREQUENCY} and {@link #IP_FREQUENCY}.
   */
  public static Dataset<Row> score(Dataset<Row> pairs, FellegiSunter model) {
    UserDefinedFunction score =
        udf(
            (UDF4<scala.collection.Seq<Integer>, Double, Double, Double, Row>)
                (gammaSeq, fpFrequency, ipFrequency, localFrequency) -> {
                  List<Integer> gamma = scala.jdk.javaapi.CollectionConverters.asJava(gammaSeq);
                  Map<String, Double> contributions = new java.util.LinkedHashMap<>();
                  double w = model.priorWeight();
                  contributions.put("prior", w);
                  for (int k = 0; k < gamma.size(); k++) {
                    int level = gamma.get(k);
                    Double frequency =
                        level != 0
                            ? null
                            : k == FINGERPRINT
                                ? fpFrequency
                                : k == IP_PREFIX ? ipFrequency : k == CONTACT_PART ? localFrequency : null;
                    double c = frequency != null ? model.weight(k, level, frequency) : model.weight(k, level);
                    if (level != Comparisons.NULL) {
                      contributions.put(PairLevels.COMPARISONS.get(k), c);
                    }
                    w += c;
                  }
                  return RowFactory.create(w, FellegiSunter.probability(w), contributions);
                },
            SCORE);
    List<String> columns = java.util.Arrays.asList(pairs.columns());
    Column fp = columns.contains(FP_FREQUENCY) ? col(FP_FREQUENCY) : lit(null).cast(DataTypes.DoubleType);
    Column ip = columns.contains(IP_FREQUENCY) ? col(IP_FREQUENCY) : lit(null).cast(DataTypes.DoubleType);
    Column local =
        columns.contains(EMAIL_LOCAL_FREQUENCY) ? col(EMAIL_LOCAL_FREQUENCY) : lit(null).cast(DataTypes.DoubleType);
    return pairs
        .withColumn("_score", score.apply(col(PairLevels.GAMMA), fp, ip, local))
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
