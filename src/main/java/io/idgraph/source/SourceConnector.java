package io.idgraph.source;

import io.idgraph.config.SourceConfig;
import org.apache.spark.sql.SparkSession;

/**
 * The service-provider interface for sources. A connector reads one export and maps every row to the
 * canonical raw record shape ({@link RawRecords#SCHEMA}); rows it cannot map go to the batch's rejected
 * rows with a reason, never silently away. Nothing downstream knows which connector produced a record.
 *
 * <p>To add a connector that needs code: implement this interface, list the class in
 * {@code META-INF/services/io.idgraph.source.SourceConnector}, and name its {@link #type()} in a job
 * config's {@code sources:} entry. Connectors must have a public no-argument constructor.
 */
public interface SourceConnector {

  /** The {@code type:} value that selects this connector, e.g. "crm". Unique across connectors. */
  String type();

  /**
   * Checks the connector-specific keys of one {@code sources:} entry before Spark starts; throws
   * {@link io.idgraph.config.BadInputException} naming {@code keyPrefix} (e.g. "sources[2]") and the key.
   */
  void validate(SourceConfig config, SourceCheck check);

  /**
   * Reads the export. {@code path} is already resolved against the run's input root. Missing files and
   * missing columns are reported as {@link io.idgraph.config.BadInputException} before anything is
   * written; bad rows become rejected rows. Must not trigger a full scan of the data (schema checks may
   * read the header).
   */
  SourceBatch read(SparkSession spark, SourceConfig config, String path);
}
