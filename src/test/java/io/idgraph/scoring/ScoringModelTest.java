package io.idgraph.scoring;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.idgraph.schema.Cols;
import io.idgraph.testing.SparkTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

@SparkTest
class ScoringModelTest {
  private static final double[][] M = {{0.9, 0.1}, {0.6, 0.2, 0.1, 0.1}, {0.6, 0.3, 0.1}, {0.5, 0.3, 0.2}, {0.7, 0.1, 0.1, 0.1}, {0.3, 0.2, 0.5}};
  private static final double[][] U = {{0.05, 0.95}, {0.05, 0.1, 0.2, 0.65}, {0.02, 0.1, 0.88}, {0.1, 0.2, 0.7}, {0.01, 0.02, 0.07, 0.9}, {0.01, 0.02, 0.97}};
  private static final FellegiSunter MODEL = new FellegiSunter(0.01, M, U);

  private static Dataset<Row> pairs(SparkSession spark, Row... rows) {
    StructType schema =
        new StructType()
            .add(Blocking.A, DataTypes.StringType)
            .add(Blocking.B, DataTypes.StringType)
            .add(PairLevels.GAMMA, DataTypes.createArrayType(DataTypes.IntegerType))
            .add(ScoringModel.FP_FREQUENCY, DataTypes.DoubleType);
    return spark.createDataFrame(List.of(rows), schema);
  }

  @Test
  void scoresEachPairWithItsSignalsContributionsAndTermFrequency(SparkSession spark) {
    Dataset<Row> scored =
        ScoringModel.score(
            pairs(
                spark,
                RowFactory.create("rare-fp", "x", List.of(0, 0, 0, -1, -1), 0.0001),
                RowFactory.create("common-fp", "x", List.of(0, 0, 0, -1, -1), 0.4),
                RowFactory.create("far-apart", "x", List.of(1, 3, 2, 2, 3), null)),
            MODEL);
    Map<String, Row> byA = new java.util.HashMap<>();
    for (Row r : scored.collectAsList()) {
      byA.put(r.getAs(Blocking.A), r);
    }
    double rare = byA.get("rare-fp").getAs(ScoringModel.PROBABILITY);
    double common = byA.get("common-fp").getAs(ScoringModel.PROBABILITY);
    double far = byA.get("far-apart").getAs(ScoringModel.PROBABILITY);
    assertThat(rare).isGreaterThan(0.85).isGreaterThan(common);
    assertThat(far).isLessThan(0.001);
    Map<String, Double> contributions = byA.get("rare-fp").getJavaMap(byA.get("rare-fp").fieldIndex(ScoringModel.CONTRIBUTIONS));
    assertThat(contributions).containsOnlyKeys("prior", "fingerprint", "session_gap", "ip_prefix");
    assertThat(contributions.get("fingerprint")).isCloseTo(Math.log(0.9 / 0.0001) / Math.log(2), within(1e-9));
    double sum = contributions.values().stream().mapToDouble(Double::doubleValue).sum();
    assertThat((Double) byA.get("rare-fp").getAs(ScoringModel.MATCH_WEIGHT)).isCloseTo(sum, within(1e-9));
  }

  /** Training sessions on pairs simulated from M and U recover m and the candidates' prior. */
  @Test
  void trainingSessionsRecoverMAndThePrior() {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
    Map<String, Map<List<Integer>, Long>> sessions = new java.util.TreeMap<>();
    ScoringModel.SESSIONS.keySet().forEach(k -> sessions.put(k, new java.util.HashMap<>()));
    Map<List<Integer>, Long> all = new java.util.HashMap<>();
    Map<List<Integer>, Long> random = new java.util.HashMap<>();
    long matches = 0;
    int pairs = 600_000;
    for (int i = 0; i < pairs; i++) {
      boolean match = rnd.nextDouble() < 0.05;
      List<Integer> gamma = new ArrayList<>();
      for (int k = 0; k < M.length; k++) {
        gamma.add(ExpectationMaximisationTest.draw(rnd, (match ? M : U)[k]));
      }
      if (i < 100_000 && !match) {
        random.merge(gamma, 1L, Long::sum);
      }
      boolean fp = gamma.get(0) == 0;
      boolean ip = gamma.get(2) == 0;
      boolean campaign = gamma.get(3) == 0;
      boolean name = gamma.get(4) == 0;
      if (fp) sessions.get("fp:").merge(gamma, 1L, Long::sum);
      if (ip) sessions.get("ip24:").merge(gamma, 1L, Long::sum);
      if (campaign) sessions.get("campaign:").merge(gamma, 1L, Long::sum);
      if (name) sessions.get("name:").merge(gamma, 1L, Long::sum);
      if (fp || ip || campaign || name) {
        all.merge(gamma, 1L, Long::sum);
      }
      matches += match ? 1 : 0;
    }
    FellegiSunter model = ScoringModel.train(sessions, all, random, pairs);
    for (int k = 0; k < M.length; k++) {
      for (int l = 0; l < M[k].length; l++) {
        assertThat(model.m(k, l)).as("m[%d][%d]", k, l).isCloseTo(M[k][l], within(0.03));
        assertThat(model.u(k, l)).as("u[%d][%d]", k, l).isCloseTo(U[k][l], within(0.02));
      }
    }
    // The prior of a pair among all pairs (5% here), not among the candidates blocking selected.
    assertThat(model.lambda()).isCloseTo(matches / (double) pairs, within(0.005));
  }

  @Test
  void randomPairsAreDistinctOrderedPairsOfDifferentProfiles(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      rows.add(RowFactory.create("p" + i));
    }
    Dataset<Row> signals =
        spark.createDataFrame(rows, new StructType().add(Cols.PROFILE_ID, DataTypes.StringType));
    Dataset<Row> random = ScoringModel.randomPairs(signals, 2000, 500, 7);
    assertThat(random.count()).isBetween(200L, 500L);
    assertThat(random.where(col(Blocking.A).geq(col(Blocking.B))).count()).isZero();
    assertThat(random.distinct().count()).isEqualTo(random.count());
  }

  @Test
  void modelParametersListThePriorAndEveryLevel(SparkSession spark) {
    List<Row> params = ScoringModel.parameters(spark, MODEL, "run-1").collectAsList();
    assertThat(params).hasSize(1 + 2 + 4 + 3 + 3 + 4 + 3);
    Row ip = params.stream().filter(r -> "ip_prefix".equals(r.getAs("comparison")) && (Integer) r.getAs("level") == 0)
        .findFirst().orElseThrow();
    assertThat((String) ip.getAs("level_name")).isEqualTo("same /24");
    assertThat((Double) ip.getAs("m")).isEqualTo(0.6);
    assertThat((Double) ip.getAs("u")).isEqualTo(0.02);
  }
}
