package io.idgraph.source;

import io.idgraph.config.BadInputException;
import java.io.IOException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** Existence checks for input paths through Hadoop's FileSystem, so they hold for HDFS and S3 too. */
public final class InputFiles {
  private InputFiles() {}

  /** Fails with a one-line error unless the path (file, folder or glob) matches something. */
  public static void requireExists(SparkSession spark, String source, String path) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      FileStatus[] matches = fs.globStatus(p);
      if (matches == null || matches.length == 0) {
        throw new BadInputException("Cannot read source '" + source + "': no file at " + path);
      }
    } catch (IOException e) {
      throw new BadInputException(
          "Cannot read source '" + source + "': " + path + ": " + e.getMessage(), e);
    }
  }
}
