package io.idgraph.inspect;

import io.idgraph.config.BadInputException;
import java.util.List;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs one read-only Spark SQL statement over an output's tables, each registered as a view of its
 * folder name ({@link OutputCatalog}), and collects at most {@code limit} rows of the result. A
 * statement Spark refuses (syntax, unknown table or column, a bad cast) is a {@link
 * BadInputException} with Spark's message and the views it could have used.
 */
public final class SqlQuery {
  private SqlQuery() {}

  /**
   * @param limit the most rows collected (at least 1); one more is read to tell if there were more
   */
  public static ResultPage run(
      SparkSession spark, OutputCatalog catalog, String query, int limit, ResultFormat format) {
    if (limit < 1) {
      throw new BadInputException("--limit must be at least 1, got " + limit);
    }
    if (query == null || query.isBlank()) {
      throw new BadInputException("Give a SQL query, e.g. \"SELECT state, count(*) FROM profiles GROUP BY state\"");
    }
    List<String> views = catalog.names();
    ReadOnlySql.check(spark, query, views);
    catalog.registerViews();
    try {
      Dataset<Row> result = spark.sql(query);
      return format.wantsJson() ? ResultPage.json(result, limit) : ResultPage.strings(result, limit);
    } catch (RuntimeException e) {
      throw SqlErrors.fromRuntime(e, views).orElseThrow(() -> e);
    } catch (Exception e) {
      // Scala code throws AnalysisException (a checked exception in Java) without declaring it.
      if (e instanceof AnalysisException analysis) {
        throw SqlErrors.badQuery(analysis, views);
      }
      throw new IllegalStateException(e);
    }
  }
}
