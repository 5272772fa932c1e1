package io.idgraph.source.generic;

import static io.idgraph.source.RawRecords.*;
import static org.apache.spark.sql.functions.*;

import io.idgraph.config.BadInputException;
import io.idgraph.config.ConfigValidator;
import io.idgraph.config.SourceConfig;
import io.idgraph.normalize.IdType;
import io.idgraph.normalize.RejectReason;
import io.idgraph.schema.Cols;
import io.idgraph.source.InputFiles;
import io.idgraph.source.SourceBatch;
import io.idgraph.source.SourceCheck;
import io.idgraph.source.SourceConnector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * Maps any Spark-readable file or table to records purely from config, so most new sources need no
 * Java. Keys: {@code format} (csv, json, parquet, delta, orc, or any data source name; default csv),
 * {@code path} or {@code table}, {@code reader_options} (csv defaults to header=true),
 * {@code record_id} (required), {@code event_time}, {@code identifiers} (identifier type to column;
 * nested JSON fields as a.b), {@code traits} (first_name, last_name, company, city, country to column),
 * {@code region_column} / {@code default_region} for phone numbers, {@code entity_types}. Identifier
 * types fingerprint, ip24 and ip16 become scoring signals. A row without a record id is rejected; a
 * malformed csv or json row is read as far as Spark's permissive mode can, so prefer a built-in
 * connector for those exports.
 */
public final class GenericConnector implements SourceConnector {
  private static final Set<String> TRAITS =
      Set.of(Cols.FIRST_NAME, Cols.LAST_NAME, Cols.COMPANY, Cols.CITY, Cols.COUNTRY);

  @Override
  public String type() {
    return "generic";
  }

  @Override
  public void validate(SourceConfig config, SourceCheck check) {
    check.onlyKeys(
        config,
        Set.of(
            "path",
            "format",
            "table",
            "reader_options",
            "default_region",
            "record_id",
            "event_time",
            "identifiers",
            "traits",
            "region_column",
            "entity_types"));
    if ((config.path() == null) == (config.table() == null)) {
      throw check.error("path", "exactly one of 'path' and 'table' is required for a generic source");
    }
    check.require(config.recordId() != null, "record_id");
    if (config.identifiers().isEmpty()) {
      throw check.error("identifiers", "must map at least one identifier type to a column");
    }
    for (Map.Entry<String, String> id : config.identifiers().entrySet()) {
      if (!IdType.isValidType(id.getKey())) {
        throw check.error(
            "identifiers." + id.getKey(),
            "is not an identifier type (email, phone, user_id, anonymous_id, device_id,"
                + " push_endpoint, external_id:<system>, fingerprint, ip24, ip16)");
      }
      if (id.getValue() == null || id.getValue().isBlank()) {
        throw check.error("identifiers." + id.getKey(), "must name a column");
      }
    }
    for (String trait : config.traits().keySet()) {
      if (!TRAITS.contains(trait)) {
        throw check.error("traits." + trait, "is not a profile trait " + TRAITS);
      }
    }
    for (String entity : config.entityTypes()) {
      if (!config.identifiers().containsKey(entity)) {
        throw check.error(
            "entity_types", "'" + entity + "' is not one of this source's identifier types");
      }
    }
    if (config.defaultRegion() != null && !ConfigValidator.isRegion(config.defaultRegion())) {
      throw check.error("default_region", "'" + config.defaultRegion() + "' is not a region code");
    }
  }

  @Override
  public SourceBatch read(SparkSession spark, SourceConfig config, String path) {
    if (config.table() == null) {
      InputFiles.requireExists(spark, config.name(), path);
    }
    return read(spark, config, path, new String[] {path});
  }

  /**
   * Reads the chosen files; {@code basePath} is the source's folder when it is one, so partition
   * columns ({@code date=2026-11-24/}) are still discovered from the file paths.
   */
  @Override
  public SourceBatch readFiles(
      SparkSession spark, SourceConfig config, String path, List<String> files) {
    if (!config.fileBased()) {
      return read(spark, config, path);
    }
    return read(spark, config, path, files.toArray(String[]::new));
  }

