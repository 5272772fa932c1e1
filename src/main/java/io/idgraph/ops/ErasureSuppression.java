package io.idgraph.ops;

import static org.apache.spark.sql.functions.*;

import io.idgraph.normalize.RejectReason;
import io.idgraph.schema.Cols;
import io.idgraph.source.RawRecords;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Keeps erased people out of a night: a record carrying an identifier whose suppressed hash
 * (ErasureRequests#suppressedHash) is in erasure_requests (the suppression list idgraph forget
 * keeps) is not a record tonight. It becomes one
 * rejected_records row, reason ERASED, naming its source, file and the matched identifier type, and
 * with no record id: the rejection must not point back at the person. Any other rejection of the
 * same record (an invalid phone on the row) is dropped for the same reason. Without erasure
 * requests both methods return their input as it is.
 */
public final class ErasureSuppression {
  private static final String ID = Cols.INTERNAL_PREFIX + "erased_id";

  /** suppressed_hash, request_id; null when no erasure was ever requested. */
  private final Dataset<Row> suppressed;

  private ErasureSuppression(Dataset<Row> suppressed) {
    this.suppressed = suppressed;
  }

  /** The suppression list under {@code outputRoot} (lazy; a small table, broadcast in the joins). */
  public static ErasureSuppression read(SparkSession spark, String outputRoot) {
    return new ErasureSuppression(ErasureRequests.suppressed(spark, outputRoot).orElse(null));
  }

  /** For tests and callers holding the list: suppressed_hash, request_id. */
  public static ErasureSuppression of(Dataset<Row> suppressed) {
    return new ErasureSuppression(suppressed);
  }

  /** source, record_id, file, id_type, request_id of each record carrying a suppressed identifier. */
  private Dataset<Row> matched(Dataset<Row> records) {
    return records
        .select(col(Cols.SOURCE), col(Cols.RECORD_ID), col(Cols.FILE), explode(col(Cols.IDENTIFIERS)).as(ID))
        .select(
            col(Cols.SOURCE),
            col(Cols.RECORD_ID),
            col(Cols.FILE),
            col(ID).getField(Cols.ID_TYPE).as(Cols.ID_TYPE),
            ErasureRequests.suppressedHash(col(ID).getField(Cols.ID_TYPE), col(ID).getField(Cols.ID_HASH))
                .as(ErasureRequests.SUPPRESSED_HASH))
        .join(broadcast(suppressed), ErasureRequests.SUPPRESSED_HASH)
        .groupBy(Cols.SOURCE, Cols.RECORD_ID)
        .agg(
            min(Cols.FILE).as(Cols.FILE),
            min(Cols.ID_TYPE).as(Cols.ID_TYPE),
            min(ErasureRequests.REQUEST_ID).as(ErasureRequests.REQUEST_ID));
  }

  /** {@code records} (canonical records with identifiers) without the suppressed ones. */
  public Dataset<Row> kept(Dataset<Row> records) {
    if (suppressed == null) {
      return records;
    }
    return records.join(
        matched(records).select(Cols.SOURCE, Cols.RECORD_ID),
        new String[] {Cols.SOURCE, Cols.RECORD_ID},
        "left_anti");
  }

  /**
   * {@code rejected} (rows of RawRecords.REJECTED_SCHEMA) without the rows of suppressed records,
   * plus one ERASED row per suppressed record of {@code records}.
   */
  public Dataset<Row> rejected(Dataset<Row> rejected, Dataset<Row> records) {
    if (suppressed == null) {
      return rejected;
    }
    Dataset<Row> matched = matched(records);
    Dataset<Row> others =
        rejected.join(
            matched.select(col(Cols.SOURCE), col(Cols.RECORD_ID).as(Cols.RECORD_REF)),
            new String[] {Cols.SOURCE, Cols.RECORD_REF},
            "left_anti");
    Dataset<Row> erased =
        matched.select(
            col(Cols.SOURCE),
            lit(null).cast("string").as(Cols.RECORD_REF),
            col(Cols.FILE),
            col(Cols.ID_TYPE).as(Cols.FIELD),
            lit(RejectReason.ERASED.name()).as(Cols.REASON),
            concat(
                    lit("carries an identifier erased by request "),
                    col(ErasureRequests.REQUEST_ID),
                    lit(" (idgraph forget)"))
                .as(Cols.DETAIL));
    return RawRecords.conform(others, RawRecords.REJECTED_SCHEMA)
        .unionByName(RawRecords.conform(erased, RawRecords.REJECTED_SCHEMA));
  }
}
