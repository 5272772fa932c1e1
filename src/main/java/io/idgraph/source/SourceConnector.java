package io.idgraph.source;

import io.idgraph.config.SourceConfig;
import java.util.List;
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

  /**
   * Reads exactly {@code files} of the source (listed by {@link InputFiles#list}, never empty): on an
   * incremental night only the files no earlier night consumed. {@code path} is the source's resolved
   * path, for messages. The default reads the files one by one with {@link #read} and unions them,
   * which suits any connector; the built-in connectors read them in one scan.
   */
  default SourceBatch readFiles(
      SparkSession spark, SourceConfig config, String path, List<String> files) {
    SourceBatch out = null;
    for (String file : files) {
      SourceBatch one = read(spark, config, file);
      out =
          out == null
              ? one
              : new SourceBatch(
                  out.records().unionByName(one.records()),
                  out.rejected().unionByName(one.rejected()));
    }
    if (out == null) {
      throw new IllegalArgumentException("no files to read for source '" + config.name() + "'");
    }
    return out;
  }
}
