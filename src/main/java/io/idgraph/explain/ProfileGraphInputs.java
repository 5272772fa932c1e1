package io.idgraph.explain;

import static org.apache.spark.sql.functions.*;

import io.idgraph.config.BadInputException;
import io.idgraph.explain.ProfileGraph.Edge;
import io.idgraph.explain.ProfileGraph.Node;
import io.idgraph.normalize.IdType;
import io.idgraph.ops.ManualOperations;
import io.idgraph.schema.Cols;
import io.idgraph.scoring.ScoredLinks;
import io.idgraph.scoring.ScoringModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Collects one profile's identity graph ({@link ProfileGraph}) from the output tables. Every query
 * filters on the profile id, or on the at most {@link #MAX_NODES} hashes drawn, before anything
 * reaches the driver.
 *
 * <ul>
 *   <li>Nodes: the profile's identity_links rows; over the cap, known person types (email, phone,
 *       user id, external ids) first, then those on the most records.
 *   <li>Deterministic edges: identity_edges rows with both ends drawn (records carry both).
 *   <li>Probabilistic edges: merge_candidates rows merged into the profile, of the runs that wrote
 *       its identity_links; each joins two deterministic profiles and is drawn between their leading
 *       drawn identifiers (known types first, then the most records).
 *   <li>Manual edges: manual_operations merges and approvals whose two anchor records are both in
 *       the profile, drawn likewise between the anchors' deterministic profiles.
 *   <li>Held identifiers: link_decisions rules (of the same runs) on drawn identifiers.
 * </ul>
 */
public final class ProfileGraphInputs {
  /** The most identifiers drawn; the rest are counted and named in the drawing. */
  public static final int MAX_NODES = 200;
  /** The most deterministic edges drawn among the drawn identifiers. */
  public static final int MAX_EDGES = 2_000;

  private static final String X = Cols.INTERNAL_PREFIX + "x";
  private static final String T = Cols.INTERNAL_PREFIX + "t";
  private static final String H = Cols.INTERNAL_PREFIX + "h";
  private static final String A = Cols.INTERNAL_PREFIX + "a";

  private ProfileGraphInputs() {}

  /**
   * The output tables a graph is drawn from; the optional ones are absent from older outputs or
   * runs with scoring off, and then contribute nothing.
   */
  public record Tables(
      Dataset<Row> identityLinks,
      Dataset<Row> identityEdges,
      Dataset<Row> recordProfiles,
      Optional<Dataset<Row>> mergeCandidates,
      Optional<Dataset<Row>> linkDecisions,
      Optional<Dataset<Row>> manualOperations) {}

  /**
   * @param maxNodes the most identifiers drawn (at least 1)
   * @throws BadInputException when no identity_links row or record has the profile id
   */
  public static ProfileGraph collect(Tables tables, String profileId, int maxNodes) {
    Dataset<Row> links = tables.identityLinks().where(col(Cols.PROFILE_ID).equalTo(profileId));
    long total = links.count();
    if (total == 0) {
      throw new BadInputException(
          "Unknown profile id '" + profileId + "': no identity_links row has it");
    }
    Column known =
        col(Cols.ID_TYPE)
            .isin(IdType.EMAIL, IdType.PHONE, IdType.USER_ID)
            .or(col(Cols.ID_TYPE).startsWith(IdType.EXTERNAL_ID_PREFIX));
    List<Row> linkRows =
        links
            .orderBy(known.desc(), col(Cols.RECORD_COUNT).desc(), col(Cols.ID_TYPE), col(Cols.ID_HASH))
            .select(
                Cols.ID_TYPE,
                Cols.ID_HASH,
                Cols.RECORD_COUNT,
                Cols.LINK_METHOD,
                Cols.CONFIDENCE,
                Cols.RUN_ID)
            .limit(maxNodes)
            .collectAsList();
    Set<String> runIds = new TreeSet<>();
    List<String> hashes = new ArrayList<>();
    for (Row r : linkRows) {
      hashes.add(r.getString(1));
      if (!r.isNullAt(5)) {
        runIds.add(r.getString(5));
      }
    }
    Map<String, String> parts = parts(tables.recordProfiles(), profileId);
    Map<String, List<String>> rules =
        tables.linkDecisions().map(d -> rules(d, hashes, runIds)).orElse(Map.of());
    List<Node> nodes = new ArrayList<>();
    for (Row r : linkRows) {
      String key = r.getString(0) + ":" + r.getString(1);
      nodes.add(
          new Node(
              r.getString(0),
              r.getString(1),
              r.getLong(2),
              parts.get(key),
              r.getString(3),
              r.isNullAt(4) ? 1.0 : ((Number) r.get(4)).doubleValue(),
              rules.getOrDefault(key, List.of())));
    }

    List<Edge> edges = new ArrayList<>();
    long omitted = deterministicEdges(tables.identityEdges(), hashes, edges);
    Map<String, String> leaders = leaders(nodes);
    if (tables.mergeCandidates().isPresent()) {
      omitted += probabilisticEdges(tables.mergeCandidates().get(), profileId, runIds, leaders, edges);
    }
    if (tables.manualOperations().isPresent()) {
      omitted +=
          manualEdges(tables.manualOperations().get(), tables.recordProfiles(), profileId, leaders, edges);
    }
    return new ProfileGraph(profileId, nodes, edges, total - nodes.size(), omitted);
  }

