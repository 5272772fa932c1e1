package io.idgraph.quality;

import static org.apache.spark.sql.functions.*;

import io.idgraph.schema.Cols;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Compares idgraph's record-to-profile map with ground truth (source, record_id, person_id), pairwise:
 * a pair of records is predicted when both are in one profile and true when both belong to one person.
 * Counted combinatorially from (profile, person) cell sizes, never by listing pairs, and only over
 * records present in both inputs; records missing on either side are counted and reported apart.
 * With no predicted pairs precision is 1.0, with no true pairs recall is 1.0.
 */
public final class PairwiseEvaluation {
  private PairwiseEvaluation() {}

  private static Column pairs(Column n) {
    return n.multiply(n.minus(1)).divide(2).cast("long");
  }

  /** Records present in both inputs, with profile_id and person_id. */
  static Dataset<Row> matched(Dataset<Row> recordProfiles, Dataset<Row> truth) {
    Dataset<Row> t =
        truth.select(col(Cols.SOURCE), col(Cols.RECORD_ID), col(Cols.PERSON_ID)).distinct();
    // A record listed twice must not count its pairs twice.
    return recordProfiles
        .select(Cols.SOURCE, Cols.RECORD_ID, Cols.PROFILE_ID)
        .dropDuplicates(Cols.SOURCE, Cols.RECORD_ID)
        .join(t, List.of(Cols.SOURCE, Cols.RECORD_ID).toArray(String[]::new), "inner");
  }

  public static EvaluationResult evaluate(Dataset<Row> recordProfiles, Dataset<Row> truth) {
    Dataset<Row> matched = matched(recordProfiles, truth).cache();
    try {
      Row cells =
          matched
              .groupBy(Cols.PROFILE_ID, Cols.PERSON_ID)
              .agg(count(lit(1)).as("n"))
              .agg(coalesce(sum(pairs(col("n"))), lit(0L)), coalesce(sum("n"), lit(0L)))
              .first();
      long truePositives = cells.getLong(0);
      long matchedRecords = cells.getLong(1);
      Row byProfile =
          matched
              .groupBy(Cols.PROFILE_ID)
              .agg(count(lit(1)).as("n"), countDistinct(Cols.PERSON_ID).as("persons"))
              .agg(
                  coalesce(sum(pairs(col("n"))), lit(0L)),
                  count(lit(1)),
                  coalesce(sum(when(col("persons").gt(1), 1).otherwise(0)), lit(0L)).cast("long"),
                  coalesce(sum(when(col("persons").gt(1), col("n")).otherwise(0)), lit(0L)).cast("long"))
              .first();
      Row byPerson =
          matched
              .groupBy(Cols.PERSON_ID)
              .agg(count(lit(1)).as("n"), countDistinct(Cols.PROFILE_ID).as("profiles"))
              .agg(
                  coalesce(sum(pairs(col("n"))), lit(0L)),
                  count(lit(1)),
                  coalesce(sum(when(col("profiles").gt(1), 1).otherwise(0)), lit(0L)).cast("long"))
              .first();
      List<Row> largest =
          matched
              .groupBy(Cols.PROFILE_ID)
              .agg(count(lit(1)).as("n"), countDistinct(Cols.PERSON_ID).as("persons"))
              .orderBy(col("n").desc(), col(Cols.PROFILE_ID))
              .limit(1)
              .collectAsList();
      long truthRecords = truth.select(Cols.SOURCE, Cols.RECORD_ID).distinct().count();
      long outputRecords = recordProfiles.select(Cols.SOURCE, Cols.RECORD_ID).distinct().count();
      long predictedPairs = byProfile.getLong(0);
      long truePairs = byPerson.getLong(0);
      double precision = predictedPairs == 0 ? 1.0 : truePositives / (double) predictedPairs;
      double recall = truePairs == 0 ? 1.0 : truePositives / (double) truePairs;
      double f1 = precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);
      return new EvaluationResult(
          precision,
          recall,
          f1,
          truePositives,
          predictedPairs,
          truePairs,
          byProfile.getLong(1),
          byPerson.getLong(1),
          byProfile.getLong(2),
          byProfile.getLong(3),
          byPerson.getLong(2),
          largest.isEmpty() ? null : largest.get(0).getString(0),
          largest.isEmpty() ? 0 : largest.get(0).getLong(1),
          largest.isEmpty() ? 0 : largest.get(0).getLong(2),
          truthRecords,
          outputRecords,
          matchedRecords,
          truthRecords - matchedRecords,
          outputRecords - matchedRecords);
    } finally {
      matched.unpersist();
    }
  }

  /** Profiles holding records of more than one person: profile_id, persons, records; worst first. */
  public static Dataset<Row> overMergedProfiles(Dataset<Row> recordProfiles, Dataset<Row> truth) {
    return matched(recordProfiles, truth)
        .groupBy(Cols.PROFILE_ID)
        .agg(countDistinct(Cols.PERSON_ID).as("persons"), count(lit(1)).as("records"))
        .where(col("persons").gt(1))
        .orderBy(col("persons").desc(), col("records").desc(), col(Cols.PROFILE_ID));
  }
}
