package io.idgraph.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.tables.DeltaTable;
import io.idgraph.testing.SparkTest;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manual_operations table contract: schema, reading an absent table, one commit per operation.
 */
@SparkTest
class ManualOperationsTest {
  private static final Instant AT = Instant.parse("2024-05-02T08:30:00.123456789Z");
  private static final Audit AUDIT = new Audit(" alice ", "ticket 42");

  @TempDir Path dir;

  @Test
  void schemaIsTheContract() {
    StructType anchor =
        new StructType().add("source", DataTypes.StringType).add("record_id", DataTypes.StringType);
    StructType expected =
        new StructType()
            .add("op_id", DataTypes.StringType)
            .add("operation", DataTypes.StringType)
            .add("requested_at", DataTypes.TimestampType)
            .add("actor", DataTypes.StringType)
            .add("reason", DataTypes.StringType)
            .add("profile_ids", DataTypes.createArrayType(DataTypes.StringType))
            .add("anchor_records", DataTypes.createArrayType(anchor))
            .add("merge_id", DataTypes.StringType)
            .add("id_type", DataTypes.StringType)
            .add("id_hash", DataTypes.StringType)
            .add("candidate_id", DataTypes.StringType);
    assertThat(ManualOperations.schema()).isEqualTo(expected);
  }

  @Test
  void anAbsentTableReadsAsEmptyWithTheSchema(SparkSession spark) {
    Dataset<Row> ops = ManualOperations.read(spark, dir.toString());
    assertThat(ops.schema()).isEqualTo(ManualOperations.schema());
    assertThat(ops.count()).isZero();
  }

  @Test
  void eachOperationIsOneRowInOneCommit(SparkSession spark) {
    String out = dir.toString();
    ManualOperation merge =
        ManualOperation.merge(
            List.of("P1", "P2"),
            List.of(new AnchorRecord("crm", "c1"), new AnchorRecord("web", "w9")),
            AUDIT,
            AT);
    ManualOperations.append(spark, out, merge);
    ManualOperation block =
        ManualOperation.block("email", "ab".repeat(32), AUDIT, AT.plusSeconds(5));
    ManualOperations.append(spark, out, block);

    List<Row> rows = ManualOperations.read(spark, out).orderBy("requested_at").collectAsList();
    Timestamp micros = Timestamp.from(Instant.parse("2024-05-02T08:30:00.123456Z"));
    assertThat(rows.get(0))
        .isEqualTo(
            RowFactory.create(
                merge.opId(),
                "merge",
                micros,
                "alice",
                "ticket 42",
                scalaSeq("P1", "P2"),
                scalaSeq(RowFactory.create("crm", "c1"), RowFactory.create("web", "w9")),
                null,
                null,
                null,
                null));
    assertThat(rows.get(1))
        .isEqualTo(
            RowFactory.create(
                block.opId(),
                "block",
                Timestamp.from(Instant.parse("2024-05-02T08:30:05.123456Z")),
                "alice",
                "ticket 42",
                scalaSeq(),
                scalaSeq(),
                null,
                "email",
                "ab".repeat(32),
                null));

    DeltaTable table = DeltaTable.forPath(spark, ManualOperations.path(out));
    List<Row> history =
        table.history().orderBy("version").select("version", "userMetadata").collectAsList();
    assertThat(history).hasSize(2);
    assertThat(history.get(0).getString(1)).isEqualTo(merge.opId());
    assertThat(history.get(1).getString(1)).isEqualTo(block.opId());
  }

  @Test
  void opIdsDifferByArgumentsAndTime() {
    ManualOperation a = ManualOperation.unmerge("mrg_1", AUDIT, AT);
    assertThat(a.opId()).matches("op_[0-9a-f]{16}");
    assertThat(ManualOperation.unmerge("mrg_1", AUDIT, AT).opId()).isEqualTo(a.opId());
    assertThat(ManualOperation.unmerge("mrg_2", AUDIT, AT).opId()).isNotEqualTo(a.opId());
    assertThat(ManualOperation.unmerge("mrg_1", AUDIT, AT.plusMillis(1)).opId())
        .isNotEqualTo(a.opId());
  }

  @SafeVarargs
  private static <T> scala.collection.immutable.Seq<T> scalaSeq(T... values) {
    return scala.jdk.javaapi.CollectionConverters.asScala(List.of(values)).toList();
  }
}
