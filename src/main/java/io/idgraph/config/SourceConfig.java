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
    Map<String, String> options) {

  public SourceConfig {
    readerOptions = ordered(readerOptions);
    columns = ordered(columns);
    identifiers = ordered(identifiers);
    traits = ordered(traits);
    entityTypes = entityTypes == null ? List.of() : List.copyOf(entityTypes);
    options = ordered(options);
  }

  /** The generic connector's first identifier names the entity by default, so order is kept. */
  private static Map<String, String> ordered(Map<String, String> map) {
    return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
