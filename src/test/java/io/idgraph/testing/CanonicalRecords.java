package io.idgraph.testing;

import io.idgraph.schema.Cols;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Canonical (normalized) records for stage tests, with readable fake hashes such as "e-ann". */
public final class CanonicalRecords {
  private CanonicalRecords() {}

  public static final StructType ID =
      new StructType().add(Cols.ID_TYPE, DataTypes.StringType).add(Cols.ID_HASH, DataTypes.StringType);
  public static final StructType SIGNAL =
      new StructType()
          .add(Cols.SIGNAL_TYPE, DataTypes.StringType)
          .add(Cols.SIGNAL_HASH, DataTypes.StringType);
  public static final StructType SCHEMA =
      new StructType()
          .add(Cols.SOURCE, DataTypes.StringType)
          .add(Cols.RECORD_ID, DataTypes.StringType)
          .add(Cols.EVENT_TIME, DataTypes.TimestampType)
          .add(Cols.IDENTIFIERS, new ArrayType(ID, false))
          .add(Cols.TRAITS, DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType))
          .add(Cols.SIGNALS, new ArrayType(SIGNAL, false))
          .add(Cols.ATTRIBUTES, DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType))
          .add(Cols.ENTITY, DataTypes.StringType)
          .add(Cols.FILE, DataTypes.StringType);

  /**
   * One record. {@code ids} like "email=e-ann user_id=u-1"; the entity is the first identifier, or
   * "source:record:id" when there is none.
   */
  public static Row record(
      String source, String recordId, String time, String ids, Map<String, String> traits) {
    List<Row> identifiers = new ArrayList<>();
    for (String id : ids.isBlank() ? new String[0] : ids.trim().split("\\s+")) {
      String[] kv = id.split("=", 2);
      identifiers.add(RowFactory.create(kv[0], kv[1]));
    }
    String entity =
        identifiers.isEmpty()
            ? source + ":record:" + recordId
            : identifiers.get(0).getString(0) + ":" + identifiers.get(0).getString(1);
    return RowFactory.create(
        source,
        recordId,
        time == null ? null : Timestamp.from(Instant.parse(time)),
        identifiers,
        traits,
        List.of(),
        Map.of("type", source.equals("web") ? "page" : "record"),
        entity,
        source + ".file");
  }

  public static Dataset<Row> of(SparkSession spark, Row... rows) {
    return spark.createDataFrame(Arrays.asList(rows), SCHEMA);
  }
}
