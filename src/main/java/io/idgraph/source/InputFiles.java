package io.idgraph.source;

import io.idgraph.config.BadInputException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Existence checks and listings of input paths through Hadoop's FileSystem, so they hold for HDFS and
 * S3 too.
 */
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

  /**
   * Every data file the path (file, folder or glob) stands for, sorted by path: a matched file itself,
   * and the files under a matched folder at any depth. Names starting with {@code _} or {@code .} are
   * skipped, as Spark's own reader skips them ({@code _SUCCESS}, {@code .crc} files, {@code
   * _delta_log}). Fails with a one-line error when nothing matches.
   */
  public static List<InputFile> list(SparkSession spark, String source, String path) {
    requireExists(spark, source, path);
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      List<InputFile> out = new ArrayList<>();
      for (FileStatus match : fs.globStatus(p)) {
        collect(fs, match, out);
      }
      out.sort(Comparator.comparing(InputFile::path));
      return out;
    } catch (IOException e) {
      throw new BadInputException(
          "Cannot read source '" + source + "': " + path + ": " + e.getMessage(), e);
    }
  }

  private static void collect(FileSystem fs, FileStatus status, List<InputFile> out)
      throws IOException {
    if (status.isDirectory()) {
      for (FileStatus child : fs.listStatus(status.getPath())) {
        if (!hidden(child.getPath().getName())) {
          collect(fs, child, out);
        }
      }
    } else {
      out.add(
          new InputFile(
              fs.makeQualified(status.getPath()).toString(),
              status.getLen(),
              Instant.ofEpochMilli(status.getModificationTime())));
    }
  }

  private static boolean hidden(String name) {
    return name.startsWith("_") || name.startsWith(".");
  }

  /** The path, qualified, when it is an existing folder (not a file, not a glob); else null. */
  public static String folderOrNull(SparkSession spark, String path) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      return fs.isDirectory(p) ? fs.makeQualified(p).toString() : null;
    } catch (IOException e) {
      return null;
    }
  }
}
