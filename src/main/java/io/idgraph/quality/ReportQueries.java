package io.idgraph.quality;

import static org.apache.spark.sql.functions.*;

import io.idgraph.graph.LinkDecisions;
import io.idgraph.graph.LinkRules;
import io.idgraph.quality.RunReport.Hub;
import io.idgraph.quality.RunReport.LargeProfile;
import io.idgraph.quality.RunReport.MethodCount;
import io.idgraph.quality.RunReport.RunTotals;
import io.idgraph.quality.RunReport.SizeBucket;
import io.idgraph.schema.Cols;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The aggregates of the run report that {@link RunMetrics} does not hold, each a small query over one
 * output table: Spark aggregates, the driver collects at most a few dozen rows (buckets, top-N,
 * counts per status). The tables are passed in as read back after the night's writes, so a scoped
 * night's MERGEd tables are seen whole.
 */
public final class ReportQueries {
  private ReportQueries() {}

  /** Profiles by records per profile: roughly doubling bounds, readable on a log scale. */
  public static final List<SizeBucket> SIZE_BUCKETS =
      List.of(
          new SizeBucket("1", 1, 1, 0),
          new SizeBucket("2", 2, 2, 0),
          new SizeBucket("3-5", 3, 5, 0),
          new SizeBucket("6-10", 6, 10, 0),
          new SizeBucket("11-20", 11, 20, 0),
          new SizeBucket("21-50", 21, 50, 0),
          new SizeBucket("51-100", 51, 100, 0),
          new SizeBucket(">100", 101, Long.MAX_VALUE, 0));

  /** Characters of an identifier's hash the report shows: enough to find it, not the whole HMAC. */
  public static final int HASH_PREFIX = 12;

