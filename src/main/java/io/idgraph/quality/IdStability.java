package io.idgraph.quality;

import static org.apache.spark.sql.functions.*;

import io.idgraph.schema.Cols;
import io.idgraph.sink.OutputTables;
import io.idgraph.spark.SparkSessions;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * How stable profile ids are between two outputs (two nights, or an incremental and a full rebuild of
 * the same night): joins their {@code record_profiles} on (source, record_id) and prints the records
 * in both, the share of them whose profile id is unchanged, and the records only in one of the two.
 * Used by {@code scripts/incremental-bench}; run as
 * {@code IDGRAPH_MAIN=io.idgraph.quality.IdStability scripts/idgraph <output A> <output B>}.
 */
public final class IdStability {
  private IdStability() {}

  /** Records in both, records with the same profile id, records only in A, only in B. */
  public record Stability(long both, long same, long onlyA, long onlyB) {
    public double share() {
      return both == 0 ? 1.0 : same / (double) both;
    }
  }

  public static Stability compare(Dataset<Row> a, Dataset<Row> b) {
    Dataset<Row> left = a.select(col(Cols.SOURCE), col(Cols.RECORD_ID), col(Cols.PROFILE_ID).as("a"));
    Dataset<Row> right = b.select(col(Cols.SOURCE), col(Cols.RECORD_ID), col(Cols.PROFILE_ID).as("b"));
    Row r =
        left.join(right, new String[] {Cols.SOURCE, Cols.RECORD_ID}, "full_outer")
            .agg(
                sum(when(col("a").isNotNull().and(col("b").isNotNull()), 1).otherwise(0)),
                sum(when(col("a").equalTo(col("b")), 1).otherwise(0)),
                sum(when(col("b").isNull(), 1).otherwise(0)),
                sum(when(col("a").isNull(), 1).otherwise(0)))
            .first();
    return new Stability(
        r.isNullAt(0) ? 0 : r.getLong(0),
        r.isNullAt(1) ? 0 : r.getLong(1),
        r.isNullAt(2) ? 0 : r.getLong(2),
        r.isNullAt(3) ? 0 : r.getLong(3));
  }

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: IdStability <output A> <output B>");
      System.exit(2);
    }
    SparkSession spark = SparkSessions.getOrCreate("idgraph id-stability", Map.of());
    Stability s =
        compare(
            spark.read().format("delta").load(new Path(args[0], OutputTables.RECORD_PROFILES).toString()),
            spark.read().format("delta").load(new Path(args[1], OutputTables.RECORD_PROFILES).toString()));
    System.out.printf(
        "records in both: %d, same profile id: %d (%.4f), only in A: %d, only in B: %d%n",
        s.both(), s.same(), s.share(), s.onlyA(), s.onlyB());
    spark.stop();
  }
}
