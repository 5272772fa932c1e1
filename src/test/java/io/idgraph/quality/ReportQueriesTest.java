package io.idgraph.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.quality.RunReport.LargeProfile;
import io.idgraph.quality.RunReport.SizeBucket;
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
class ReportQueriesTest {
  private static final StructType PROFILES =
      new StructType()
          .add("profile_id", DataTypes.StringType)
          .add("record_count", DataTypes.LongType)
          .add(
              "identifier_counts", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType))
          .add("sources", DataTypes.createArrayType(DataTypes.StringType));

  /** One profile per record count, on both sides of every bucket bound. */
  private static Dataset<Row> profiles(SparkSession spark) {
    long[] sizes = {1, 1, 2, 3, 5, 6, 10, 11, 20, 21, 50, 51, 100, 101, 5000};
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < sizes.length; i++) {
      Map<String, Long> ids =
          i % 3 == 0 ? Map.of() : i % 3 == 1 ? Map.of("email", 2L) : Map.of("email", 1L, "phone", 3L);
      rows.add(RowFactory.create(String.format("prf_%02d", i), sizes[i], ids, List.of("crm")));
    }
    return spark.createDataFrame(rows, PROFILES);
  }

  @Test
  void bucketsProfilesBySizeOnTheirBounds(SparkSession spark) {
    assertThat(ReportQueries.profileSizes(profiles(spark)))
        .extracting(SizeBucket::label, SizeBucket::profiles)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("1", 2L),
            org.assertj.core.groups.Tuple.tuple("2", 1L),
            org.assertj.core.groups.Tuple.tuple("3-5", 2L),
            org.assertj.core.groups.Tuple.tuple("6-10", 2L),
            org.assertj.core.groups.Tuple.tuple("11-20", 2L),
            org.assertj.core.groups.Tuple.tuple("21-50", 2L),
            org.assertj.core.groups.Tuple.tuple("51-100", 2L),
            org.assertj.core.groups.Tuple.tuple(">100", 2L));
  }

  @Test
  void largestProfilesAndIdentifierTypes(SparkSession spark) {
    List<LargeProfile> largest = ReportQueries.largestProfiles(profiles(spark), 2);
    // prf_14 (5000 records, i % 3 == 2: email 1 + phone 3), then prf_13 (101, email 2).
    assertThat(largest)
        .containsExactly(
            new LargeProfile("prf_14", 5000, 4, List.of("crm")),
            new LargeProfile("prf_13", 101, 2, List.of("crm")));
    assertThat(ReportQueries.profilesByIdentifierTypes(profiles(spark)))
        .containsExactly(Map.entry(0, 5L), Map.entry(1, 5L), Map.entry(2, 5L));
  }
}