  /**
   * "type:hash" → the deterministic profile holding most of the profile's records that carry it
   * (ties: the smaller id).
   */
  private static Map<String, String> parts(Dataset<Row> recordProfiles, String profileId) {
    Map<String, String> out = new HashMap<>();
    Map<String, Long> best = new HashMap<>();
    for (Row r :
        recordProfiles
            .where(col(Cols.PROFILE_ID).equalTo(profileId))
            .select(col(Cols.DETERMINISTIC_PROFILE_ID), explode(col(Cols.IDENTIFIERS)).as(X))
            .groupBy(
                col(Cols.DETERMINISTIC_PROFILE_ID),
                col(X).getField(Cols.ID_TYPE).as(T),
                col(X).getField(Cols.ID_HASH).as(H))
            .count()
            .orderBy(col("count").desc(), col(Cols.DETERMINISTIC_PROFILE_ID))
            .limit(MAX_EDGES * 10)
            .collectAsList()) {
      String key = r.getString(1) + ":" + r.getString(2);
      if (!best.containsKey(key)) {
        best.put(key, r.getLong(3));
        out.put(key, r.getString(0));
      }
    }
    return out;
  }

  /** "type:hash" → rules of link_decisions on it, for the given runs. */
  private static Map<String, List<String>> rules(
      Dataset<Row> decisions, List<String> hashes, Set<String> runIds) {
    Map<String, List<String>> out = new HashMap<>();
    for (Row r :
        decisions
            .where(col(Cols.ID_HASH).isin(hashes.toArray()).and(col(Cols.RUN_ID).isin(runIds.toArray())))
            .select(Cols.ID_TYPE, Cols.ID_HASH, Cols.RULE)
            .distinct()
            .orderBy(Cols.ID_TYPE, Cols.ID_HASH, Cols.RULE)
            .collectAsList()) {
      out.computeIfAbsent(r.getString(0) + ":" + r.getString(1), k -> new ArrayList<>())
          .add(r.getString(2));
    }
    return out;
  }

  /** Adds identity_edges rows between drawn hashes; returns how many were left out by the cap. */
  private static long deterministicEdges(Dataset<Row> identityEdges, List<String> hashes, List<Edge> edges) {
    Object[] drawn = hashes.toArray();
    Dataset<Row> between =
        identityEdges.where(col(Cols.SRC_HASH).isin(drawn).and(col(Cols.DST_HASH).isin(drawn)));
    List<Row> rows =
        between
            .orderBy(col(Cols.RECORD_COUNT).desc(), col(Cols.SRC_HASH), col(Cols.DST_HASH))
            .select(Cols.SRC_HASH, Cols.DST_HASH, Cols.METHOD, Cols.RULE, Cols.CONFIDENCE, Cols.RECORD_COUNT)
            .limit(MAX_EDGES + 1)
            .collectAsList();
    for (Row r : rows.subList(0, Math.min(MAX_EDGES, rows.size()))) {
      edges.add(
          new Edge(
              r.getString(0),
              r.getString(1),
              r.isNullAt(2) ? ProfileGraph.DETERMINISTIC : r.getString(2),
              r.getString(3),
              r.isNullAt(4) ? 1.0 : ((Number) r.get(4)).doubleValue(),
              r.isNullAt(5) ? 0 : ((Number) r.get(5)).longValue()));
    }
    return rows.size() > MAX_EDGES ? between.count() - MAX_EDGES : 0;
  }

