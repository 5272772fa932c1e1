package io.idgraph.job;

import io.idgraph.sink.DeltaSink;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A current-state table as tonight writes it: either whole, or tonight's rows replacing the previous
 * rows they supersede (a scoped night's profiles, tonight's records in the state). The second is
 * written as one Delta MERGE that touches only the replaced rows; the whole table is still at hand for
 * a table whose columns changed since the last run (then it is rewritten whole).
 *
 * @param tonight the rows tonight computed
 * @param whole the table after tonight: the previous rows that stand and {@code tonight}
 * @param staleKeys the keys of the previous rows tonight replaces, or null to write {@code whole}
 */
record StateTable(String table, Dataset<Row> tonight, Dataset<Row> whole, Dataset<Row> staleKeys, String[] keys) {

  /** The table is tonight's rows, nothing else. */
  static StateTable whole(String table, Dataset<Row> rows) {
    return new StateTable(table, rows, rows, null, null);
  }

  /** Tonight's rows replace the {@code previous} rows whose {@code keys} are in {@code stale}. */
  StateTable replacing(Dataset<Row> previous, Dataset<Row> stale, String... keys) {
    Dataset<Row> standing = previous.join(stale, keys, "left_anti");
    // A table an older idgraph wrote may lack a column tonight's rows have: null in its old rows.
    return new StateTable(table, tonight, standing.unionByName(tonight, true), stale, keys);
  }

  void write(DeltaSink sink) {
    if (staleKeys != null && sink.hasColumnsOf(table, tonight)) {
      sink.replaceRows(table, tonight, staleKeys, keys);
    } else {
      sink.replace(table, whole);
    }
  }
}
