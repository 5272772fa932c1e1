package io.idgraph.source.web;

import static io.idgraph.source.RawRecords.*;
import static org.apache.spark.sql.functions.*;

import io.idgraph.config.SourceConfig;
import io.idgraph.normalize.IdType;
import io.idgraph.normalize.RejectReason;
import io.idgraph.schema.Cols;
import io.idgraph.source.CsvExportConnector;
import io.idgraph.source.InputFile;
import io.idgraph.source.InputFiles;
import io.idgraph.source.RawRecords;
import io.idgraph.source.SourceBatch;
import io.idgraph.source.SourceCheck;
import io.idgraph.source.SourceConnector;
import io.idgraph.source.TextEncodings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Web and app events in JSON Lines, shaped like Segment's tracking spec (page, track, identify,
 * screen): messageId, type, anonymousId, userId, event, timestamp, traits, context. Read with a fixed
 * schema (no inference pass; every leaf as a string so a number where text was expected does not spoil
 * the row).
 *
 * <p>Linking: every event links its anonymousId and userId; an identify event also links its traits'
 * email and phone (national numbers in {@code default_region}); context.device.id and
 * traits.push_endpoint are app identifiers. The device fingerprint (userAgent, screen, timezone,
 * locale) and the IP prefixes are kept as scoring signals only, never as links. A line that is not JSON
 * or lacks messageId is rejected whole. Top-level field names can be mapped with {@code columns}.
 * A file with a UTF-16 byte-order mark is decoded as UTF-16 (see {@link TextEncodings}).
 */
public final class WebEventsConnector implements SourceConnector {
  static final String CORRUPT = Cols.INTERNAL_PREFIX + "corrupt";
  private static final List<String> TOP_LEVEL =
      List.of("messageId", "type", "anonymousId", "userId", "event", "timestamp", "traits", "context");

  @Override
  public String type() {
    return "web";
  }

  @Override
  public void validate(SourceConfig config, SourceCheck check) {
    check.onlyKeys(config, Set.of("path", "reader_options", "columns", "default_region"));
    check.require(config.path() != null, "path");
    CsvExportConnector.checkEncoding(config, check);
    for (String key : config.columns().keySet()) {
      if (!TOP_LEVEL.contains(key) || config.columns().get(key).isEmpty()) {
        throw check.error(
            "columns." + key, "must map one of " + TOP_LEVEL + " to a non-empty field name");
      }
    }
  }

  private static StructType strings(String... names) {
    StructType s = new StructType();
    for (String n : names) {
      s = s.add(n, DataTypes.StringType);
    }
    return s;
  }

  private static StructType schema(Map<String, String> columns) {
    StructType traits =
        strings("email", "phone", "first_name", "last_name", "firstName", "lastName", "name",
            "push_endpoint");
    StructType context =
        strings("ip", "userAgent", "locale", "timezone")
            .add("screen", strings("width", "height"))
            .add("page", strings("url", "path", "referrer"))
            .add("campaign", strings("source", "medium", "name"))
            .add("device", strings("id", "type"));
    Map<String, DataType> types = new LinkedHashMap<>();
    for (String f : List.of("messageId", "type", "anonymousId", "userId", "event", "timestamp")) {
      types.put(f, DataTypes.StringType);
    }
    types.put("traits", traits);
    types.put("context", context);
    StructType schema = new StructType();
    for (Map.Entry<String, DataType> f : types.entrySet()) {
      schema = schema.add(columns.getOrDefault(f.getKey(), f.getKey()), f.getValue());
    }
    return schema.add(CORRUPT, DataTypes.StringType);
  }

