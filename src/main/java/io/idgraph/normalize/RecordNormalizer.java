package io.idgraph.normalize;

import static org.apache.spark.sql.functions.*;

import io.idgraph.schema.Cols;
import io.idgraph.source.RawRecords;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * Turns raw records into canonical records: parses the event time, keeps the newest row per
 * (source, record_id), normalizes and hashes every identifier and signal. Bad values inside a good row
 * (an invalid email, an unparseable time) are dropped from the record and reported as rejections with
 * the field and reason; the record keeps everything else it says. Pure: Dataset in, Datasets out.
 *
 * <p>Time: ISO-8601 with or without an offset (no offset means UTC, the session time zone) or epoch
 * milliseconds (11 to 14 digits). Among rows with the same record id the one with the latest time wins;
 * rows without a time lose to rows with one; remaining ties are broken by a hash of the row's content,
 * so the choice is the same on every run.
 */
public final class RecordNormalizer {
  private static final String RESULT = Cols.INTERNAL_PREFIX + "result";
  private static final String RANK = Cols.INTERNAL_PREFIX + "rank";
  private static final String SIGNAL_RESULT = Cols.INTERNAL_PREFIX + "signal_result";

  private final UserDefinedFunction normalizeAndHash;

  public RecordNormalizer(IdentifierNormalizer normalizer, IdentifierHasher hasher) {
    this(normalizer, hasher, Blocklist.NONE);
  }

  public RecordNormalizer(
      IdentifierNormalizer normalizer, IdentifierHasher hasher, Blocklist blocklist) {
    this.normalizeAndHash =
        udf(new NormalizeAndHashUdf(normalizer, hasher, blocklist), NormalizeAndHashUdf.RESULT_TYPE)
            .withName("idgraph_normalize_and_hash");
  }

  /** Canonical records and the value-level rejections (timestamps, identifiers, duplicates). */
  public record Normalized(Dataset<Row> records, Dataset<Row> rejected) {}

  public static Column parseTime(Column raw) {
    Column t = trim(raw);
    return when(t.rlike("^-?[0-9]{11,14}$"), timestamp_millis(t.cast(DataTypes.LongType)))
        .otherwise(t.try_cast(DataTypes.TimestampType));
  }

  /** Both outputs at once; for callers that do not need to persist the evaluated rows. */
  public Normalized apply(Dataset<Row> raw) {
    Dataset<Row> evaluated = evaluate(raw);
    return new Normalized(records(evaluated), rejected(evaluated));
  }

  /**
   * Every raw row with its parsed time, its rank among rows of the same record id (1 = kept) and, for
   * kept rows, the normalize-and-hash result of each identifier and signal. Both {@link #records} and
   * {@link #rejected} read it, so a caller that needs both should persist it: the expensive part
   * (parsing phones, hashing) then runs once.
   */
  public Dataset<Row> evaluate(Dataset<Row> raw) {
    Dataset<Row> timed = raw.withColumn(Cols.EVENT_TIME, parseTime(col(Cols.EVENT_TIME_RAW)));
    Dataset<Row> ranked =
        timed.withColumn(
            RANK,
            row_number()
                .over(
                    Window.partitionBy(Cols.SOURCE, Cols.RECORD_ID)
                        .orderBy(
                            col(Cols.EVENT_TIME).desc_nulls_last(),
                            xxhash64(
                                    to_json(col(Cols.RAW_IDS)),
                                    to_json(col(Cols.TRAITS)),
                                    coalesce(col(Cols.EVENT_TIME_RAW), lit("")),
                                    coalesce(col(Cols.FILE), lit("")))
                                .desc())));
    Column kept = col(RANK).equalTo(1);
    return ranked
        .withColumn(
            RESULT,
            when(
                kept,
                transform(
                    col(Cols.RAW_IDS),
                    id -> hashed(id.getField(Cols.ID_TYPE), id.getField(Cols.VALUE), id.getField(Cols.REGION)))))
        .withColumn(
            SIGNAL_RESULT,
            when(
                kept,
                concat(
                    transform(
                        col(Cols.RAW_SIGNALS),
                        s ->
                            hashed(
                                s.getField(Cols.SIGNAL_TYPE),
                                s.getField(Cols.VALUE),
                                lit(null).cast(DataTypes.StringType))),
                    // Parts of emails and phones, for partial agreement in scoring: the same local
                    // part at another domain, the same number behind another country code.
                    transform(
                        filter(
                            col(Cols.RAW_IDS),
                            id -> id.getField(Cols.ID_TYPE).isin(IdType.EMAIL, IdType.PHONE)),
                        id ->
                            hashed(
                                when(id.getField(Cols.ID_TYPE).equalTo(IdType.EMAIL), lit(IdType.EMAIL_LOCAL))
                                    .otherwise(lit(IdType.PHONE_TAIL)),
                                id.getField(Cols.VALUE),
                                id.getField(Cols.REGION))))));
  }

