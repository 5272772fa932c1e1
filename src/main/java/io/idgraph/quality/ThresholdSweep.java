package io.idgraph.quality;

import static org.apache.spark.sql.functions.*;

import io.idgraph.schema.Cols;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * What a run would have produced at other merge thresholds, scored against ground truth. At threshold
 * t the predicted partition starts from each record's deterministic_profile_id and joins the
 * deterministic profiles of every merge candidate with probability &ge; t whose status is not
 * "refused" (the identity rules refused those whatever the threshold). Thresholds run from the lowest
 * candidate probability rounded down to 0.05, in steps of 0.05 to 0.95, then 0.97 and 0.99; a first
 * row holds the deterministic-only partition.
 *
 * <p>Per row: links (candidates used), link precision, pairwise precision, recall and F1 (exact, from
 * {@link PairwiseEvaluation} over records present in both the output and truth), predicted profiles and
 * over-merged profiles (holding records of two or more persons). A link is correct when the majority
 * truth person of profile_a equals that of profile_b; the majority person of a deterministic profile
 * is the person with most of its records, ties to the smallest person_id. A link touching a profile
 * with no record in truth has no majority person and counts as incorrect.
 *
 * <p>Scale: the usable candidates (profile_a, profile_b, probability, correct) are collected to the
 * driver once, which is fine for the few hundred thousand pairs scoring keeps above the review floor
 * and would not be for all pairs. The profiles are joined there with union-find, from the highest
 * threshold down, and each threshold's profile → cluster map goes back to Spark as a small Dataset.
 * Records joined with truth are cached once for the whole sweep. A threshold that uses the same links
 * as the one above it reuses its result.
 */
public final class ThresholdSweep {
  private ThresholdSweep() {}

  /** Candidate status of a pair the identity rules refused to merge. */
  public static final String REFUSED = "refused";

  private static final String CORRECT = Cols.INTERNAL_PREFIX + "correct";
  private static final String RECORDS = Cols.INTERNAL_PREFIX + "records";
  private static final String RANK = Cols.INTERNAL_PREFIX + "rank";
  private static final String PERSON_A = Cols.INTERNAL_PREFIX + "person_a";
  private static final String PERSON_B = Cols.INTERNAL_PREFIX + "person_b";
  private static final String MEMBER = Cols.INTERNAL_PREFIX + "member";
  private static final String CLUSTER = Cols.INTERNAL_PREFIX + "cluster";
  private static final StructType CLUSTERS =
      new StructType()
          .add(MEMBER, DataTypes.StringType, false)
          .add(CLUSTER, DataTypes.StringType, false);

  private record Link(String a, String b, double probability, boolean correct) {}

  /**
   * The thresholds swept for a lowest candidate probability: that probability rounded down to 0.05
   * (at most 0.95), steps of 0.05 to 0.95, then 0.97 and 0.99. Counted in hundredths so 0.70 stays 0.70.
   */
  public static List<Double> thresholds(double minProbability) {
    int lowest = Math.max(0, Math.min(95, (int) Math.floor(minProbability * 20 + 1e-9) * 5));
    List<Double> out = new ArrayList<>();
    for (int h = lowest; h <= 95; h += 5) {
      out.add(h / 100.0);
    }
    out.add(0.97);
    out.add(0.99);
    return out;
  }

