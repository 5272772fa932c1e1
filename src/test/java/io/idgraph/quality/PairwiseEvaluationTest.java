package io.idgraph.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.idgraph.testing.SparkTest;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

@SparkTest
class PairwiseEvaluationTest {
  private static Dataset<Row> pairs(SparkSession spark, String column, String... recordToGroup) {
    StructType schema =
        new StructType()
            .add("source", DataTypes.StringType)
            .add("record_id", DataTypes.StringType)
            .add(column, DataTypes.StringType);
    List<Row> rows = new ArrayList<>();
    for (String spec : recordToGroup) {
      String[] kv = spec.split("=");
      rows.add(RowFactory.create("crm", kv[0], kv[1]));
    }
    return spark.createDataFrame(rows, schema);
  }

  private static final String[] TRUTH = {"r1=A", "r2=A", "r3=A", "r4=B", "r5=B", "r6=C"};

  @Test
  void handComputedMixedCase(SparkSession spark) {
    Dataset<Row> truth = pairs(spark, "person_id", "r1=A", "r2=A", "r3=A", "r4=B", "r5=B", "r6=C", "r7=C");
    Dataset<Row> output =
        pairs(spark, "profile_id", "r1=X", "r2=X", "r4=X", "r3=Y", "r5=Z", "r6=Z", "r8=Q");
    EvaluationResult r = PairwiseEvaluation.evaluate(output, truth);
    assertThat(r.truePositivePairs()).isEqualTo(1);
    assertThat(r.predictedPairs()).isEqualTo(4);
    assertThat(r.truePairs()).isEqualTo(4);
    assertThat(r.precision()).isCloseTo(0.25, within(1e-9));
    assertThat(r.recall()).isCloseTo(0.25, within(1e-9));
    assertThat(r.f1()).isCloseTo(0.25, within(1e-9));
    assertThat(r.overMergedProfiles()).isEqualTo(2);
    assertThat(r.recordsInOverMergedProfiles()).isEqualTo(5);
    assertThat(r.splitPersons()).isEqualTo(2);
    assertThat(r.largestProfileId()).isEqualTo("X");
    assertThat(r.largestProfileRecords()).isEqualTo(3);
    assertThat(r.largestProfilePersons()).isEqualTo(2);
    assertThat(r.truthRecordsMissingFromOutput()).isEqualTo(1);
    assertThat(r.outputRecordsNotInTruth()).isEqualTo(1);
    assertThat(r.format()).contains("pairwise precision   0.2500").contains("split persons        2");
    assertThat(PairwiseEvaluation.overMergedProfiles(output, truth).collectAsList())
        .extracting(row -> row.getString(0))
        .containsExactly("X", "Z");
  }

  @Test
  void aRecordListedTwiceCountsOnce(SparkSession spark) {
    Dataset<Row> truth = pairs(spark, "person_id", TRUTH);
    EvaluationResult r =
        PairwiseEvaluation.evaluate(
            pairs(spark, "profile_id", "r1=X", "r1=X", "r2=X", "r3=X", "r4=Y", "r5=Y", "r6=Z"), truth);
    assertThat(r.predictedPairs()).isEqualTo(4);
    assertThat(r.precision()).isEqualTo(1.0);
    assertThat(r.outputRecordsNotInTruth()).isZero();
  }

  @Test
  void perfectOneProfileAndAllSingletons(SparkSession spark) {
    Dataset<Row> truth = pairs(spark, "person_id", TRUTH);
    EvaluationResult perfect =
        PairwiseEvaluation.evaluate(
            pairs(spark, "profile_id", "r1=X", "r2=X", "r3=X", "r4=Y", "r5=Y", "r6=Z"), truth);
    assertThat(List.of(perfect.precision(), perfect.recall(), perfect.f1())).containsOnly(1.0);
    EvaluationResult oneProfile =
        PairwiseEvaluation.evaluate(
            pairs(spark, "profile_id", "r1=X", "r2=X", "r3=X", "r4=X", "r5=X", "r6=X"), truth);
    assertThat(oneProfile.recall()).isEqualTo(1.0);
    assertThat(oneProfile.precision()).isCloseTo(4 / 15.0, within(1e-9));
    EvaluationResult singletons =
        PairwiseEvaluation.evaluate(
            pairs(spark, "profile_id", "r1=1", "r2=2", "r3=3", "r4=4", "r5=5", "r6=6"), truth);
    assertThat(singletons.recall()).isZero();
    assertThat(singletons.precision()).isEqualTo(1.0);
    assertThat(singletons.f1()).isZero();
    assertThat(singletons.splitPersons()).isEqualTo(2);
  }
}
