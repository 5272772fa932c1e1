package io.idgraph.inspect;

import io.idgraph.config.BadInputException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoStatement;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Lets through only statements that read: queries (SELECT, WITH, VALUES, TABLE, FROM ... SELECT)
 * and the catalog's SHOW / DESCRIBE / EXPLAIN statements. Anything else (DELETE, UPDATE, MERGE,
 * INSERT, CREATE, DROP, SET, CACHE, Delta's VACUUM and OPTIMIZE) is refused before it runs: {@code
 * SparkSession.sql} runs a command the moment it is called, and a mistyped DELETE on the profiles
 * view would change the output. This guards against mistakes, not against a hostile user, who has
 * the output folder anyway.
 */
public final class ReadOnlySql {
  /** Commands that only read the catalog or a plan, by Spark's (and Delta's) class name. */
  private static final Set<String> READ_ONLY_COMMANDS =
      Set.of(
          "ShowTables",
          "ShowViews",
          "ShowColumns",
          "ShowFunctions",
          "DescribeRelation",
          "DescribeColumn",
          "DescribeFunction",
          "DescribeQueryCommand",
          "ExplainCommand",
          "DescribeDeltaHistory",
          "DescribeDeltaDetailCommand");

  private ReadOnlySql() {}

  /**
   * Parses {@code query} and fails unless it only reads.
   *
   * @param views the registered views, named in a parse error's message
   * @throws BadInputException naming the statement kind when it would write or change the session,
   *     or with Spark's message when it does not parse
   */
  public static void check(SparkSession spark, String query, List<String> views) {
    LogicalPlan plan;
    try {
      plan = spark.sessionState().sqlParser().parsePlan(query);
    } catch (ParseException e) {
      throw SqlErrors.badQuery(e, views);
    }
    Deque<LogicalPlan> todo = new ArrayDeque<>();
    todo.push(plan);
    while (!todo.isEmpty()) {
      LogicalPlan node = todo.pop();
      String kind = node.getClass().getSimpleName();
      boolean writes =
          node instanceof InsertIntoStatement
              || (node instanceof Command && !READ_ONLY_COMMANDS.contains(kind));
      if (writes) {
        throw new BadInputException(
            "sql only reads: "
                + kind
                + " would change tables or the session; run queries (SELECT, WITH, SHOW,"
                + " DESCRIBE) only");
      }
      if (READ_ONLY_COMMANDS.contains(kind)) {
        continue;
      }
      CollectionConverters.asJava(node.children()).forEach(todo::push);
    }
  }
}
