package io.idgraph.inspect;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/**
 * The first rows of a query's result, collected to the driver: never more than the limit plus one
 * row (which only tells that there were more). Values are Spark's own string forms (Spark casts
 * arrays, maps and structs to {@code [a, b]}, {@code {k -> v}}, {@code {x, y}}; timestamps in the
 * session time zone, UTC), null stays null. For JSON the rows are Spark's JSON encoding instead, one
 * object per row with nested values as JSON.
 *
 * @param columns the result's column names, in order (may repeat, e.g. after a join)
 * @param numeric per column, whether it is numeric (right-aligned in a text table)
 * @param rows string values per row (null for SQL NULL); empty for JSON pages
 * @param jsonLines one JSON object per row; empty for text pages
 * @param truncated whether the result had more rows than the limit
 */
public record ResultPage(
    List<String> columns,
    List<Boolean> numeric,
    List<List<String>> rows,
    List<String> jsonLines,
    boolean truncated) {

  /** At most {@code limit} rows of {@code result} as strings. */
  public static ResultPage strings(Dataset<Row> result, int limit) {
    StructField[] fields = result.schema().fields();
    // Positional names: a join's result may carry two columns of one name.
    String[] positional = new String[fields.length];
    Column[] asText = new Column[fields.length];
    for (int i = 0; i < fields.length; i++) {
      positional[i] = "c" + i;
      asText[i] = col(positional[i]).cast("string");
    }
    List<Row> collected =
        result.toDF(positional).select(asText).limit(limit + 1).collectAsList();
    List<List<String>> rows = new ArrayList<>();
    for (int r = 0; r < Math.min(limit, collected.size()); r++) {
      List<String> values = new ArrayList<>();
      for (int i = 0; i < fields.length; i++) {
        values.add(collected.get(r).isNullAt(i) ? null : collected.get(r).getString(i));
      }
      rows.add(values);
    }
    return new ResultPage(
        names(fields), numeric(fields), rows, List.of(), collected.size() > limit);
  }

  /** At most {@code limit} rows of {@code result} as JSON objects. */
  public static ResultPage json(Dataset<Row> result, int limit) {
    StructField[] fields = result.schema().fields();
    List<String> collected = result.limit(limit + 1).toJSON().collectAsList();
    return new ResultPage(
        names(fields),
        numeric(fields),
        List.of(),
        List.copyOf(collected.subList(0, Math.min(limit, collected.size()))),
        collected.size() > limit);
  }

  private static List<String> names(StructField[] fields) {
    List<String> names = new ArrayList<>();
    for (StructField f : fields) {
      names.add(f.name());
    }
    return names;
  }

  private static List<Boolean> numeric(StructField[] fields) {
    List<Boolean> numeric = new ArrayList<>();
    for (StructField f : fields) {
      numeric.add(f.dataType() instanceof NumericType);
    }
    return numeric;
  }
}
