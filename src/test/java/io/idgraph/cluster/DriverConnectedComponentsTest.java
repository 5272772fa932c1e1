package io.idgraph.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.schema.Cols;
import io.idgraph.testing.SparkTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The driver's union-find gives GraphX's answer: the smallest vertex id of each component. */
@SparkTest
class DriverConnectedComponentsTest {
  private static final StructType EDGES =
      new StructType().add(Cols.SRC, DataTypes.LongType).add(Cols.DST, DataTypes.LongType);

  @Test
  void sameComponentsAsGraphX(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    // A long chain 100 - 99 - ... - 50 (GraphX's worst case), both directions and duplicates,
    // a star around -7, and random edges among 200..260.
    for (long v = 100; v > 50; v--) {
      rows.add(RowFactory.create(v, v - 1));
    }
    rows.add(RowFactory.create(51L, 50L));
    rows.add(RowFactory.create(-7L, 3L));
    rows.add(RowFactory.create(4L, -7L));
    rows.add(RowFactory.create(-7L, 4L));
    Random random = new Random(1);
    for (int i = 0; i < 40; i++) {
      rows.add(RowFactory.create(200L + random.nextInt(60), 200L + random.nextInt(60)));
    }
    Dataset<Row> edges = spark.createDataFrame(rows, EDGES);
    GraphXConnectedComponents graphx = new GraphXConnectedComponents();
    try {
      List<Row> expected = graphx.components(edges).orderBy(Cols.VERTEX_ID).collectAsList();
      List<Row> actual = new DriverConnectedComponents().components(edges).orderBy(Cols.VERTEX_ID).collectAsList();
      assertThat(actual).isEqualTo(expected);
      assertThat(actual.stream().filter(r -> r.getLong(0) == 100L).findFirst().orElseThrow().getLong(1)).isEqualTo(50L);
      assertThat(actual.stream().filter(r -> r.getLong(0) == 4L).findFirst().orElseThrow().getLong(1)).isEqualTo(-7L);
    } finally {
      graphx.release();
    }
  }
}
