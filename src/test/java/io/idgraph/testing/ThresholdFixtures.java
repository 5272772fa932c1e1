package io.idgraph.testing;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A scored run of run-2 with known pairs between deterministic profiles d1..d7, as the nightly job
 * writes it (record_profiles and merge_candidates with all their columns), and its truth.
 *
 * <pre>
 *   d1 = a1 a2 (A)   d2 = a3 (A)      X: d1-d2 p=0.95 merged   (same person)
 *   d3 = b1 b2 (B)   d4 = c1 (C)      Y: d3-d4 p=0.70 pending  (different persons)
 *   d7 = b3 (B)                       W: d7-d3 p=0.62 pending  (same person)
 *   d5 = e1 (E)      d6 = f1 (F)      Z: d5-d6 p=0.99 refused  (different persons)
 *                                     run-1's d5-d6 p=0.99 merged: an older run, ignored
 * </pre>
 */
public final class ThresholdFixtures {
  private ThresholdFixtures() {}

  public static final String[] TRUTH = {
    "source,record_id,person_id",
    "crm,a1,A", "crm,a2,A", "web,a3,A",
    "crm,b1,B", "crm,b2,B", "web,b3,B",
    "web,c1,C", "crm,e1,E", "web,f1,F"
  };

  public static Dataset<Row> recordProfiles(SparkSession spark) {
    return spark.sql(
        "SELECT * FROM VALUES"
            + " ('crm','a1','P1','d1'), ('crm','a2','P1','d1'), ('web','a3','P1','d2'),"
            + " ('crm','b1','P3','d3'), ('crm','b2','P3','d3'), ('web','c1','P4','d4'),"
            + " ('crm','e1','P5','d5'), ('web','f1','P6','d6'), ('web','b3','P7','d7')"
            + " AS t(source, record_id, profile_id, deterministic_profile_id)")
        .selectExpr(
            "source", "record_id", "profile_id", "deterministic_profile_id",
            "TIMESTAMP'2025-03-01 10:00:00' AS event_time", "'run-2' AS run_id");
  }

  /** record_profiles as an older idgraph wrote it: no deterministic_profile_id. */
  public static Dataset<Row> olderRecordProfiles(SparkSession spark) {
    return recordProfiles(spark).drop("deterministic_profile_id");
  }

  public static Dataset<Row> mergeCandidates(SparkSession spark) {
    return spark.sql(
        "SELECT * FROM VALUES"
            + " ('run-2','cand-x','d1','d2',0.95D,4.1D,'merged','P1',CAST(NULL AS STRING)),"
            + " ('run-2','cand-y','d3','d4',0.70D,1.2D,'pending',NULL,'below merge threshold'),"
            + " ('run-2','cand-w','d7','d3',0.62D,0.7D,'pending',NULL,'below merge threshold'),"
            + " ('run-2','cand-z','d5','d6',0.99D,6.6D,'refused',NULL,'device shared by 40'),"
            + " ('run-1','cand-old','d5','d6',0.99D,6.6D,'merged','P5',NULL)"
            + " AS t(run_id, candidate_id, profile_a, profile_b, probability, match_weight, status,"
            + " profile_id, reason)")
        .selectExpr(
            "run_id", "candidate_id", "profile_a", "profile_b", "probability", "match_weight",
            "map('fingerprint', match_weight - 1D, 'prior', -1D) AS contributions",
            "map('fingerprint', 'exact') AS levels",
            "array('fp:laptop') AS blocking_keys",
            "status", "profile_id", "reason",
            "TIMESTAMP'2025-03-02 02:00:00' AS created_at");
  }

  public static Dataset<Row> truth(SparkSession spark) {
    StringBuilder values = new StringBuilder();
    for (int i = 1; i < TRUTH.length; i++) {
      String[] f = TRUTH[i].split(",");
      values.append(i > 1 ? ", " : "").append("('" + f[0] + "','" + f[1] + "','" + f[2] + "')");
    }
    return spark.sql(
        "SELECT * FROM VALUES " + values + " AS t(source, record_id, person_id)");
  }
}
