package io.idgraph.source;

import static org.apache.spark.sql.functions.*;

import io.idgraph.schema.Cols;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructType;

/**
 * The canonical raw record every connector produces, before normalization: identifiers as raw strings
 * with their type (and, for phones, the region to read national numbers in), traits, scoring signals,
 * event attributes, and which identifier type names the record's source entity. Also the shape of
 * rejected rows. Helpers here build those columns so connectors stay short.
 */
public final class RawRecords {
  private RawRecords() {}

  public static final StructType RAW_ID =
      new StructType()
          .add(Cols.ID_TYPE, DataTypes.StringType)
          .add(Cols.VALUE, DataTypes.StringType)
          .add(Cols.REGION, DataTypes.StringType);

  public static final StructType RAW_SIGNAL =
      new StructType()
          .add(Cols.SIGNAL_TYPE, DataTypes.StringType)
          .add(Cols.VALUE, DataTypes.StringType);

  private static final MapType STRING_MAP =
      DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType);

  public static final StructType SCHEMA =
      new StructType()
          .add(Cols.SOURCE, DataTypes.StringType, false)
          .add(Cols.RECORD_ID, DataTypes.StringType)
          .add(Cols.EVENT_TIME_RAW, DataTypes.StringType)
          .add(Cols.RAW_IDS, new ArrayType(RAW_ID, false))
          .add(Cols.TRAITS, STRING_MAP)
          .add(Cols.RAW_SIGNALS, new ArrayType(RAW_SIGNAL, false))
          .add(Cols.ATTRIBUTES, STRING_MAP)
          .add(Cols.ENTITY_TYPE, DataTypes.StringType)
          .add(Cols.FILE, DataTypes.StringType);

  /**
   * Attribute keys that start with this declare a timeline event of the record: {@code
   * event:email_opened} → the raw time it happened (profile.ProfileEvents turns each into a row of
   * profile_events). Web events need none: a web record is one event.
   */
  public static final String EVENT_KEY_PREFIX = "event:";

  /** A rejected row or value: never the raw value itself, only where it was and why. */
  public static final StructType REJECTED_SCHEMA =
      new StructType()
          .add(Cols.SOURCE, DataTypes.StringType, false)
          .add(Cols.RECORD_REF, DataTypes.StringType)
          .add(Cols.FILE, DataTypes.StringType)
          .add(Cols.FIELD, DataTypes.StringType)
          .add(Cols.REASON, DataTypes.StringType)
          .add(Cols.DETAIL, DataTypes.StringType);

  /** Trimmed string, or null when blank: "any value may be empty" and empty means absent. */
  public static Column blankToNull(Column c) {
    Column t = trim(c.cast(DataTypes.StringType));
    return when(t.notEqual(lit("")), t);
  }

  public static Column rawId(String type, Column value) {
    return rawId(type, value, lit(null).cast(DataTypes.StringType));
  }

  public static Column rawId(String type, Column value, Column region) {
    return struct(
        lit(type).as(Cols.ID_TYPE),
        value.cast(DataTypes.StringType).as(Cols.VALUE),
        region.cast(DataTypes.StringType).as(Cols.REGION));
  }

  /** The array of raw identifiers, without the ones whose value is absent. */
  public static Column rawIds(Column... ids) {
    if (ids.length == 0) {
      return array().cast(new ArrayType(RAW_ID, false));
    }
    return filter(array(ids), id -> id.getField(Cols.VALUE).isNotNull()
        .and(trim(id.getField(Cols.VALUE)).notEqual(lit(""))));
  }

  public static Column rawSignal(String type, Column value) {
    return struct(
        lit(type).as(Cols.SIGNAL_TYPE), value.cast(DataTypes.StringType).as(Cols.VALUE));
  }

  public static Column rawSignals(Column... signals) {
    if (signals.length == 0) {
      return array().cast(new ArrayType(RAW_SIGNAL, false));
    }
    return filter(array(signals), s -> s.getField(Cols.VALUE).isNotNull()
        .and(trim(s.getField(Cols.VALUE)).notEqual(lit(""))));
  }

  /** A string map of the given entries without absent values. */
  public static Column stringMap(Map<String, Column> entries) {
    if (entries.isEmpty()) {
      return map().cast(STRING_MAP);
    }
    List<Column> kv = new ArrayList<>();
    entries.forEach(
        (k, v) -> {
          kv.add(lit(k));
          kv.add(blankToNull(v));
        });
    return map_filter(map(kv.toArray(Column[]::new)), (k, v) -> v.isNotNull());
  }

  /** Selects the given schema's columns in order, cast to their exact types. */
  public static Dataset<Row> conform(Dataset<Row> df, StructType schema) {
    Column[] cols = new Column[schema.fields().length];
    for (int i = 0; i < cols.length; i++) {
      String name = schema.fields()[i].name();
      cols[i] = col(name).cast(schema.fields()[i].dataType()).as(name);
    }
    return df.select(cols);
  }
}
