package io.idgraph.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.testing.SparkTest;
import io.idgraph.testing.ThresholdFixtures;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class ThresholdSweepTest {
  @Test
  void thresholdsStartAtTheLowestProbabilityRoundedDownToFiveHundredths() {
    assertThat(ThresholdSweep.thresholds(0.62))
        .containsExactly(0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90, 0.95, 0.97, 0.99);
    assertThat(ThresholdSweep.thresholds(0.70)).startsWith(0.70, 0.75);
    assertThat(ThresholdSweep.thresholds(0.60)).startsWith(0.60);
    assertThat(ThresholdSweep.thresholds(0.999)).containsExactly(0.95, 0.97, 0.99);
  }

  @Test
  void refusedPairsNeverMergeAndEachThresholdIsScoredExactly(SparkSession spark) {
    List<ThresholdRow> rows =
        ThresholdSweep.sweep(
            ThresholdFixtures.recordProfiles(spark),
            ThresholdFixtures.mergeCandidates(spark),
            ThresholdFixtures.truth(spark));
    // 0.60: X, Y, W. 0.65-0.70: X and Y, Y joins B with C. 0.75-0.95: X only. 0.97-0.99: Z is
    // refused and run-1's pair is another run's, so nothing merges.
    assertThat(ThresholdSweep.csv(rows))
        .isEqualTo(
            String.join(
                "\n",
                "threshold,links,link_precision,pairwise_precision,pairwise_recall,f1,profiles,"
                    + "over_merged_profiles",
                "deterministic,0,,1.000000,0.333333,0.500000,7,0",
                "0.60,3,0.666667,0.666667,1.000000,0.800000,4,1",
                "0.65,2,0.500000,0.666667,0.666667,0.666667,5,1",
                "0.70,2,0.500000,0.666667,0.666667,0.666667,5,1",
                "0.75,1,1.000000,1.000000,0.666667,0.800000,6,0",
                "0.80,1,1.000000,1.000000,0.666667,0.800000,6,0",
                "0.85,1,1.000000,1.000000,0.666667,0.800000,6,0",
                "0.90,1,1.000000,1.000000,0.666667,0.800000,6,0",
                "0.95,1,1.000000,1.000000,0.666667,0.800000,6,0",
                "0.97,0,,1.000000,0.333333,0.500000,7,0",
                "0.99,0,,1.000000,0.333333,0.500000,7,0",
                ""));
    ThresholdRow deterministic = rows.get(0);
    assertThat(deterministic.label()).isEqualTo("deterministic");
    assertThat(deterministic.linkPrecision()).isNaN();
    double floor = deterministic.pairwiseRecall();
    assertThat(rows.subList(1, rows.size()))
        .allSatisfy(r -> assertThat(r.pairwiseRecall()).isGreaterThanOrEqualTo(floor));
    assertThat(rows.get(1).pairwiseRecall()).isGreaterThan(deterministic.pairwiseRecall());
  }

  @Test
  void noPairOfThisRunGivesNoTable(SparkSession spark) {
    assertThat(
            ThresholdSweep.sweep(
                ThresholdFixtures.recordProfiles(spark),
                ThresholdFixtures.mergeCandidates(spark).where("run_id = 'run-1'"),
                ThresholdFixtures.truth(spark)))
        .isEmpty();
  }
}
