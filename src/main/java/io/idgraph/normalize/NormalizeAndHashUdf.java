package io.idgraph.normalize;

import io.idgraph.schema.Cols;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Spark function (id_type, raw value, region) → struct(id_hash, reject_reason): the hash of the
 * normalized value, or the reason it was rejected, or both null for a blank value. The raw and
 * normalized values never leave this function, so no plan, log or table sees them.
 */
public final class NormalizeAndHashUdf implements UDF3<String, String, String, Row> {
  public static final StructType RESULT_TYPE =
      new StructType()
          .add(Cols.ID_HASH, DataTypes.StringType)
          .add(Cols.REJECT_REASON, DataTypes.StringType);

  private final IdentifierNormalizer normalizer;
  private final IdentifierHasher hasher;
  private final Blocklist blocklist;

  public NormalizeAndHashUdf(IdentifierNormalizer normalizer, IdentifierHasher hasher) {
    this(normalizer, hasher, Blocklist.NONE);
  }

  /** A blocked value comes back hashed with reason BLOCKED, so it can be counted but not linked. */
  public NormalizeAndHashUdf(
      IdentifierNormalizer normalizer, IdentifierHasher hasher, Blocklist blocklist) {
    this.normalizer = normalizer;
    this.hasher = hasher;
    this.blocklist = blocklist;
  }

  @Override
  public Row call(String idType, String raw, String region) {
    Normalized n = normalizer.normalize(idType, raw, region);
    if (n.isPresent()) {
      String reason = blocklist.blocks(idType, n.value()) ? RejectReason.BLOCKED.name() : null;
      return RowFactory.create(hasher.hash(idType, n.value()), reason);
    }
    return RowFactory.create(null, n.isRejected() ? n.reason().name() : null);
  }
}
