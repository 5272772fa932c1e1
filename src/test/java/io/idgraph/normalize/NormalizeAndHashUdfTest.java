package io.idgraph.normalize;

import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.schema.Cols;
import io.idgraph.testing.SparkTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

@SparkTest
class NormalizeAndHashUdfTest {
  private static final IdentifierHasher HASHER =
      new IdentifierHasher("udf-test-key-udf-test-key".getBytes(StandardCharsets.UTF_8));
  private static final NormalizeAndHashUdf UDF =
      new NormalizeAndHashUdf(new IdentifierNormalizer(EmailOptions.DEFAULTS), HASHER);

  @Test
  void presentRejectedAndAbsentValues() {
    assertThat(UDF.call("email", " Ann+x@X.com ", null))
        .isEqualTo(RowFactory.create(HASHER.hash("email", "ann@x.com"), null));
    assertThat(UDF.call("phone", "650 253 0000", null))
        .isEqualTo(RowFactory.create(null, "INVALID_PHONE"));
    assertThat(UDF.call("nickname", "x", null))
        .isEqualTo(RowFactory.create(null, "UNKNOWN_ID_TYPE"));
    assertThat(UDF.call("user_id", "  ", null)).isEqualTo(RowFactory.create(null, null));
  }

  @Test
  void runsAsARegisteredSparkFunction(SparkSession spark) {
    spark.udf().register("ig_norm", UDF, NormalizeAndHashUdf.RESULT_TYPE);
    StructType input =
        new StructType()
            .add(Cols.ID_TYPE, DataTypes.StringType)
            .add(Cols.VALUE, DataTypes.StringType)
            .add(Cols.REGION, DataTypes.StringType);
    Dataset<Row> rows =
        spark.createDataFrame(
            List.of(
                RowFactory.create("phone", "(650) 253-0000", "us"),
                RowFactory.create("email", "a@@x.com", null),
                RowFactory.create("device_id", null, null)),
            input);

    List<Row> out =
        rows.select(
                call_function("ig_norm", col(Cols.ID_TYPE), col(Cols.VALUE), col(Cols.REGION))
                    .as("r"))
            .select("r.*")
            .collectAsList();

    assertThat(out)
        .containsExactly(
            RowFactory.create(HASHER.hash("phone", "+16502530000"), null),
            RowFactory.create(null, "INVALID_EMAIL"),
            RowFactory.create(null, null));
  }
}