  /** (id_type, result): the normalize-and-hash result of one identifier or signal value. */
  private Column hashed(Column type, Column value, Column region) {
    return struct(type.as(Cols.ID_TYPE), normalizeAndHash.apply(type, value, region).as(RESULT));
  }

  /** Canonical records: one per (source, record_id), identifiers and signals hashed. */
  public static Dataset<Row> records(Dataset<Row> evaluated) {
    Column identifiers =
        array_distinct(
            transform(
                filter(col(RESULT), RecordNormalizer::usable),
                r ->
                    struct(
                        r.getField(Cols.ID_TYPE).as(Cols.ID_TYPE),
                        r.getField(RESULT).getField(Cols.ID_HASH).as(Cols.ID_HASH))));
    Column signals =
        array_distinct(
            transform(
                filter(col(SIGNAL_RESULT), RecordNormalizer::usable),
                r ->
                    struct(
                        r.getField(Cols.ID_TYPE).as(Cols.SIGNAL_TYPE),
                        r.getField(RESULT).getField(Cols.ID_HASH).as(Cols.SIGNAL_HASH))));
    List<Column> columns =
        new ArrayList<>(
            List.of(
                col(Cols.SOURCE),
                col(Cols.RECORD_ID),
                col(Cols.EVENT_TIME),
                col(Cols.IDENTIFIERS),
                col(Cols.TRAITS),
                col(Cols.SIGNALS),
                // Scrubbed here, once: source_records and profile_events store them as they leave.
                PiiScrubber.scrubAttributes(col(Cols.ATTRIBUTES)).as(Cols.ATTRIBUTES),
                entity(col(Cols.IDENTIFIERS)).as(Cols.ENTITY),
                col(Cols.FILE)));
    if (Arrays.asList(evaluated.columns()).contains(Cols.RAW_FINGERPRINT)) {
      columns.add(col(Cols.RAW_FINGERPRINT)); // the kept row's, stored with the record
    }
    return evaluated
        .where(col(RANK).equalTo(1))
        .withColumn(Cols.IDENTIFIERS, identifiers)
        .withColumn(Cols.SIGNALS, signals)
        .select(columns.toArray(Column[]::new));
  }