  /** Deterministic profile → its leading drawn identifier's hash (nodes come leading-first). */
  private static Map<String, String> leaders(List<Node> nodes) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Node n : nodes) {
      if (n.part() != null) {
        out.putIfAbsent(n.part(), n.idHash());
      }
    }
    return out;
  }

  private static long probabilisticEdges(
      Dataset<Row> candidates,
      String profileId,
      Set<String> runIds,
      Map<String, String> leaders,
      List<Edge> edges) {
    long omitted = 0;
    for (Row r :
        candidates
            .where(
                col(Cols.PROFILE_ID)
                    .equalTo(profileId)
                    .and(col(Cols.STATUS).equalTo(ScoredLinks.MERGED))
                    .and(col(Cols.RUN_ID).isin(runIds.toArray())))
            .select(
                col(Cols.PROFILE_A),
                col(Cols.PROFILE_B),
                col(ScoringModel.PROBABILITY),
                col(ScoringModel.CONTRIBUTIONS))
            .orderBy(col(ScoringModel.PROBABILITY).desc(), col(Cols.PROFILE_A), col(Cols.PROFILE_B))
            .limit(MAX_EDGES)
            .collectAsList()) {
      String a = leaders.get(r.getString(0));
      String b = leaders.get(r.getString(1));
      if (a == null || b == null || a.equals(b)) {
        omitted++;
        continue;
      }
      Map<String, Object> weights = r.isNullAt(3) ? Map.of() : r.getJavaMap(3);
      edges.add(
          new Edge(
              a,
              b,
              ProfileGraph.PROBABILISTIC,
              signals(weights),
              r.isNullAt(2) ? Double.NaN : ((Number) r.get(2)).doubleValue(),
              0));
    }
    return omitted;
  }

  /** The signals that spoke for a pair, strongest first (the prior left out). */
  private static String signals(Map<String, Object> weights) {
    return String.join(
        ", ",
        weights.entrySet().stream()
            .filter(e -> !"prior".equals(e.getKey()) && e.getValue() != null)
            .filter(e -> ((Number) e.getValue()).doubleValue() > 0)
            .sorted(
                Comparator.comparingDouble((Map.Entry<String, Object> e) -> -((Number) e.getValue()).doubleValue())
                    .thenComparing(Map.Entry::getKey))
            .map(Map.Entry::getKey)
            .toList());
  }

  private static long manualEdges(
      Dataset<Row> operations,
      Dataset<Row> recordProfiles,
      String profileId,
      Map<String, String> leaders,
      List<Edge> edges) {
    Dataset<Row> records =
        recordProfiles
            .where(col(Cols.PROFILE_ID).equalTo(profileId))
            .select(col(Cols.SOURCE).as(T), col(Cols.RECORD_ID).as(H), col(Cols.DETERMINISTIC_PROFILE_ID).as(A));
    List<Row> rows =
        operations
            .where(col(ManualOperations.OPERATION).isin(ManualOperations.MERGE, ManualOperations.APPROVE))
            .select(
                col(ManualOperations.OP_ID),
                col(ManualOperations.ACTOR),
                posexplode(col(ManualOperations.ANCHOR_RECORDS)).as(new String[] {"pos", X}))
            .join(
                records,
                col(X).getField(ManualOperations.SOURCE)
                    .equalTo(col(T))
                    .and(col(X).getField(ManualOperations.RECORD_ID).equalTo(col(H))))
            .groupBy(col(ManualOperations.OP_ID), col(ManualOperations.ACTOR))
            .agg(array_sort(collect_list(struct(col("pos"), col(A)))).as(A))
            .where(size(col(A)).geq(2))
            .orderBy(col(ManualOperations.OP_ID))
            .limit(MAX_EDGES)
            .collectAsList();
    long omitted = 0;
    for (Row r : rows) {
      List<Row> anchors = r.getList(2);
      String a = leaders.get(anchors.get(0).getString(1));
      String b = leaders.get(anchors.get(1).getString(1));
      if (a == null || b == null || a.equals(b)) {
        // Both anchors in one deterministic profile: nothing left for the merge to join.
        omitted += a == null || b == null ? 1 : 0;
        continue;
      }
      edges.add(new Edge(a, b, ProfileGraph.MANUAL, "by " + r.getString(1), 1.0, 0));
    }
    return omitted;
  }
}
