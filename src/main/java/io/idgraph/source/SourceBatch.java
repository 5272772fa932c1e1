package io.idgraph.source;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What one connector read: records in {@link RawRecords#SCHEMA} and whole rows it rejected in
 * {@link RawRecords#REJECTED_SCHEMA}. Both are lazy.
 */
public record SourceBatch(Dataset<Row> records, Dataset<Row> rejected) {}