  /** Superseded duplicates, unparseable times and rejected identifier or signal values. */
  public static Dataset<Row> rejected(Dataset<Row> evaluated) {
    Dataset<Row> duplicates =
        evaluated
            .where(col(RANK).gt(1))
            .select(
                col(Cols.SOURCE),
                col(Cols.RECORD_ID).as(Cols.RECORD_REF),
                col(Cols.FILE),
                lit(Cols.RECORD_ID).as(Cols.FIELD),
                lit(RejectReason.DUPLICATE_SUPERSEDED.name()).as(Cols.REASON),
                lit("a newer row with the same record id was kept").as(Cols.DETAIL));
    Dataset<Row> kept = evaluated.where(col(RANK).equalTo(1));
    Dataset<Row> timeRejects =
        kept.where(col(Cols.EVENT_TIME_RAW).isNotNull().and(col(Cols.EVENT_TIME).isNull()))
            .select(
                col(Cols.SOURCE),
                col(Cols.RECORD_ID).as(Cols.RECORD_REF),
                col(Cols.FILE),
                lit(Cols.EVENT_TIME).as(Cols.FIELD),
                lit(RejectReason.UNPARSEABLE_TIMESTAMP.name()).as(Cols.REASON),
                lit("not ISO-8601 or epoch milliseconds").as(Cols.DETAIL));
    Dataset<Row> valueRejects =
        kept.select(
                col(Cols.SOURCE),
                col(Cols.RECORD_ID),
                col(Cols.FILE),
                explode(
                        filter(
                            concat(col(RESULT), col(SIGNAL_RESULT)),
                            r ->
                                r.getField(RESULT)
                                    .getField(Cols.REJECT_REASON)
                                    .isNotNull()
                                    .and(
                                        r.getField(RESULT)
                                            .getField(Cols.REJECT_REASON)
                                            .notEqual(lit(RejectReason.BLOCKED.name())))))
                    .as(RESULT))
            .select(
                col(Cols.SOURCE),
                col(Cols.RECORD_ID).as(Cols.RECORD_REF),
                col(Cols.FILE),
                col(RESULT).getField(Cols.ID_TYPE).as(Cols.FIELD),
                col(RESULT).getField(RESULT).getField(Cols.REJECT_REASON).as(Cols.REASON),
                lit(null).cast(DataTypes.StringType).as(Cols.DETAIL));
    return RawRecords.conform(duplicates, RawRecords.REJECTED_SCHEMA)
        .unionByName(RawRecords.conform(timeRejects, RawRecords.REJECTED_SCHEMA))
        .unionByName(RawRecords.conform(valueRejects, RawRecords.REJECTED_SCHEMA));
  }

  /** A normalize-and-hash result that becomes an identifier: hashed and neither rejected nor blocked. */
  private static Column usable(Column result) {
    return result
        .getField(RESULT)
        .getField(Cols.ID_HASH)
        .isNotNull()
        .and(result.getField(RESULT).getField(Cols.REJECT_REASON).isNull());
  }

  /** Blocked values of kept records: source, record_id, id_type, id_hash. */
  public static Dataset<Row> blocked(Dataset<Row> evaluated) {
    return evaluated
        .where(col(RANK).equalTo(1))
        .select(
            col(Cols.SOURCE),
            col(Cols.RECORD_ID),
            explode(
                    filter(
                        col(RESULT),
                        r ->
                            r.getField(RESULT)
                                .getField(Cols.REJECT_REASON)
                                .equalTo(lit(RejectReason.BLOCKED.name()))))
                .as(RESULT))
        .select(
            col(Cols.SOURCE),
            col(Cols.RECORD_ID),
            col(RESULT).getField(Cols.ID_TYPE).as(Cols.ID_TYPE),
            col(RESULT).getField(RESULT).getField(Cols.ID_HASH).as(Cols.ID_HASH));
  }

  /**
   * The source entity a record stands for ("external_id:crm:ab12…", "anonymous_id:9f…"): its first
   * identifier of the connector's entity type, or the record itself when it has none.
   */
  private static Column entity(Column identifiers) {
    Column match =
        filter(identifiers, id -> id.getField(Cols.ID_TYPE).equalTo(col(Cols.ENTITY_TYPE)));
    return when(
            size(match).gt(0),
            concat_ws(
                ":",
                try_element_at(match, lit(1)).getField(Cols.ID_TYPE),
                try_element_at(match, lit(1)).getField(Cols.ID_HASH)))
        .otherwise(concat_ws(":", col(Cols.SOURCE), lit("record"), col(Cols.RECORD_ID)));
  }
}
