package io.idgraph.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Every log line (message and stack trace) written at INFO or above by any logger, Spark's, Hadoop's
 * and Delta's included, while open: the log a production run at INFO would leave. The loggers' levels
 * are lowered to INFO while capturing and put back on close.
 */
public final class LogCapture implements AutoCloseable {
  private static final String NAME = "idgraph-test-capture";
  private final StringBuilder text = new StringBuilder();
  private final Map<String, Level> levels = new HashMap<>();
  private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
  private final AbstractAppender appender =
      new AbstractAppender(NAME, null, null, true, Property.EMPTY_ARRAY) {
        @Override
        public void append(LogEvent event) {
          StringBuilder line = new StringBuilder();
          line.append(event.getLevel()).append(' ').append(event.getLoggerName()).append(": ")
              .append(event.getMessage().getFormattedMessage()).append('\n');
          if (event.getThrown() != null) {
            StringWriter trace = new StringWriter();
            event.getThrown().printStackTrace(new PrintWriter(trace));
            line.append(trace);
          }
          synchronized (text) {
            text.append(line);
          }
        }
      };

  public LogCapture() {
    appender.start();
    Configuration config = context.getConfiguration();
    for (LoggerConfig logger : loggers(config)) {
      levels.put(logger.getName(), logger.getLevel());
      if (logger.getLevel().isMoreSpecificThan(Level.INFO)) {
        logger.setLevel(Level.INFO);
      }
      logger.addAppender(appender, Level.INFO, null);
    }
    context.updateLoggers();
  }

  private static java.util.Set<LoggerConfig> loggers(Configuration config) {
    java.util.Set<LoggerConfig> all = new java.util.LinkedHashSet<>(config.getLoggers().values());
    all.add(config.getRootLogger());
    return all;
  }

  /** What was logged so far. */
  public String text() {
    synchronized (text) {
      return text.toString();
    }
  }

  @Override
  public void close() {
    Configuration config = context.getConfiguration();
    for (LoggerConfig logger : loggers(config)) {
      logger.removeAppender(NAME);
      Level level = levels.get(logger.getName());
      if (level != null) {
        logger.setLevel(level);
      }
    }
    context.updateLoggers();
    appender.stop();
  }
}
