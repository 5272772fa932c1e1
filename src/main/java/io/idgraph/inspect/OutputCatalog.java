package io.idgraph.inspect;

import io.idgraph.config.BadInputException;
import io.idgraph.sink.OutputTables;
import io.idgraph.sink.RunCommits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The Delta tables under an output folder: every direct subfolder that holds a {@code _delta_log}
 * is a table named after the folder, so tables added to the job later are found without a list to
 * update. Folders whose names are not SQL identifiers (letters, digits, underscores, not starting
 * with a digit) are skipped, since a view cannot be named after them. Listing goes through Hadoop's
 * FileSystem, so local folders and object-store URIs work alike.
 *
 * <p>Every night table is read at the version the last finished night committed (see {@link
 * RunCommits}): a night writing right now, or one that died halfway, is invisible until it commits,
 * so a query never joins tonight's profiles with last night's record_profiles.
 */
public final class OutputCatalog {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final SparkSession spark;
  private final String root;
  private final Map<String, String> tables;
  private final Optional<RunCommits.Commit> committed;

  private OutputCatalog(
      SparkSession spark, String root, Map<String, String> tables, Optional<RunCommits.Commit> committed) {
    this.spark = spark;
    this.root = root;
    this.tables = tables;
    this.committed = committed;
  }

  /**
   * Lists the tables under {@code root}.
   *
   * @throws BadInputException when the folder does not exist or holds no Delta table
   */
  public static OutputCatalog open(SparkSession spark, String root) {
    Path dir = new Path(root);
    Map<String, String> found = new TreeMap<>();
    try {
      FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(dir) || !fs.getFileStatus(dir).isDirectory()) {
        throw new BadInputException(
            "No output folder at " + root + " (run the nightly job first, or check --output)");
      }
      for (FileStatus child : fs.listStatus(dir)) {
        String name = child.getPath().getName();
        if (child.isDirectory()
            && IDENTIFIER.matcher(name).matches()
            && fs.exists(new Path(child.getPath(), "_delta_log"))) {
          found.put(name, child.getPath().toString());
        }
      }
    } catch (IOException e) {
      throw new BadInputException("Cannot list the output folder " + root + ": " + e.getMessage(), e);
    }
    if (found.isEmpty()) {
      throw new BadInputException(
          "No Delta tables under " + root + " (run the nightly job first, or check --output)");
    }
    Optional<RunCommits.Commit> committed = RunCommits.last(spark, root);
    // A night table the last commit does not list was created by a night that has not committed.
    committed.ifPresent(
        c -> found.keySet().removeIf(t -> OutputTables.ALL.contains(t) && !c.versions().containsKey(t)));
    if (found.isEmpty()) {
      throw new BadInputException(
          "No committed Delta tables under " + root + " yet (the first night has not finished)");
    }
    return new OutputCatalog(spark, root, found, committed);
  }

  /** The output folder as given. */
  public String root() {
    return root;
  }

  /** The table names, sorted. */
  public List<String> names() {
    return new ArrayList<>(tables.keySet());
  }

  /** The table as a lazy Dataset, or empty when the output has no such table. */
  public Optional<Dataset<Row>> table(String name) {
    return tables.containsKey(name)
        ? RunCommits.readCommitted(spark, root, name, committed)
        : Optional.empty();
  }

  /**
   * The table, or a {@link BadInputException} naming what is missing (e.g. an output written before
   * the table existed).
   */
  public Dataset<Row> required(String name) {
    return table(name)
        .orElseThrow(
            () ->
                new BadInputException(
                    "No "
                        + name
                        + " Delta table under "
                        + root
                        + " (tables: "
                        + String.join(", ", names())
                        + ")"));
  }

  /** Registers every table as a temporary view of its name in the session. */
  public void registerViews() {
    for (String name : tables.keySet()) {
      table(name).orElseThrow().createOrReplaceTempView(name);
    }
  }
}
