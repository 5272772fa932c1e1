package io.idgraph.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.tables.DeltaTable;
import io.idgraph.testing.SparkTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A scoped night replaces the rows of the profiles it recomputed, in one commit, without rewriting files. */
@SparkTest
class DeltaSinkTest {
  private static final StructType ROWS =
      new StructType().add("profile_id", DataTypes.StringType).add("record_id", DataTypes.StringType);
  private static final StructType KEYS = new StructType().add("profile_id", DataTypes.StringType);

  @Test
  void replaceRowsDeletesTheStaleProfilesAndInsertsTonightsRowsInOneCommit(SparkSession spark, @TempDir Path out)
      throws Exception {
    DeltaSink sink = new DeltaSink(spark, out.toString(), "run-1");
    sink.replace("t", rows(spark, "p1:r1", "p1:r2", "p2:r3", "p3:r4"));
    long before = DeltaTable.forPath(spark, sink.path("t")).history(1).first().getLong(0);
    long filesBefore = dataFiles(out.resolve("t"));

    // p1 is recomputed: r2 left it and now forms p4, r5 is new; p2 is gone; p3 is untouched.
    sink.replaceRows(
        "t",
        rows(spark, "p1:r1", "p1:r5", "p4:r2"),
        spark.createDataFrame(List.of(RowFactory.create("p1"), RowFactory.create("p2")), KEYS),
        "profile_id");

    assertThat(contents(sink.current("t"))).containsExactly("p1:r1", "p1:r5", "p3:r4", "p4:r2");
    DeltaTable table = DeltaTable.forPath(spark, sink.path("t"));
    Row last = table.history(1).first();
    assertThat(last.getLong(0)).isEqualTo(before + 1);
    assertThat(last.<String>getAs("operation")).isEqualTo("MERGE");
    // Deletion vectors: the old file stays, its deleted rows are marked; only tonight's rows are written.
    scala.collection.Map<String, String> metrics = last.getAs("operationMetrics");
    assertThat(metrics.get("numTargetDeletionVectorsAdded").get()).isNotEqualTo("0");
    assertThat(metrics.get("numTargetRowsCopied").get()).isEqualTo("0");
    assertThat(metrics.get("numTargetRowsDeleted").get()).isEqualTo("3");
    assertThat(metrics.get("numTargetRowsInserted").get()).isEqualTo("3");
    assertThat(dataFiles(out.resolve("t"))).isGreaterThan(filesBefore);
  }

  @Test
  void aTableAnOlderIdgraphWroteWithoutDeletionVectorsIsUpgradedOnce(SparkSession spark, @TempDir Path out) {
    DeltaSink sink = new DeltaSink(spark, out.toString(), "run-1");
    rows(spark, "p1:r1", "p2:r2").write().format("delta").save(sink.path("t"));

    sink.replaceRows(
        "t", rows(spark, "p1:r3"), spark.createDataFrame(List.of(RowFactory.create("p1")), KEYS), "profile_id");

    assertThat(contents(sink.current("t"))).containsExactly("p1:r3", "p2:r2");
    Row detail = DeltaTable.forPath(spark, sink.path("t")).detail().first();
    assertThat(detail.<String, String>getJavaMap(detail.fieldIndex("properties")))
        .containsEntry(DeltaSink.DELETION_VECTORS, "true");
  }

  @Test
  void aTableWhoseColumnsChangedIsNotReplacedRowByRow(SparkSession spark, @TempDir Path out) {
    DeltaSink sink = new DeltaSink(spark, out.toString(), "run-1");
    sink.replace("t", rows(spark, "p1:r1"));
    assertThat(sink.hasColumnsOf("t", rows(spark, "p2:r2"))).isTrue();
    assertThat(sink.hasColumnsOf("t", rows(spark, "p2:r2").withColumn("extra", org.apache.spark.sql.functions.lit(1))))
        .isFalse();
    assertThat(sink.hasColumnsOf("missing", rows(spark, "p2:r2"))).isFalse();
  }

  private static Dataset<Row> rows(SparkSession spark, String... pairs) {
    List<Row> rows =
        java.util.Arrays.stream(pairs).map(p -> RowFactory.create((Object[]) p.split(":"))).toList();
    return spark.createDataFrame(rows, ROWS);
  }

  private static List<String> contents(Dataset<Row> table) {
    return table.collectAsList().stream()
        .map(r -> r.getString(0) + ":" + r.getString(1))
        .sorted()
        .collect(Collectors.toList());
  }

  private static long dataFiles(Path table) throws Exception {
    try (var files = Files.list(table)) {
      return files.filter(f -> f.toString().endsWith(".parquet")).count();
    }
  }
}
