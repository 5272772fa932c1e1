package io.idgraph.source;

import static io.idgraph.source.RawRecords.blankToNull;
import static org.apache.spark.sql.functions.*;

import io.idgraph.config.BadInputException;
import io.idgraph.config.SourceConfig;
import io.idgraph.normalize.RejectReason;
import io.idgraph.schema.Cols;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Base of the built-in connectors for CSV exports with a known column set (RFC 4180: header row,
 * double-quote quoting and escaping). Every standard column must be in the file unless the config maps
 * it to another column name, or to "" to say the export lacks it. A row that does not parse (wrong
 * column count, broken quoting) or has no record id is rejected whole; the others are mapped by
 * {@link #toRawRecords}.
 */
public abstract class CsvExportConnector implements SourceConnector {
  static final String CORRUPT = Cols.INTERNAL_PREFIX + "corrupt";

  /** The export's standard column names, in file order. */
  protected abstract List<String> standardColumns();

  /** The standard column holding the record id. */
  protected abstract String idColumn();

  /**
   * Maps parsed rows (standard column names, strings, plus {@link Cols#FILE}) to the raw record
   * columns; {@link Cols#SOURCE} and {@link Cols#FILE} are added by the caller.
   */
  protected abstract Column[] toRawRecords(SourceConfig config);

  @Override
  public void validate(SourceConfig config, SourceCheck check) {
    check.onlyKeys(config, Set.of("path", "reader_options", "columns", "default_region"));
    check.require(config.path() != null, "path");
    for (String key : config.columns().keySet()) {
      if (!standardColumns().contains(key)) {
        throw check.error(
            "columns." + key, "is not a column of a " + type() + " export " + standardColumns());
      }
    }
    if (config.columns().containsKey(idColumn()) && config.columns().get(idColumn()).isEmpty()) {
      throw check.error("columns." + idColumn(), "cannot be empty: it is the record id");
    }
  }

  @Override
  public SourceBatch read(SparkSession spark, SourceConfig config, String path) {
    InputFiles.requireExists(spark, config.name(), path);
    return read(spark, config, path, new String[] {path});
  }

  @Override
  public SourceBatch readFiles(
      SparkSession spark, SourceConfig config, String path, List<String> files) {
    return read(spark, config, path, files.toArray(String[]::new));
  }

  /** Reads {@code paths} (the source's path, or the files chosen from it) as one export. */
  private SourceBatch read(SparkSession spark, SourceConfig config, String path, String[] paths) {
    // Exports from spreadsheet tools often start with a UTF-8 byte-order mark; the schema below
    // replaces header names by position, so the cleaned names are the ones used.
    List<String> header =
        Arrays.stream(reader(spark, config).csv(paths).columns())
            .map(c -> c.replace("\uFEFF", "").strip())
            .toList();
    StructType schema = new StructType();
    for (String column : header) {
      schema = schema.add(column, DataTypes.StringType);
    }
    schema = schema.add(CORRUPT, DataTypes.StringType);
    Map<String, Column> standard = new HashMap<>();
    for (String std : standardColumns()) {
      String actual = config.columns().getOrDefault(std, std);
      if (actual.isEmpty()) {
        standard.put(std, lit(null).cast(DataTypes.StringType));
      } else if (header.contains(actual)) {
        standard.put(std, col("`" + actual + "`"));
      } else if (header.isEmpty()) {
        standard.put(std, lit(null).cast(DataTypes.StringType));
      } else {
        throw new BadInputException(
            "Cannot read source '"
                + config.name()
                + "': column '"
                + actual
                + "' missing in "
                + path
                + " (columns: "
                + String.join(", ", header)
                + ")"
                + (actual.equals(std)
                    ? "; map it with columns: {" + std + ": <name>}, or \"\" if the export lacks it"
                    : ""));
      }
    }
    Dataset<Row> parsed;
    if (header.isEmpty()) {
      // A zero-byte export has no header: no rows rather than a crash; the run metrics show 0 read.
      parsed = spark.createDataFrame(List.of(), schema);
    } else {
      parsed =
          reader(spark, config)
              .schema(schema)
              .option("mode", "PERMISSIVE")
              .option("columnNameOfCorruptRecord", CORRUPT)
              .csv(paths);
    }
    Column file = header.isEmpty() ? lit(path) : col("_metadata.file_name");
    Column[] selected = new Column[standardColumns().size() + 2];
    for (int i = 0; i < standardColumns().size(); i++) {
      String std = standardColumns().get(i);
      selected[i] = standard.get(std).as(std);
    }
    selected[selected.length - 2] = col(CORRUPT);
    selected[selected.length - 1] = file.as(Cols.FILE);
    Dataset<Row> rows = parsed.select(selected);

    Column id = blankToNull(col(idColumn()));
    Column bad = col(CORRUPT).isNotNull().or(id.isNull());
    Dataset<Row> rejected =
        rows.where(bad)
            .select(
                lit(config.name()).as(Cols.SOURCE),
                id.as(Cols.RECORD_REF),
                col(Cols.FILE),
                lit(null).cast(DataTypes.StringType).as(Cols.FIELD),
                when(col(CORRUPT).isNotNull(), lit(RejectReason.MALFORMED_ROW.name()))
                    .otherwise(lit(RejectReason.MISSING_RECORD_ID.name()))
                    .as(Cols.REASON),
                when(
                        col(CORRUPT).isNotNull(),
                        lit(
                            "row does not parse as CSV with "
                                + header.size()
                                + " columns (wrong column count or broken quoting)"))
                    .otherwise(lit("empty " + idColumn()))
                    .as(Cols.DETAIL));

    Column[] mapped = toRawRecords(config);
    Column[] withSource = new Column[mapped.length + 2];
    withSource[0] = lit(config.name()).as(Cols.SOURCE);
    System.arraycopy(mapped, 0, withSource, 1, mapped.length);
    withSource[withSource.length - 1] = col(Cols.FILE);
    Dataset<Row> records = rows.where(not(bad)).select(withSource);
    return new SourceBatch(
        RawRecords.conform(records, RawRecords.SCHEMA),
        RawRecords.conform(rejected, RawRecords.REJECTED_SCHEMA));
  }

  private static DataFrameReader reader(SparkSession spark, SourceConfig config) {
    return spark
        .read()
        .option("header", "true")
        .option("quote", "\"")
        .option("escape", "\"")
        .option("inferSchema", "false")
        .options(config.readerOptions());
  }

  /** The phone region of a record: its own country when given, else the source's default. */
  protected static Column region(Column country, SourceConfig config) {
    Column defaultRegion =
        config.defaultRegion() == null
            ? lit(null).cast(DataTypes.StringType)
            : lit(config.defaultRegion());
    return coalesce(upper(blankToNull(country)), defaultRegion);
  }

  protected static Column defaultRegion(SourceConfig config) {
    return region(lit(null).cast(DataTypes.StringType), config);
  }
}