  /**
   * The threshold table, deterministic row first, then thresholds ascending; empty when {@code
   * candidates} holds no pair of the run in {@code recordProfiles}.
   *
   * @param recordProfiles source, record_id, deterministic_profile_id, run_id (other columns ignored)
   * @param candidates merge_candidates: profile_a, profile_b, probability, status, run_id; when both
   *     tables have run_id, only candidates of the runs in {@code recordProfiles} are used (the table
   *     may keep older runs' pairs, whose profile ids are stale)
   * @param truth source, record_id, person_id
   */
  public static List<ThresholdRow> sweep(
      Dataset<Row> recordProfiles, Dataset<Row> candidates, Dataset<Row> truth) {
    Dataset<Row> scored = candidates;
    if (hasColumn(recordProfiles, Cols.RUN_ID) && hasColumn(candidates, Cols.RUN_ID)) {
      scored =
          candidates.join(
              recordProfiles.select(Cols.RUN_ID).distinct(),
              List.of(Cols.RUN_ID).toArray(String[]::new),
              "left_semi");
    }
    Row range = scored.agg(min(Cols.PROBABILITY), count(lit(1))).first();
    if (range.getLong(1) == 0 || range.isNullAt(0)) {
      return List.of();
    }
    // source, record_id, profile_id (= deterministic profile), person_id; read once for all rows.
    Dataset<Row> matched =
        PairwiseEvaluation.matched(
                recordProfiles.select(
                    col(Cols.SOURCE),
                    col(Cols.RECORD_ID),
                    col(Cols.DETERMINISTIC_PROFILE_ID).as(Cols.PROFILE_ID)),
                truth)
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<Link> links = usableLinks(scored, matched);
      Dataset<Row> persons = matched.select(Cols.SOURCE, Cols.RECORD_ID, Cols.PERSON_ID);
      EvaluationResult deterministic = PairwiseEvaluation.evaluate(matched, persons);
      List<Double> thresholds = thresholds(range.getDouble(0));
      List<ThresholdRow> descending = new ArrayList<>();
      UnionFind groups = new UnionFind();
      int used = 0;
      long correct = 0;
      int evaluatedLinks = 0;
      EvaluationResult result = deterministic;
      for (int i = thresholds.size() - 1; i >= 0; i--) {
        double t = thresholds.get(i);
        while (used < links.size() && links.get(used).probability() >= t) {
          Link link = links.get(used++);
          groups.union(link.a(), link.b());
          correct += link.correct() ? 1 : 0;
        }
        if (used != evaluatedLinks) {
          result = PairwiseEvaluation.evaluate(clustered(matched, groups.clusters()), persons);
          evaluatedLinks = used;
        }
        descending.add(row(t, used, correct, result));
      }
      List<ThresholdRow> rows = new ArrayList<>();
      rows.add(row(null, 0, 0, deterministic));
      Collections.reverse(descending);
      rows.addAll(descending);
      return rows;
    } finally {
      matched.unpersist();
    }
  }

  /** The whole table as CSV text: header, then one line per row. */
  public static String csv(List<ThresholdRow> rows) {
    StringBuilder out = new StringBuilder(ThresholdRow.CSV_HEADER).append('\n');
    rows.forEach(r -> out.append(r.csvLine()).append('\n'));
    return out.toString();
  }

  private static ThresholdRow row(Double t, long links, long correct, EvaluationResult r) {
    return new ThresholdRow(
        t,
        links,
        links == 0 ? Double.NaN : correct / (double) links,
        r.precision(),
        r.recall(),
        r.f1(),
        r.profiles(),
        r.overMergedProfiles());
  }

  /**
   * Candidates that are not refused, with whether their two profiles' majority persons agree,
   * likeliest first. Only these pairs reach the driver.
   */
  private static List<Link> usableLinks(Dataset<Row> scored, Dataset<Row> matched) {
    Column rank =
        row_number()
            .over(
                Window.partitionBy(Cols.PROFILE_ID)
                    .orderBy(col(RECORDS).desc(), col(Cols.PERSON_ID)));
    Dataset<Row> majority =
        matched
            .groupBy(Cols.PROFILE_ID, Cols.PERSON_ID)
            .agg(count(lit(1)).as(RECORDS))
            .withColumn(RANK, rank)
            .where(col(RANK).equalTo(1))
            .select(Cols.PROFILE_ID, Cols.PERSON_ID);
    Dataset<Row> usable =
        scored
            .where(not(col(Cols.STATUS).eqNullSafe(REFUSED)))
            .select(Cols.PROFILE_A, Cols.PROFILE_B, Cols.PROBABILITY)
            .where(
                col(Cols.PROFILE_A)
                    .isNotNull()
                    .and(col(Cols.PROFILE_B).isNotNull())
                    .and(col(Cols.PROBABILITY).isNotNull()));
    List<Link> out = new ArrayList<>();
    for (Row r :
        usable
            .join(
                majority.toDF(Cols.PROFILE_A, PERSON_A),
                List.of(Cols.PROFILE_A).toArray(String[]::new),
                "left")
            .join(
                majority.toDF(Cols.PROFILE_B, PERSON_B),
                List.of(Cols.PROFILE_B).toArray(String[]::new),
                "left")
            .select(
                col(Cols.PROFILE_A),
                col(Cols.PROFILE_B),
                col(Cols.PROBABILITY),
                coalesce(col(PERSON_A).equalTo(col(PERSON_B)), lit(false)).as(CORRECT))
            .orderBy(col(Cols.PROBABILITY).desc(), col(Cols.PROFILE_A), col(Cols.PROFILE_B))
            .collectAsList()) {
      out.add(new Link(r.getString(0), r.getString(1), r.getDouble(2), r.getBoolean(3)));
    }
    return out;
  }

  /** matched with profile_id replaced by the cluster of its deterministic profile. */
  private static Dataset<Row> clustered(Dataset<Row> matched, Map<String, String> clusters) {
    List<Row> rows = new ArrayList<>(clusters.size());
    clusters.forEach((member, cluster) -> rows.add(RowFactory.create(member, cluster)));
    Dataset<Row> map = matched.sparkSession().createDataFrame(rows, CLUSTERS);
    return matched
        .join(map, col(Cols.PROFILE_ID).equalTo(col(MEMBER)), "left")
        .select(
            col(Cols.SOURCE),
            col(Cols.RECORD_ID),
            coalesce(col(CLUSTER), col(Cols.PROFILE_ID)).as(Cols.PROFILE_ID));
  }

  private static boolean hasColumn(Dataset<Row> ds, String name) {
    return Arrays.asList(ds.columns()).contains(name);
  }

  /**
   * Union-find over deterministic profile ids. A cluster is named by one of its members, so it cannot
   * collide with a profile that joined nothing.
   */
  private static final class UnionFind {
    private final Map<String, String> parent = new HashMap<>();

    String find(String id) {
      String root = id;
      while (true) {
        String up = parent.getOrDefault(root, root);
        if (up.equals(root)) {
          break;
        }
        root = up;
      }
      String node = id;
      while (!node.equals(root)) {
        String up = parent.get(node);
        parent.put(node, root);
        node = up;
      }
      return root;
    }

    void union(String a, String b) {
      String ra = find(a);
      String rb = find(b);
      parent.putIfAbsent(ra, ra);
      parent.putIfAbsent(rb, rb);
      // The smaller id names the cluster, so the result does not depend on the order of the links.
      if (ra.compareTo(rb) < 0) {
        parent.put(rb, ra);
      } else if (rb.compareTo(ra) < 0) {
        parent.put(ra, rb);
      }
    }

    /** Every profile joined to a cluster named by another profile → that name. */
    Map<String, String> clusters() {
      Map<String, String> out = new HashMap<>();
      for (String id : parent.keySet()) {
        String root = find(id);
        if (!root.equals(id)) {
          out.put(id, root);
        }
      }
      return out;
    }
  }
}