  private SourceBatch read(SparkSession spark, SourceConfig config, String path, String[] paths) {
    String format = config.format() == null ? "csv" : config.format();
    Dataset<Row> raw;
    String where;
    if (config.table() != null) {
      where = "table " + config.table();
      try {
        raw = spark.read().options(config.readerOptions()).table(config.table());
      } catch (Exception e) {
        throw new BadInputException(
            "Cannot read source '" + config.name() + "': no table " + config.table(), e);
      }
    } else {
      where = path;
      var reader = spark.read().format(format);
      if (format.equals("csv")) {
        reader = reader.option("header", "true").option("escape", "\"");
      }
      if (paths.length > 1 || !paths[0].equals(path)) {
        String base = InputFiles.folderOrNull(spark, path);
        if (base != null && !config.readerOptions().containsKey("basePath")) {
          reader = reader.option("basePath", base);
        }
      }
      raw = reader.options(config.readerOptions()).load(paths);
    }
    List<String> referenced = new ArrayList<>();
    referenced.add(config.recordId());
    if (config.eventTime() != null) {
      referenced.add(config.eventTime());
    }
    if (config.regionColumn() != null) {
      referenced.add(config.regionColumn());
    }
    referenced.addAll(config.identifiers().values());
    referenced.addAll(config.traits().values());
    for (String column : referenced) {
      try {
        raw.select(col(column)).schema();
      } catch (Exception e) {
        throw new BadInputException(
            "Cannot read source '"
                + config.name()
                + "': column '"
                + column
                + "' missing in "
                + where
                + " (columns: "
                + String.join(", ", raw.columns())
                + ")");
      }
    }

    Column defaultRegion =
        config.defaultRegion() == null
            ? lit(null).cast(DataTypes.StringType)
            : lit(config.defaultRegion());
    Column region =
        config.regionColumn() == null
            ? defaultRegion
            : coalesce(upper(blankToNull(col(config.regionColumn()))), defaultRegion);
    List<Column> ids = new ArrayList<>();
    List<Column> signals = new ArrayList<>();
    for (Map.Entry<String, String> id : config.identifiers().entrySet()) {
      Column value = col(id.getValue());
      if (IdType.isSignalType(id.getKey())) {
        signals.add(rawSignal(id.getKey(), value));
      } else {
        ids.add(
            id.getKey().equals(IdType.PHONE)
                ? rawId(id.getKey(), value, region)
                : rawId(id.getKey(), value));
      }
    }
    Map<String, Column> traits = new LinkedHashMap<>();
    config.traits().forEach((trait, column) -> traits.put(trait, col(column)));
    List<String> entityTypes =
        config.entityTypes().isEmpty()
            ? List.of(config.identifiers().keySet().iterator().next())
            : config.entityTypes();
    Column entity = lit(null).cast(DataTypes.StringType);
    for (int i = entityTypes.size() - 1; i >= 0; i--) {
      String type = entityTypes.get(i);
      entity = when(blankToNull(col(config.identifiers().get(type))).isNotNull(), lit(type))
          .otherwise(entity);
    }

    Column id = blankToNull(col(config.recordId()));
    Column file = config.table() != null ? lit(config.table()) : col("_metadata.file_name");
    Dataset<Row> rows = raw.withColumn(Cols.INTERNAL_PREFIX + "file", file);
    Column fileCol = col(Cols.INTERNAL_PREFIX + "file");
    Dataset<Row> rejected =
        rows.where(id.isNull())
            .select(
                lit(config.name()).as(Cols.SOURCE),
                lit(null).cast(DataTypes.StringType).as(Cols.RECORD_REF),
                fileCol.as(Cols.FILE),
                lit(config.recordId()).as(Cols.FIELD),
                lit(RejectReason.MISSING_RECORD_ID.name()).as(Cols.REASON),
                lit("empty " + config.recordId()).as(Cols.DETAIL));
    Dataset<Row> records =
        rows.where(id.isNotNull())
            .select(
                lit(config.name()).as(Cols.SOURCE),
                id.as(Cols.RECORD_ID),
                (config.eventTime() == null
                        ? lit(null).cast(DataTypes.StringType)
                        : blankToNull(col(config.eventTime())))
                    .as(Cols.EVENT_TIME_RAW),
                rawIds(ids.toArray(Column[]::new)).as(Cols.RAW_IDS),
                stringMap(traits).as(Cols.TRAITS),
                rawSignals(signals.toArray(Column[]::new)).as(Cols.RAW_SIGNALS),
                stringMap(Map.of()).as(Cols.ATTRIBUTES),
                entity.as(Cols.ENTITY_TYPE),
                fileCol.as(Cols.FILE));
    return new SourceBatch(
        conform(records, SCHEMA), conform(rejected, REJECTED_SCHEMA));
  }
}