  /**
   * JSON Lines in UTF-16. Spark's JSON reader decodes line by line after splitting on bytes and hands
   * Jackson the first line with the byte-order mark still in front, which it rejects; so these files
   * are decoded whole on the executors (bytes that are not UTF-16 become U+FFFD), split into lines
   * and parsed with the same schema and the same PERMISSIVE rules.
   */
  private static Dataset<Row> utf16Lines(
      SparkSession spark, List<String> files, String encoding, StructType schema) {
    UserDefinedFunction decode =
        udf(
                (UDF1<byte[], String>)
                    bytes ->
                        new String(bytes, java.nio.charset.Charset.forName(encoding))
                            .replaceFirst("^" + TextEncodings.BYTE_ORDER_MARK, ""),
                DataTypes.StringType)
            .withName("idgraph_decode_" + encoding.replace('-', '_').toLowerCase(java.util.Locale.ROOT));
    String line = Cols.INTERNAL_PREFIX + "line";
    String parsed = Cols.INTERNAL_PREFIX + "parsed";
    Dataset<Row> lines =
        spark
            .read()
            .format("binaryFile")
            .load(files.toArray(String[]::new))
            .select(
                explode(split(decode.apply(col("content")), "\r?\n")).as(line),
                col("_metadata.file_name").as(Cols.FILE))
            .where(trim(col(line)).notEqual(lit("")));
    List<Column> columns = new java.util.ArrayList<>();
    for (String field : schema.fieldNames()) {
      columns.add(col(parsed).getField(field).as(field));
    }
    columns.add(col(Cols.FILE));
    return lines
        .select(
            from_json(
                    col(line),
                    schema,
                    Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", CORRUPT))
                .as(parsed),
            col(Cols.FILE))
        .select(columns.toArray(Column[]::new));
  }

  @Override
  public SourceBatch read(SparkSession spark, SourceConfig config, String path) {
    List<String> files =
        InputFiles.list(spark, config.name(), path).stream().map(InputFile::path).toList();
    return read(spark, config, files);
  }

  @Override
  public SourceBatch readFiles(
      SparkSession spark, SourceConfig config, String path, List<String> files) {
    return read(spark, config, files);
  }

  private SourceBatch read(SparkSession spark, SourceConfig config, List<String> files) {
    Map<String, String> names = config.columns();
    Column[] renamed = new Column[TOP_LEVEL.size() + 2];
    for (int i = 0; i < TOP_LEVEL.size(); i++) {
      String std = TOP_LEVEL.get(i);
      renamed[i] = col("`" + names.getOrDefault(std, std) + "`").as(std);
    }
    renamed[TOP_LEVEL.size()] = col(CORRUPT);
    renamed[TOP_LEVEL.size() + 1] = col(Cols.FILE);
    Dataset<Row> events = null;
    // A file with a byte-order mark is read in the encoding it declares.
    for (Map.Entry<String, List<String>> group :
        TextEncodings.byEncoding(
                spark, config.name(), files, TextEncodings.configured(config.readerOptions()))
            .entrySet()) {
      Dataset<Row> part;
      if (TextEncodings.wide(group.getKey())) {
        part = utf16Lines(spark, group.getValue(), group.getKey(), schema(names));
      } else {
        part =
            spark
                .read()
                .schema(schema(names))
                .option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", CORRUPT)
                .options(config.readerOptions())
                .json(group.getValue().toArray(String[]::new))
                .select(col("*"), col("_metadata.file_name").as(Cols.FILE));
      }
      part = part.select(renamed);
      events = events == null ? part : events.unionByName(part);
    }

    Column id = blankToNull(col("messageId"));
    Column bad = col(CORRUPT).isNotNull().or(id.isNull());
    Dataset<Row> rejected =
        events
            .where(bad)
            .select(
                lit(config.name()).as(Cols.SOURCE),
                id.as(Cols.RECORD_REF),
                col(Cols.FILE),
                lit(null).cast(DataTypes.StringType).as(Cols.FIELD),
                when(col(CORRUPT).isNotNull(), lit(RejectReason.INVALID_JSON.name()))
                    .otherwise(lit(RejectReason.MISSING_RECORD_ID.name()))
                    .as(Cols.REASON),
                when(col(CORRUPT).isNotNull(), lit("line is not a JSON object"))
                    .otherwise(lit("event without messageId"))
                    .as(Cols.DETAIL));

    Column type = lower(blankToNull(col("type")));
    Column identify = coalesce(type.equalTo(lit("identify")), lit(false));
    Column region =
        config.defaultRegion() == null
            ? lit(null).cast(DataTypes.StringType)
            : lit(config.defaultRegion());
    Column screen =
        when(
            col("context.screen.width").isNotNull(),
            concat_ws("x", col("context.screen.width"), col("context.screen.height")));
    Column fingerprint =
        when(
            blankToNull(col("context.userAgent")).isNotNull(),
            concat_ws(
                "|",
                col("context.userAgent"),
                coalesce(screen, lit("")),
                coalesce(col("context.timezone"), lit("")),
                coalesce(col("context.locale"), lit(""))));
    Map<String, Column> traits = new LinkedHashMap<>();
    traits.put(Cols.FIRST_NAME, coalesce(col("traits.first_name"), col("traits.firstName")));
    traits.put(Cols.LAST_NAME, coalesce(col("traits.last_name"), col("traits.lastName")));
    Map<String, Column> attributes = new LinkedHashMap<>();
    attributes.put("type", type);
    attributes.put("event", col("event"));
    attributes.put("page_path", col("context.page.path"));
    attributes.put("referrer", col("context.page.referrer"));
    attributes.put("campaign_source", col("context.campaign.source"));
    attributes.put("campaign_medium", col("context.campaign.medium"));
    attributes.put("campaign_name", col("context.campaign.name"));
    attributes.put("timezone", col("context.timezone"));
    attributes.put("device_type", col("context.device.type"));

    Dataset<Row> records =
        events
            .where(not(bad))
            .select(
                lit(config.name()).as(Cols.SOURCE),
                id.as(Cols.RECORD_ID),
                blankToNull(col("timestamp")).as(Cols.EVENT_TIME_RAW),
                rawIds(
                        rawId(IdType.ANONYMOUS_ID, col("anonymousId")),
                        rawId(IdType.USER_ID, col("userId")),
                        rawId(IdType.DEVICE_ID, col("context.device.id")),
                        rawId(IdType.PUSH_ENDPOINT, col("traits.push_endpoint")),
                        rawId(IdType.EMAIL, when(identify, col("traits.email"))),
                        rawId(IdType.PHONE, when(identify, col("traits.phone")), region))
                    .as(Cols.RAW_IDS),
                stringMap(traits).as(Cols.TRAITS),
                rawSignals(
                        rawSignal(IdType.FINGERPRINT, fingerprint),
                        rawSignal(IdType.IP24, col("context.ip")),
                        rawSignal(IdType.IP16, col("context.ip")))
                    .as(Cols.RAW_SIGNALS),
                stringMap(attributes).as(Cols.ATTRIBUTES),
                when(blankToNull(col("userId")).isNotNull(), lit(IdType.USER_ID))
                    .otherwise(lit(IdType.ANONYMOUS_ID))
                    .as(Cols.ENTITY_TYPE),
                col(Cols.FILE));
    return new SourceBatch(
        RawRecords.conform(records, RawRecords.SCHEMA),
        RawRecords.conform(rejected, RawRecords.REJECTED_SCHEMA));
  }
}
