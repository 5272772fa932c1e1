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
 *
 * <p>Each file is decoded as {@link TextEncodings} says (its byte-order mark, else {@code
 * reader_options.encoding}, else UTF-8); a row with bytes that encoding cannot decode is rejected
 * whole as UNDECODABLE_TEXT. Files are read line by line unless {@code reader_options.multiLine} is
 * set (UTF-16 files always whole), so a line break inside quotes splits a row into malformed pieces.
 */
public abstract class CsvExportConnector implements SourceConnector {
  static final String CORRUPT = Cols.INTERNAL_PREFIX + "corrupt";
  private static final String FILE_NAME = Cols.INTERNAL_PREFIX + "file_name";

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
    checkEncoding(config, check);
  }

  /** Fails unless {@code reader_options.encoding}, when set, names an encoding the JVM can decode. */
  public static void checkEncoding(SourceConfig config, SourceCheck check) {
    String encoding = TextEncodings.configured(config.readerOptions());
    if (!TextEncodings.supported(encoding)) {
      throw check.error(
          "reader_options." + TextEncodings.OPTION,
          "names no known encoding: '" + encoding + "' (e.g. UTF-8, ISO-8859-1, windows-1252, UTF-16)");
    }
  }

  @Override
  public SourceBatch read(SparkSession spark, SourceConfig config, String path) {
    List<String> files =
        InputFiles.list(spark, config.name(), path).stream().map(InputFile::path).toList();
    return read(spark, config, path, files);
  }

  @Override
  public SourceBatch readFiles(
      SparkSession spark, SourceConfig config, String path, List<String> files) {
    return read(spark, config, path, files);
  }

  /** Reads {@code files} (the source's files, or those chosen from them) as one export. */
  private SourceBatch read(SparkSession spark, SourceConfig config, String path, List<String> files) {
    // Each file is read in the encoding its byte-order mark declares, else the configured one.
    Map<String, List<String>> byEncoding =
        TextEncodings.byEncoding(
            spark, config.name(), files, TextEncodings.configured(config.readerOptions()));
    Map.Entry<String, List<String>> first = byEncoding.entrySet().iterator().next();
    // Exports from spreadsheet tools often start with a UTF-8 byte-order mark; the schema below
    // replaces header names by position, so the cleaned names are the ones used.
    List<String> header =
        Arrays.stream(
                reader(spark, config, first.getKey())
                    .csv(first.getValue().toArray(String[]::new))
                    .columns())
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
      parsed = null;
      for (Map.Entry<String, List<String>> group : byEncoding.entrySet()) {
        Dataset<Row> part =
            reader(spark, config, group.getKey())
                .schema(schema)
                .option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", CORRUPT)
                .csv(group.getValue().toArray(String[]::new))
                .select(col("*"), col("_metadata.file_name").as(FILE_NAME));
        parsed = parsed == null ? part : parsed.unionByName(part);
      }
    }
    Column file = header.isEmpty() ? lit(path) : col(FILE_NAME);
    Column[] selected = new Column[standardColumns().size() + 2];
    for (int i = 0; i < standardColumns().size(); i++) {
      String std = standardColumns().get(i);
      selected[i] = standard.get(std).as(std);
    }
    selected[selected.length - 2] = col(CORRUPT);
    selected[selected.length - 1] = file.as(Cols.FILE);
    Dataset<Row> rows = parsed.select(selected);

    Column id = blankToNull(col(idColumn()));
    // A row holding bytes its file's encoding cannot decode would be stored as mojibake (and hash
    // to identifiers nobody else has): quarantined instead.
    Column undecodable = lit(false);
    for (String std : standardColumns()) {
      undecodable = undecodable.or(coalesce(col(std).contains(TextEncodings.REPLACEMENT), lit(false)));
    }
    Column bad = col(CORRUPT).isNotNull().or(id.isNull()).or(undecodable);
    Dataset<Row> rejected =
        rows.where(bad)
            .select(
                lit(config.name()).as(Cols.SOURCE),
                id.as(Cols.RECORD_REF),
                col(Cols.FILE),
                lit(null).cast(DataTypes.StringType).as(Cols.FIELD),
                when(col(CORRUPT).isNotNull(), lit(RejectReason.MALFORMED_ROW.name()))
                    .when(undecodable, lit(RejectReason.UNDECODABLE_TEXT.name()))
                    .otherwise(lit(RejectReason.MISSING_RECORD_ID.name()))
                    .as(Cols.REASON),
                when(
                        col(CORRUPT).isNotNull(),
                        lit(
                            "row does not parse as CSV with "
                                + header.size()
                                + " columns (wrong column count or broken quoting)"))
                    .when(
                        undecodable,
                        lit(
                            "bytes not valid in the file's encoding ("
                                + String.join(", ", byEncoding.keySet())
                                + "); set reader_options.encoding if the export is in another"))
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

  private static DataFrameReader reader(SparkSession spark, SourceConfig config, String encoding) {
    DataFrameReader reader =
        spark
            .read()
            .option("header", "true")
            .option("quote", "\"")
            .option("escape", "\"")
            .option("inferSchema", "false")
            .options(config.readerOptions())
            .option(TextEncodings.OPTION, encoding);
    if (TextEncodings.wide(encoding)) {
      // Spark splits lines on the byte 0x0A unless it parses the file as one stream; in UTF-16 a
      // line end is two bytes, so such files are parsed whole (one task per file).
      reader = reader.option("multiLine", "true");
    }
    return reader;
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
