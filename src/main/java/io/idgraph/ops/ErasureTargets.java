package io.idgraph.ops;

import static org.apache.spark.sql.functions.*;

import io.idgraph.normalize.IdType;
import io.idgraph.normalize.IdentifierHasher;
import io.idgraph.normalize.IdentifierNormalizer;
import io.idgraph.normalize.NormalizeAndHashUdf;
import io.idgraph.normalize.RejectReason;
import io.idgraph.schema.Cols;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.UserDefinedFunction;

/**
 * Bulk erasure requests as a privacy tool exports them (columns {@code id_type, value}, raw values)
 * turned into hashes on the executors, with the same normalizer and key as the nightly job. The raw
 * values never reach the driver: a row the normalizer refuses comes back with its reason and a
 * masked value (its first two characters and its length), enough for the operator to find it.
 */
public final class ErasureTargets {
  private ErasureTargets() {}

  /** The identifier types a request may name. */
  public static final List<String> TYPES = List.of(IdType.EMAIL, IdType.PHONE, IdType.USER_ID);

  /** Why a row cannot be hashed (null for a good row). */
  public static final String PROBLEM = Cols.INTERNAL_PREFIX + "problem";
  /** The refused value masked: "an… (17 characters)". */
  public static final String SHOWN = Cols.INTERNAL_PREFIX + "shown";

  private static final String RESULT = Cols.INTERNAL_PREFIX + "result";

  /**
   * id_type, id_hash, {@link #PROBLEM}, {@link #SHOWN} for every request row.
   *
   * @param region region a national phone number is read in
   */
  public static Dataset<Row> hashed(
      Dataset<Row> requests,
      IdentifierNormalizer normalizer,
      IdentifierHasher hasher,
      String region) {
    UserDefinedFunction hash =
        udf(new NormalizeAndHashUdf(normalizer, hasher), NormalizeAndHashUdf.RESULT_TYPE)
            .withName("idgraph_erasure_hash");
    Column type = lower(trim(col(Cols.ID_TYPE)));
    Column value = col(Cols.VALUE).cast("string");
    Dataset<Row> evaluated =
        requests
            .select(type.as(Cols.ID_TYPE), value.as(Cols.VALUE))
            .withColumn(
                RESULT,
                when(
                    type.isin(TYPES.toArray()),
                    hash.apply(col(Cols.ID_TYPE), col(Cols.VALUE), lit(region))));
    Column reject = col(RESULT).getField(Cols.REJECT_REASON);
    Column problem =
        when(not(coalesce(col(Cols.ID_TYPE).isin(TYPES.toArray()), lit(false))),
                concat(
                    lit(RejectReason.UNKNOWN_ID_TYPE.name() + " (id_type must be one of "),
                    lit(String.join(", ", TYPES)),
                    lit(", got '"),
                    coalesce(col(Cols.ID_TYPE), lit("")),
                    lit("')")))
            .when(reject.isNotNull(), reject)
            .when(col(RESULT).getField(Cols.ID_HASH).isNull(), lit("empty value"));
    return evaluated.select(
        col(Cols.ID_TYPE),
        col(RESULT).getField(Cols.ID_HASH).as(Cols.ID_HASH),
        problem.as(PROBLEM),
        when(
                problem.isNotNull(),
                concat(
                    coalesce(substring(col(Cols.VALUE), 1, 2), lit("")),
                    lit("… ("),
                    coalesce(length(col(Cols.VALUE)), lit(0)).cast("string"),
                    lit(" characters)")))
            .as(SHOWN));
  }
}
