package io.idgraph.scoring;

import static org.apache.spark.sql.functions.*;

import io.idgraph.schema.Cols;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * The comparison vector of each candidate pair: one level per comparison in {@link #COMPARISONS}
 * order, {@link Comparisons#NULL} where a side has no value.
 */
public final class PairLevels {
  public static final List<String> COMPARISONS =
      List.of("fingerprint", "session_gap", "ip_prefix", "referral", "name", "contact_part");
  public static final int[] LEVELS = {
    Comparisons.FINGERPRINT_LEVELS.length,
    Comparisons.SESSION_GAP_LEVELS.length,
    Comparisons.IP_LEVELS.length,
    Comparisons.REFERRAL_LEVELS.length,
    Comparisons.NAME_LEVELS.length,
    Comparisons.CONTACT_PART_LEVELS.length
  };
  public static final String GAMMA = "gamma";

  private PairLevels() {}

  /** Level names of comparison k, for explanations and the model_parameters table. */
  public static String[] levelNames(int k) {
    return switch (k) {
      case 0 -> Comparisons.FINGERPRINT_LEVELS;
      case 1 -> Comparisons.SESSION_GAP_LEVELS;
      case 2 -> Comparisons.IP_LEVELS;
      case 3 -> Comparisons.REFERRAL_LEVELS;
      case 4 -> Comparisons.NAME_LEVELS;
      default -> Comparisons.CONTACT_PART_LEVELS;
    };
  }

  /** The comparison vector of two {@link ProfileSignals} rows. */
  public static List<Integer> levels(Row a, Row b) {
    List<Integer> gamma = new ArrayList<>();
    gamma.add(Comparisons.fingerprint(set(a, ProfileSignals.FINGERPRINTS), set(b, ProfileSignals.FINGERPRINTS)));
    gamma.add(
        Comparisons.sessionGap(instants(a, ProfileSignals.ACTIVITY), instants(b, ProfileSignals.ACTIVITY)));
    gamma.add(
        Comparisons.ipPrefix(
            set(a, ProfileSignals.IP24S), set(a, ProfileSignals.IP16S),
            set(b, ProfileSignals.IP24S), set(b, ProfileSignals.IP16S)));
    gamma.add(
        Comparisons.referral(
            set(a, ProfileSignals.CAMPAIGNS), set(a, ProfileSignals.REFERRERS),
            set(b, ProfileSignals.CAMPAIGNS), set(b, ProfileSignals.REFERRERS)));
    gamma.add(
        Comparisons.name(
            a.getAs(Cols.FIRST_NAME), a.getAs(Cols.LAST_NAME),
            b.getAs(Cols.FIRST_NAME), b.getAs(Cols.LAST_NAME)));
    gamma.add(
        Comparisons.contactPart(
            set(a, ProfileSignals.EMAIL_LOCALS), set(a, ProfileSignals.PHONE_TAILS),
            set(b, ProfileSignals.EMAIL_LOCALS), set(b, ProfileSignals.PHONE_TAILS)));
    return gamma;
  }

  /**
   * Adds {@link #GAMMA} (array of ints) to candidate pairs (profile_a, profile_b, ...) from the two
   * profiles' signals.
   */
  public static Dataset<Row> of(Dataset<Row> candidates, Dataset<Row> signals) {
    UserDefinedFunction compare =
        udf((UDF2<Row, Row, List<Integer>>) PairLevels::levels,
            DataTypes.createArrayType(DataTypes.IntegerType));
    Dataset<Row> sa = signals.select(col(Cols.PROFILE_ID).as("_a"), struct(col("*")).as("_sa"));
    Dataset<Row> sb = signals.select(col(Cols.PROFILE_ID).as("_b"), struct(col("*")).as("_sb"));
    return candidates
        .join(sa, col(Blocking.A).equalTo(col("_a")))
        .join(sb, col(Blocking.B).equalTo(col("_b")))
        .withColumn(GAMMA, compare.apply(col("_sa"), col("_sb")))
        .drop("_a", "_b", "_sa", "_sb");
  }

  private static Set<String> set(Row r, String field) {
    int i = r.fieldIndex(field);
    if (r.isNullAt(i)) {
      return Set.of();
    }
    Set<String> out = new HashSet<>();
    for (Object o : r.getList(i)) {
      if (o != null) {
        out.add((String) o);
      }
    }
    return out;
  }

  private static List<java.time.Instant> instants(Row r, String field) {
    int i = r.fieldIndex(field);
    if (r.isNullAt(i)) {
      return List.of();
    }
    List<java.time.Instant> out = new ArrayList<>();
    for (Object o : r.getList(i)) {
      if (o != null) {
        out.add(((Timestamp) o).toInstant());
      }
    }
    return out;
  }
}
