package io.idgraph.job;

import static org.apache.spark.sql.functions.*;

import io.idgraph.sink.OutputTables;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The check a night must pass before anything is written: a source whose accepted records fall below
 * {@code history.min_source_ratio} of the previous night's (a truncated export, a broken upstream job)
 * would silently shrink or split thousands of profiles, so the run stops with yesterday's tables
 * untouched. {@code idgraph run --skip-publish-gate} overrides it for a night that is known to be right.
 */
public final class PublishGate {
  private PublishGate() {}

  /** A source whose record count collapsed. */
  public record Collapse(String source, long previous, long tonight, double ratio) {
    public String describe(double minRatio) {
      return String.format(
          "source '%s' has %d accepted records tonight against %d in the previous run (%.0f%%, below"
              + " history.min_source_ratio %.0f%%)",
          source, tonight, previous, 100.0 * tonight / previous, 100.0 * minRatio);
    }
  }

  /**
   * A merge spike: more than {@code maxRatio} of the previous run's {@code previousProfiles} merged
   * into other profiles tonight (a new identifier that is really a shared one, a rule change) would
   * fold thousands of customers together, so it waits for a person.
   */
  public static java.util.Optional<String> mergeSpike(long previousProfiles, long merged, double maxRatio) {
    if (previousProfiles <= 0 || merged <= maxRatio * previousProfiles) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        String.format(
            "%d of the previous run's %d profiles (%.1f%%) merged into others tonight, above"
                + " history.max_merge_ratio %.1f%%",
            merged, previousProfiles, 100.0 * merged / previousProfiles, 100.0 * maxRatio));
  }

  /**
   * Sources below {@code minRatio} of their previous count. {@code tonight} lists every source
   * configured tonight (0 when none of its records was accepted); a source new tonight, or no longer
   * configured, is not compared.
   */
  public static List<Collapse> collapses(
      Map<String, Long> previous, Map<String, Long> tonight, double minRatio) {
    List<Collapse> out = new ArrayList<>();
    for (var e : new TreeMap<>(previous).entrySet()) {
      long before = e.getValue();
      if (before <= 0 || !tonight.containsKey(e.getKey())) {
        continue;
      }
      long now = tonight.get(e.getKey());
      if (now < minRatio * before) {
        out.add(new Collapse(e.getKey(), before, now, now / (double) before));
      }
    }
    return out;
  }

  /**
   * Accepted records per source of the latest run in {@code run_metrics} under {@code outputRoot},
   * or an empty map on a first night.
   */
  public static Map<String, Long> previousAccepted(SparkSession spark, String outputRoot) {
    Map<String, Long> out = new HashMap<>();
    var table = OutputTables.read(spark, outputRoot, OutputTables.RUN_METRICS);
    if (table.isEmpty()) {
      return out;
    }
    var metrics = table.get();
    List<Row> last = metrics.orderBy(col("started_at").desc()).select(col("run_id")).limit(1).collectAsList();
    if (last.isEmpty()) {
      return out;
    }
    for (Row r :
        metrics
            .where(col("run_id").equalTo(last.get(0).getString(0)))
            .select(explode(col("sources")).as("s"))
            .select(col("s.source"), col("s.accepted"))
            .collectAsList()) {
      out.put(r.getString(0), r.getLong(1));
    }
    return out;
  }
}
