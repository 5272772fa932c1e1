package io.idgraph.history;

import static org.apache.spark.sql.functions.*;

import io.idgraph.schema.Cols;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Joins the profiles an admin merged (idgraph merge, review --approve). An admin's merge overrides
 * the identity rules (limits, do-not-link pairs, size cap): it is a person's decision on one pair,
 * audited with actor and reason. Only the admin pairs are collected to the driver (tens or
 * thousands, never the graph); the union of their clusters is applied with a join.
 */
public final class ManualLinks {
  private static final StructType ROOTS =
      new StructType()
          .add("_key", DataTypes.StringType)
          .add("_root", DataTypes.StringType)
          .add("_op", DataTypes.StringType);

  private ManualLinks() {}

  /**
   * @param records records whose profile_id is tonight's cluster key
   * @param links {@link ManualInstructions#links()}
   * @return the records with joined clusters under one key and {@link HistoryEvents#OP_ID} set on
   *     the records of clusters an admin joined
   */
  public static Dataset<Row> apply(Dataset<Row> records, Dataset<Row> links) {
    Dataset<Row> where = records.select(col(Cols.SOURCE), col(Cols.RECORD_ID), col(Cols.PROFILE_ID));
    List<Row> pairs =
        links
            .join(
                where.select(col(Cols.SOURCE).as(ManualInstructions.A_SOURCE), col(Cols.RECORD_ID).as(ManualInstructions.A_RECORD), col(Cols.PROFILE_ID).as("_a")),
                new String[] {ManualInstructions.A_SOURCE, ManualInstructions.A_RECORD})
            .join(
                where.select(col(Cols.SOURCE).as(ManualInstructions.B_SOURCE), col(Cols.RECORD_ID).as(ManualInstructions.B_RECORD), col(Cols.PROFILE_ID).as("_b")),
                new String[] {ManualInstructions.B_SOURCE, ManualInstructions.B_RECORD})
            .select(col("_a"), col("_b"), col(ManualInstructions.OP_ID))
            .orderBy(col(ManualInstructions.OP_ID))
            .collectAsList();
    Map<String, String> parent = new HashMap<>();
    Map<String, String> op = new HashMap<>();
    for (Row p : pairs) {
      String a = find(parent, p.getString(0));
      String b = find(parent, p.getString(1));
      if (!a.equals(b)) {
        // The smaller key becomes the root so the result does not depend on the order of operations.
        parent.put(a.compareTo(b) < 0 ? b : a, a.compareTo(b) < 0 ? a : b);
      }
      op.put(p.getString(0), p.getString(2));
      op.put(p.getString(1), p.getString(2));
    }
    List<Row> roots = new ArrayList<>();
    for (String key : new ArrayList<>(parent.keySet())) {
      roots.add(RowFactory.create(key, find(parent, key), op.get(key)));
    }
    for (var e : op.entrySet()) {
      if (!parent.containsKey(e.getKey())) {
        roots.add(RowFactory.create(e.getKey(), find(parent, e.getKey()), e.getValue()));
      }
    }
    Dataset<Row> mapping = records.sparkSession().createDataFrame(roots, ROOTS);
    return records
        .join(broadcast(mapping), col(Cols.PROFILE_ID).equalTo(col("_key")), "left")
        .withColumn(Cols.PROFILE_ID, coalesce(col("_root"), col(Cols.PROFILE_ID)))
        .withColumn(HistoryEvents.OP_ID, col("_op"))
        .drop("_key", "_root", "_op");
  }

  private static String find(Map<String, String> parent, String key) {
    String root = key;
    while (parent.containsKey(root)) {
      root = parent.get(root);
    }
    return root;
  }
}
