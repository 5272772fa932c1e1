package io.idgraph.ops;

import static org.apache.spark.sql.functions.*;

import io.delta.tables.DeltaTable;
import io.idgraph.config.BadInputException;
import io.idgraph.schema.Cols;
import io.idgraph.sink.OutputTables;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.codec.digest.DigestUtils;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The admin table {@code <output>/erasure_requests}: the audit of every right-to-erasure request and
 * the hashed suppression list that keeps the erased person's identifiers from re-entering (every
 * later night rejects records carrying one of its hashes, reason ERASED). Written by {@code idgraph
 * forget} only, never by a night, and never rolled back by a recovery (see RunCommits).
 *
 * <pre>
 * request_id       string     "era_" + 16 hex
 * requested_at     timestamp
 * requested_by     string     the admin (--actor)
 * reason           string
 * id_type          string
 * suppressed_hash  string     SHA-256 (hex) of id_type ":" id_hash, where id_hash is the identifier's
 *                             keyed hash as identity_links holds it; never the raw value
 * origin           string     requested: named by the request; linked: held by an erased profile
 *                             and by no other profile, suppressed too so the person's other
 *                             identifiers (a browser's anonymous id, a CRM contact id) stay out
 * applied_at       timestamp  when the erasure was applied; null while pending (a forget that died)
 * profiles_erased  long       profiles erased that held the identifier (null while pending)
 * records_erased   long       records of those profiles (null while pending)
 * </pre>
 *
 * <p>The list holds a hash of the hash, not the hash itself: after the erasure and a VACUUM, no file
 * under the output holds a value another table held for the person, so an old copy or backup of a
 * table cannot be joined to this list by value; a night hashes each record's identifiers once more
 * to match them ({@link #suppressedHash(Column, Column)}).
 *
 * <p>One row per identifier and request. An identifier already requested is not recorded again: a
 * second {@code forget} of it re-applies the erasure under the first request (which is how a forget
 * that died is finished).
 */
public final class ErasureRequests {
  private ErasureRequests() {}

  public static final String TABLE = OutputTables.ERASURE_REQUESTS;

  public static final String REQUEST_ID = "request_id";
  public static final String REQUESTED_AT = "requested_at";
  public static final String REQUESTED_BY = "requested_by";
  public static final String REASON = Cols.REASON;
  public static final String ID_TYPE = Cols.ID_TYPE;
  public static final String SUPPRESSED_HASH = "suppressed_hash";
  public static final String ORIGIN = "origin";
  public static final String APPLIED_AT = "applied_at";
  public static final String PROFILES_ERASED = "profiles_erased";
  public static final String RECORDS_ERASED = "records_erased";

  public static final String REQUESTED = "requested";
  public static final String LINKED = "linked";

  private static final StructType SCHEMA =
      new StructType()
          .add(REQUEST_ID, DataTypes.StringType, false)
          .add(REQUESTED_AT, DataTypes.TimestampType, false)
          .add(REQUESTED_BY, DataTypes.StringType, false)
          .add(REASON, DataTypes.StringType, false)
          .add(ID_TYPE, DataTypes.StringType, false)
          .add(SUPPRESSED_HASH, DataTypes.StringType, false)
          .add(ORIGIN, DataTypes.StringType, false)
          .add(APPLIED_AT, DataTypes.TimestampType)
          .add(PROFILES_ERASED, DataTypes.LongType)
          .add(RECORDS_ERASED, DataTypes.LongType);

  /** One requested identifier, hashed. */
  public record Target(String idType, String idHash) {}

  /** A request as recorded: its id and the identifiers it covers (requested and linked). */
  public record Request(String requestId, Instant requestedAt, Audit audit, List<Target> targets) {}

  public static StructType schema() {
    return SCHEMA;
  }

  /** The suppression list's hash of an identifier's hash: SHA-256 hex of id_type ":" id_hash. */
  public static String suppressedHash(String idType, String idHash) {
    return DigestUtils.sha256Hex((idType + ":" + idHash).getBytes(StandardCharsets.UTF_8));
  }

  /** {@link #suppressedHash(String, String)} as a column expression (Spark's sha2 of UTF-8 bytes). */
  public static Column suppressedHash(Column idType, Column idHash) {
    return sha2(concat(idType, lit(":"), idHash), 256);
  }

  public static String path(String outputRoot) {
    return new Path(outputRoot, TABLE).toString();
  }

  /**
   * Every row, or empty when no erasure was ever requested.
   *
   * @throws BadInputException for a table written by a development build of idgraph forget that
   *     stored id_hash itself: it is refused by name rather than failing deep inside a night
   */
  public static Optional<Dataset<Row>> read(SparkSession spark, String outputRoot) {
    String path = path(outputRoot);
    if (!DeltaTable.isDeltaTable(spark, path)) {
      return Optional.empty();
    }
    Dataset<Row> table = spark.read().format("delta").load(path);
    if (!java.util.Arrays.asList(table.columns()).contains(SUPPRESSED_HASH)) {
      throw new BadInputException(
          path
              + " has no column "
              + SUPPRESSED_HASH
              + " (written by a development build of idgraph forget that stored id_hash itself):"
              + " move it aside and run those forget requests again");
    }
    return Optional.of(table);
  }

  /**
   * A new request for {@code targets}: "era_" + 16 hex of a SHA-256 over the hashes, the admin and
   * the time, so two requests never share an id. Hashes only: the raw values never reach here.
   */
  public static Request newRequest(List<Target> targets, Audit audit, Instant at) {
    Instant micros = at.truncatedTo(ChronoUnit.MICROS);
    StringBuilder parts = new StringBuilder();
    targets.stream()
        .map(t -> t.idType() + ":" + t.idHash())
        .sorted()
        .forEach(s -> parts.append(s).append('|'));
    parts.append(audit.actor()).append('|').append(micros);
    String id =
        "era_"
            + DigestUtils.sha256Hex(parts.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    return new Request(id, micros, audit, List.copyOf(targets));
  }

  /**
   * The request id under which each of {@code targets} is already recorded (requested or linked);
   * absent targets are new. Reads only the rows of those hashes.
   */
  public static Map<Target, String> recorded(
      SparkSession spark, String outputRoot, List<Target> targets) {
    Map<Target, String> found = new HashMap<>();
    Optional<Dataset<Row>> table = read(spark, outputRoot);
    if (table.isEmpty() || targets.isEmpty()) {
      return found;
    }
    Map<String, Target> bySuppressedHash = new HashMap<>();
    for (Target t : targets) {
      bySuppressedHash.put(suppressedHash(t.idType(), t.idHash()), t);
    }
    Dataset<Row> wanted =
        spark.createDataFrame(
            bySuppressedHash.keySet().stream().map(h -> RowFactory.create(h)).toList(),
            new StructType().add(SUPPRESSED_HASH, DataTypes.StringType));
    for (Row r :
        table.get()
            .join(broadcast(wanted), SUPPRESSED_HASH)
            .groupBy(SUPPRESSED_HASH)
            .agg(min(REQUEST_ID))
            .collectAsList()) {
      found.put(bySuppressedHash.get(r.getString(0)), r.getString(1));
    }
    return found;
  }

  /**
   * Appends the request's rows with {@code origin} in one commit (the first creates the table),
   * stamped with the request id. Pending: applied_at and the counts stay null until {@link
   * #markApplied}. The caller holds the output lock.
   */
  public static void append(SparkSession spark, String outputRoot, Request request, String origin) {
    if (request.targets().isEmpty()) {
      return;
    }
    List<Row> rows = new ArrayList<>();
    for (Target t : request.targets()) {
      rows.add(
          RowFactory.create(
              request.requestId(),
              Timestamp.from(request.requestedAt()),
              request.audit().actor(),
              request.audit().reason(),
              t.idType(),
              suppressedHash(t.idType(), t.idHash()),
              origin,
              null,
              null,
              null));
    }
    appendRows(spark, outputRoot, spark.createDataFrame(rows, SCHEMA), request.requestId());
  }

  /** Appends rows already shaped like {@link #schema()} (linked identifiers found in Spark). */
  public static void appendRows(
      SparkSession spark, String outputRoot, Dataset<Row> rows, String requestId) {
    String path = path(outputRoot);
    if (!DeltaTable.isDeltaTable(spark, path)) {
      DeltaTable.createIfNotExists(spark).location(path).addColumns(SCHEMA).execute();
    }
    rows.select(
            java.util.Arrays.stream(SCHEMA.fields())
                .map(f -> col(f.name()).cast(f.dataType()).as(f.name()))
                .toArray(org.apache.spark.sql.Column[]::new))
        .write()
        .format("delta")
        .mode("append")
        .option("userMetadata", requestId)
        .save(path);
  }

  /**
   * Sets applied_at and the counts on the pending rows of the given identifiers (one commit): {@code
   * counts} holds, per identifier (id_type, id_hash), the profiles erased that held it and their
   * records.
   */
  public static void markApplied(
      SparkSession spark, String outputRoot, Dataset<Row> counts, Instant at) {
    DeltaTable.forPath(spark, path(outputRoot))
        .as("t")
        .merge(
            counts
                .withColumn(SUPPRESSED_HASH, suppressedHash(col(Cols.ID_TYPE), col(Cols.ID_HASH)))
                .as("s"),
            col("t." + SUPPRESSED_HASH)
                .equalTo(col("s." + SUPPRESSED_HASH))
                .and(col("t." + APPLIED_AT).isNull()))
        .whenMatched()
        .update(
            Map.of(
                APPLIED_AT, lit(Timestamp.from(at.truncatedTo(ChronoUnit.MICROS))),
                PROFILES_ERASED, col("s." + PROFILES_ERASED),
                RECORDS_ERASED, col("s." + RECORDS_ERASED)))
        .execute();
  }

  /**
   * The suppression list: suppressed_hash and the first request_id of every identifier ever
   * requested or linked.
   */
  public static Optional<Dataset<Row>> suppressed(SparkSession spark, String outputRoot) {
    return read(spark, outputRoot)
        .map(t -> t.groupBy(SUPPRESSED_HASH).agg(min(REQUEST_ID).as(REQUEST_ID)));
  }
}
