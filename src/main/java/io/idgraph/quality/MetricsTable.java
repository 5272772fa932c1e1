package io.idgraph.quality;

import io.idgraph.quality.RunMetrics.SourceCounts;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The one-row run_metrics Dataset for a run. */
public final class MetricsTable {
  private MetricsTable() {}

  private static final StructType SOURCE =
      new StructType()
          .add("source", DataTypes.StringType)
          .add("read", DataTypes.LongType)
          .add("accepted", DataTypes.LongType)
          .add("rejected", DataTypes.LongType)
          .add("duplicates", DataTypes.LongType)
          .add("values_dropped", DataTypes.LongType);

  public static final StructType SCHEMA =
      new StructType()
          .add("run_id", DataTypes.StringType)
          .add("started_at", DataTypes.TimestampType)
          .add("ended_at", DataTypes.TimestampType)
          .add("status", DataTypes.StringType)
          .add("sources", new ArrayType(SOURCE, false))
          .add(
              "identifiers_by_type",
              DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType))
          .add(
              "profiles_by_state", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType))
          .add("profiles", DataTypes.LongType)
          .add("merges", DataTypes.LongType)
          .add("largest_profile_records", DataTypes.LongType)
          .add("largest_profile_id", DataTypes.StringType)
          .add("identity_edges", DataTypes.LongType)
          .add("source_entities", DataTypes.LongType)
          .add("duplicate_detection_rate", DataTypes.DoubleType)
          .add(
              "rejections_by_reason",
              DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType))
          .add(
              "link_decisions_by_rule",
              DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType))
          .add("stage_seconds", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType))
          .add("scoring", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType))
          .add("id_changes", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType))
          .add("clustering", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType));

  public static Dataset<Row> of(SparkSession spark, RunMetrics m) {
    List<Row> sources = new ArrayList<>();
    for (SourceCounts s : m.sources()) {
      sources.add(
          RowFactory.create(
              s.source(), s.read(), s.accepted(), s.rejected(), s.duplicates(), s.valuesDropped()));
    }
    Row row =
        RowFactory.create(
            m.runId(),
            Timestamp.from(m.startedAt()),
            Timestamp.from(m.endedAt()),
            "succeeded",
            sources,
            m.identifiersByType(),
            m.profilesByState(),
            m.profiles(),
            m.merges(),
            m.largestProfileRecords(),
            m.largestProfileId(),
            m.identityEdges(),
            m.entities(),
            m.duplicateDetectionRate(),
            m.rejectionsByReason(),
            m.linkDecisionsByRule(),
            m.stageSeconds(),
            m.scoring(),
            m.idChanges(),
            m.clustering());
    return spark.createDataFrame(List.of(row), SCHEMA);
  }
}