  /** Every bucket of {@link #SIZE_BUCKETS} with its profile count (profiles: record_count). */
  public static List<SizeBucket> profileSizes(Dataset<Row> profiles) {
    Column records = col(Cols.RECORD_COUNT);
    Column bucket = lit(SIZE_BUCKETS.size() - 1);
    for (int i = SIZE_BUCKETS.size() - 2; i >= 0; i--) {
      bucket = when(records.leq(SIZE_BUCKETS.get(i).max()), lit(i)).otherwise(bucket);
    }
    long[] counts = new long[SIZE_BUCKETS.size()];
    for (Row r : profiles.groupBy(bucket.as("bucket")).count().collectAsList()) {
      counts[r.getInt(0)] = r.getLong(1);
    }
    List<SizeBucket> out = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      SizeBucket b = SIZE_BUCKETS.get(i);
      out.add(new SizeBucket(b.label(), b.min(), b.max(), counts[i]));
    }
    return out;
  }

  /** The {@code n} profiles with most records (ties: smaller profile id), largest first. */
  public static List<LargeProfile> largestProfiles(Dataset<Row> profiles, int n) {
    List<LargeProfile> out = new ArrayList<>();
    for (Row r :
        profiles
            .orderBy(col(Cols.RECORD_COUNT).desc(), col(Cols.PROFILE_ID))
            .limit(n)
            .select(
                col(Cols.PROFILE_ID),
                col(Cols.RECORD_COUNT),
                aggregate(map_values(col(Cols.IDENTIFIER_COUNTS)), lit(0L), (acc, v) -> acc.plus(v)),
                col(Cols.SOURCES))
            .collectAsList()) {
      out.add(
          new LargeProfile(
              r.getString(0),
              r.getLong(1),
              r.getLong(2),
              r.isNullAt(3) ? List.of() : List.copyOf(r.<String>getList(3))));
    }
    return out;
  }

  /**
   * Profiles by the number of identifier types their identifiers span (profiles.identifier_counts
   * holds one entry per type present).
   */
  public static Map<Integer, Long> profilesByIdentifierTypes(Dataset<Row> profiles) {
    Map<Integer, Long> out = new TreeMap<>();
    for (Row r :
        profiles.groupBy(size(col(Cols.IDENTIFIER_COUNTS)).as("types")).count().collectAsList()) {
      out.put(Math.max(0, r.getInt(0)), r.getLong(1));
    }
    return out;
  }

  /** Tonight's merge_history rows by event and method, in that order. */
  public static List<MethodCount> mergesByMethod(Dataset<Row> mergeHistory, String runId) {
    List<MethodCount> out = new ArrayList<>();
    for (Row r :
        mergeHistory
            .where(col(Cols.RUN_ID).equalTo(runId))
            .groupBy(Cols.EVENT, Cols.METHOD)
            .count()
            .orderBy(Cols.EVENT, Cols.METHOD)
            .collectAsList()) {
      out.add(new MethodCount(r.getString(0), r.getString(1), r.getLong(2)));
    }
    return out;
  }

  /** merge_candidates rows by status (pending rows are the review queue). */
  public static Map<String, Long> candidatesByStatus(Dataset<Row> candidates) {
    Map<String, Long> out = new TreeMap<>();
    for (Row r : candidates.groupBy(Cols.STATUS).count().collectAsList()) {
      out.put(r.getString(0), r.getLong(1));
    }
    return out;
  }

  /**
   * Tonight's isolated hubs, highest degree first (then most records, then hash), hashes cut to
   * {@link #HASH_PREFIX} characters.
   */
  public static List<Hub> isolatedHubs(Dataset<Row> decisions, String runId, int n) {
    List<Hub> out = new ArrayList<>();
    for (Row r :
        decisions
            .where(
                col(Cols.RUN_ID)
                    .equalTo(runId)
                    .and(col(Cols.RULE).equalTo(LinkDecisions.HUB_ISOLATION)))
            .orderBy(
                col(LinkRules.DEGREE).desc_nulls_last(),
                col(LinkRules.RECORDS).desc_nulls_last(),
                col(Cols.ID_HASH))
            .limit(n)
            .select(
                col(Cols.ID_TYPE),
                substring(col(Cols.ID_HASH), 1, HASH_PREFIX),
                col(LinkRules.DEGREE).cast("long"),
                coalesce(col(LinkRules.RECORDS).cast("long"), lit(0L)),
                col(LinkDecisions.DETAIL))
            .collectAsList()) {
      out.add(
          new Hub(
              r.getString(0),
              r.getString(1),
              r.isNullAt(2) ? null : r.getLong(2),
              r.getLong(3),
              r.getString(4)));
    }
    return out;
  }

  /**
   * The totals of the run_metrics row of the latest other run started no later than {@code
   * startedAt} (tonight's start); empty on a first run.
   */
  public static Optional<RunTotals> previousRun(
      Dataset<Row> runMetrics, String runId, Instant startedAt) {
    List<Row> rows =
        runMetrics
            .where(
                col(Cols.RUN_ID)
                    .notEqual(runId)
                    .and(col("started_at").leq(lit(Timestamp.from(startedAt)))))
            .orderBy(col("started_at").desc(), col(Cols.RUN_ID).desc())
            .limit(1)
            .select(
                col(Cols.RUN_ID),
                col("started_at"),
                col("profiles"),
                col("merges"),
                aggregate(col(Cols.SOURCES), lit(0L), (acc, s) -> acc.plus(s.getField("accepted"))),
                aggregate(col(Cols.SOURCES), lit(0L), (acc, s) -> acc.plus(s.getField("rejected"))),
                col("identifiers_by_type"))
            .collectAsList();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Row r = rows.get(0);
    return Optional.of(
        new RunTotals(
            r.getString(0),
            r.getTimestamp(1).toInstant(),
            r.getLong(2),
            r.getLong(3),
            r.getLong(4),
            r.getLong(5),
            new TreeMap<>(r.<String, Long>getJavaMap(6))));
  }
}
