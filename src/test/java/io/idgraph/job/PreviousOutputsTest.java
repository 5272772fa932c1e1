package io.idgraph.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.config.ScoringConfig;
import io.idgraph.scoring.CandidateScoring;
import io.idgraph.scoring.FellegiSunter;
import io.idgraph.scoring.PairLevels;
import io.idgraph.scoring.ScoringModel;
import io.idgraph.testing.SparkTest;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** A scoped night scores with the last run's model, read back from its model_parameters rows. */
@SparkTest
class PreviousOutputsTest {
  @Test
  void modelParametersRowsGiveBackTheModelThatWroteThem(SparkSession spark) {
    int n = PairLevels.COMPARISONS.size();
    double[][] m = new double[n][];
    double[][] u = new double[n][];
    for (int k = 0; k < n; k++) {
      m[k] = new double[PairLevels.LEVELS[k]];
      u[k] = new double[PairLevels.LEVELS[k]];
      for (int l = 0; l < m[k].length; l++) {
        m[k][l] = (k + 1) / 10.0 + l / 100.0;
        u[k][l] = (k + 1) / 20.0 + l / 1000.0;
      }
    }
    FellegiSunter written = new FellegiSunter(0.003, m, u);
    List<Row> rows = ScoringModel.parameters(spark, written, "run-1").collectAsList();

    Optional<ScoringConfig.FixedModel> read = PreviousOutputs.model(rows);
    assertThat(read).isPresent();
    FellegiSunter back = CandidateScoring.fixed(read.get());
    assertThat(back.lambda()).isEqualTo(0.003);
    for (int k = 0; k < n; k++) {
      assertThat(back.levels(k)).isEqualTo(m[k].length);
      for (int l = 0; l < m[k].length; l++) {
        assertThat(back.m(k, l)).isEqualTo(m[k][l]);
        assertThat(back.u(k, l)).isEqualTo(u[k][l]);
      }
    }
    // A run whose rows lack a comparison (an older model) gives no model: the night recomputes every profile.
    assertThat(PreviousOutputs.model(rows.stream().filter(r -> !"name".equals(r.getAs("comparison"))).toList()))
        .isEmpty();
  }
}
