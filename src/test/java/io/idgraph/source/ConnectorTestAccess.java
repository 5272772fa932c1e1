package io.idgraph.source;

import io.idgraph.schema.Cols;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;

/** Reads connector output rows in a form that is easy to assert on. */
public final class ConnectorTestAccess {
  private ConnectorTestAccess() {}

  public static Map<String, Row> byRecordId(SourceBatch batch) {
    Map<String, Row> rows = new HashMap<>();
    for (Row r : batch.records().collectAsList()) {
      rows.put(r.getAs(Cols.RECORD_ID), r);
    }
    return rows;
  }

  /** "type=value@region" for each raw identifier of a record. */
  public static List<String> rawIds(Row record) {
    List<Row> ids = record.getList(record.fieldIndex(Cols.RAW_IDS));
    return ids.stream()
        .map(
            id ->
                id.getAs(Cols.ID_TYPE)
                    + "="
                    + id.getAs(Cols.VALUE)
                    + (id.getAs(Cols.REGION) == null ? "" : "@" + id.getAs(Cols.REGION)))
        .collect(Collectors.toList());
  }

  public static Map<String, String> traits(Row record) {
    return record.getJavaMap(record.fieldIndex(Cols.TRAITS));
  }

  public static List<String> rejectedReasons(SourceBatch batch) {
    return batch.rejected().collectAsList().stream()
        .map(r -> r.getAs(Cols.RECORD_REF) + ":" + r.getAs(Cols.REASON))
        .sorted()
        .collect(Collectors.toList());
  }
}
