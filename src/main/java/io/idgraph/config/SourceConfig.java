package io.idgraph.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One source export. Built-in connectors (crm, email, web, support) know their export's columns and
 * accept {@code columns} to map a differently named column to the standard one; the generic connector is
 * driven entirely by {@code format}, {@code record_id}, {@code event_time}, {@code identifiers} and
 * {@code traits}. Each connector rejects the keys it does not use.
 *
 * @param name unique source name, used in every output row (required)
 * @param type connector type (required): crm, email, web, support, generic, or an SPI connector's type
 * @param path file, folder or glob, relative to {@code --input} unless absolute (required, except for
 *     a generic source reading a table)
 * @param format generic only: csv, json, parquet, delta, or any Spark data source name
 * @param table generic only: a table name to read instead of a path
 * @param readerOptions options passed to Spark's reader (e.g. delimiter, encoding)
 * @param columns built-in connectors: standard column name to the column name in this export
 * @param defaultRegion ISO alpha-2 region for national phone numbers when a record carries no country
 * @param recordId generic only: the column holding the record id (required for generic)
 * @param eventTime generic only: the column holding the record's timestamp
 * @param identifiers generic only: identifier type (e.g. email, external_id:loyalty) to column
 * @param traits generic only: trait name (first_name, last_name, company, city, country) to column
 * @param regionColumn generic only: column with the record's ISO country, used for phone numbers
 * @param entityTypes generic only: identifier types that name the source entity, in order (default:
 *     the first identifier type listed)
 * @param options free-form options for SPI connectors; each connector lists the keys it accepts
 * @param mode how the export arrives night after night: {@code snapshot} (every night the full
 *     current truth; a record missing tonight was deleted) or {@code append} (each night adds new
 *     files; only files not consumed before are read). Default: snapshot for crm, email and SPI
 *     connectors, append for web, support and generic (see {@link #SNAPSHOT}, {@link #APPEND})
 */
public record SourceConfig(
    String name,
    String type,
    String path,
    String format,
    String table,
    Map<String, String> readerOptions,
    Map<String, String> columns,
    String defaultRegion,
    String recordId,
    String eventTime,
    Map<String, String> identifiers,
    Map<String, String> traits,
    String regionColumn,
    List<String> entityTypes,
    Map<String, String> options,
    String mode) {

  public static final String SNAPSHOT = "snapshot";
  public static final String APPEND = "append";
  /** Connector types whose exports are appended to, night after night, unless {@code mode} says otherwise. */
  private static final java.util.Set<String> APPEND_BY_DEFAULT =
      java.util.Set.of("web", "support", "generic");

  public SourceConfig {
    readerOptions = ordered(readerOptions);
    columns = ordered(columns);
    identifiers = ordered(identifiers);
    traits = ordered(traits);
    entityTypes = entityTypes == null ? List.of() : List.copyOf(entityTypes);
    options = ordered(options);
  }

  /** Spark formats that are plain files, so a night can tell new files from consumed ones. */
  private static final java.util.Set<String> FILE_FORMATS =
      java.util.Set.of("csv", "json", "parquet", "orc", "avro", "text", "xml");

  /** {@link #mode} as set, else the default of the connector type (snapshot when not file-based). */
  public String effectiveMode() {
    if (mode != null) {
      return mode;
    }
    return APPEND_BY_DEFAULT.contains(type) && fileBased() ? APPEND : SNAPSHOT;
  }

  /**
   * Whether the source is a set of plain files whose path, size and modification time tell what is
   * new; a table or a non-file format (delta, jdbc) is read whole every night.
   */
  public boolean fileBased() {
    return table == null && (format == null || FILE_FORMATS.contains(format));
  }

  /** The generic connector's first identifier names the entity by default, so order is kept. */
  private static Map<String, String> ordered(Map<String, String> map) {
    return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
