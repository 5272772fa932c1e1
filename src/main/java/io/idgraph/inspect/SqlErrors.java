package io.idgraph.inspect;

import io.idgraph.config.BadInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.catalyst.parser.ParseException;

/**
 * Turns Spark's complaint about a user's SQL into a short {@link BadInputException}: Spark's own
 * first lines (for a parse error, the query with a caret under the error), never the analyzed plan
 * Spark appends, then the views the query can use.
 */
public final class SqlErrors {
  /** Lines of Spark's message kept; what follows is plan text the user did not write. */
  private static final int MAX_LINES = 8;

  private SqlErrors() {}

  /**
   * The user-facing error for a statement Spark refused while parsing or analysing it.
   *
   * @param views the registered view names, listed so a wrong table name is easy to fix (empty:
   *     not listed)
   */
  public static BadInputException badQuery(AnalysisException e, List<String> views) {
    String message = e instanceof ParseException ? e.getMessage() : e.getSimpleMessage();
    return new BadInputException(text(message, views), e);
  }

  /**
   * The user-facing error for a failure while the statement ran, when the failure is the
   * statement's fault (Spark's SQLSTATE class 22, data exception: a cast of a bad string, a division
   * by zero, an overflow); empty for anything else (a bug, a lost executor, a full disk), which is a
   * failed command, not bad input.
   */
  public static Optional<BadInputException> fromRuntime(Throwable e, List<String> views) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof AnalysisException analysis) {
        return Optional.of(badQuery(analysis, views));
      }
      if (t instanceof SparkThrowable spark
          && spark.getSqlState() != null
          && spark.getSqlState().startsWith("22")) {
        return Optional.of(new BadInputException(text(t.getMessage(), views), e));
      }
    }
    return Optional.empty();
  }

  private static String text(String message, List<String> views) {
    List<String> kept = new ArrayList<>();
    for (String line : (message == null ? "" : message).strip().split("\n")) {
      String s = line.stripTrailing();
      // The analyzed plan Spark appends starts with a plan node: 'Project, +- ..., :- ...
      if (s.startsWith("'") || s.stripLeading().startsWith("+-") || s.stripLeading().startsWith(":-")) {
        break;
      }
      if (kept.size() == MAX_LINES) {
        kept.add("...");
        break;
      }
      if (!s.isBlank()) {
        kept.add(s);
      }
    }
    String text = "SQL error: " + String.join("\n  ", kept);
    return views.isEmpty() ? text : text + "\n  tables: " + String.join(", ", views);
  }
}
