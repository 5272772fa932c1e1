package io.idgraph.profile;

import static org.apache.spark.sql.functions.*;

import io.idgraph.config.SurvivorshipConfig;
import io.idgraph.schema.Cols;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Picks each profile's surviving trait values by the strategy configured per trait (see {@link
 * SurvivorshipConfig}) and says where each came from. Pure function of the records and the config.
 *
 * <p>Every strategy is one ordering of the (value, record) pairs of a trait, and the greatest pair
 * wins, so ties always resolve the same way:
 *
 * <ul>
 *   <li>{@code most_recent}: event time (records without one count as oldest), then the greater
 *       value, source name, record id.
 *   <li>{@code source_priority}: the source's rank in {@code survivorship.source_priority} (sources
 *       not listed rank after every listed one, equal among themselves), then as most_recent.
 *   <li>{@code most_frequent}: how many of the profile's records carry the value, then as
 *       most_recent (the value seen last wins a tie).
 * </ul>
 *
 * <p>Only non-empty values of the traits in {@link ProfileTables#TRAITS} take part. The winning record
 * is the provenance: for most_frequent, the latest record carrying the winning value.
 */
public final class Survivorship {
  private static final String P = Cols.INTERNAL_PREFIX + "sv_";
  private static final String TRAIT = P + "trait";
  private static final String VALUE = P + "value";
  private static final String RANK = P + "rank";
  private static final String COUNT = P + "count";
  private static final String BEST = P + "best";

  /** The type of profiles.trait_sources. */
  public static final String TRAIT_SOURCES_TYPE =
      "map<string,struct<source:string,record_id:string,observed_at:timestamp,strategy:string>>";

  private Survivorship() {}

  /**
   * One row per profile that has at least one trait value: profile_id, one column per trait in {@link
   * ProfileTables#TRAITS} (null when no record carries it), and trait_sources, trait name to
   * struct(source, record_id, observed_at, strategy) for the traits that have a value.
   */
  public static Dataset<Row> survivingTraits(Dataset<Row> records, SurvivorshipConfig config) {
    List<String> traits = ProfileTables.TRAITS;
    Column known = array(traits.stream().map(functions::lit).toArray(Column[]::new));
    Dataset<Row> observed =
        records
            .select(
                col(Cols.PROFILE_ID),
                col(Cols.SOURCE),
                col(Cols.RECORD_ID),
                col(Cols.EVENT_TIME),
                explode(
                        map_filter(
                            col(Cols.TRAITS),
                            (k, v) ->
                                array_contains(known, k).and(v.isNotNull()).and(v.notEqual(""))))
                    .as(new String[] {TRAIT, VALUE}))
            .withColumn(RANK, sourceRank(config));

    // Per value: how many records carry it, and its best record under the trait's ordering.
    Dataset<Row> perValue =
        observed
            .groupBy(col(Cols.PROFILE_ID), col(TRAIT), col(VALUE))
            .agg(
                count(lit(1)).as(COUNT),
                max(struct(
                        col(RANK).as("rank"),
                        col(Cols.EVENT_TIME).as("t"),
                        col(Cols.SOURCE).as("source"),
                        col(Cols.RECORD_ID).as("record_id")))
                    .as(BEST));

    // Per trait: the greatest value under its strategy's ordering.
    List<Column> winners = new ArrayList<>();
    for (String trait : traits) {
      Column frequency =
          config.strategyFor(trait).equals(SurvivorshipConfig.MOST_FREQUENT)
              ? col(COUNT)
              : lit(0L);
      winners.add(
          max(when(
                  col(TRAIT).equalTo(trait),
                  struct(
                      frequency.as("n"),
                      col(BEST).getField("rank").as("rank"),
                      col(BEST).getField("t").as("t"),
                      col(VALUE).as("value"),
                      col(BEST).getField("source").as("source"),
                      col(BEST).getField("record_id").as("record_id"))))
              .as(trait));
    }
    Dataset<Row> perProfile =
        perValue
            .groupBy(Cols.PROFILE_ID)
            .agg(winners.get(0), winners.subList(1, winners.size()).toArray(Column[]::new));

    List<Column> out = new ArrayList<>();
    List<Column> sources = new ArrayList<>();
    out.add(col(Cols.PROFILE_ID));
    for (String trait : traits) {
      Column w = col(trait);
      out.add(w.getField("value").as(trait));
      sources.add(lit(trait));
      sources.add(
          when(
              w.isNotNull(),
              struct(
                  w.getField("source").as(Cols.SOURCE),
                  w.getField("record_id").as(Cols.RECORD_ID),
                  w.getField("t").as(Cols.OBSERVED_AT),
                  lit(config.strategyFor(trait)).as(Cols.STRATEGY))));
    }
    out.add(
        map_filter(map(sources.toArray(Column[]::new)), (k, v) -> v.isNotNull())
            .as(Cols.TRAIT_SOURCES));
    return perProfile.select(out.toArray(Column[]::new));
  }

  /**
   * The source's rank for traits decided by source_priority: the first listed source ranks highest,
   * unlisted sources 0. Other traits rank every source 0, so time decides.
   */
  private static Column sourceRank(SurvivorshipConfig config) {
    List<String> byPriority =
        ProfileTables.TRAITS.stream()
            .filter(t -> config.strategyFor(t).equals(SurvivorshipConfig.SOURCE_PRIORITY))
            .toList();
    List<String> ranked = config.sourcePriority();
    if (byPriority.isEmpty() || ranked.isEmpty()) {
      return lit(0);
    }
    Column rank = lit(0);
    for (int i = ranked.size() - 1; i >= 0; i--) {
      rank = when(col(Cols.SOURCE).equalTo(ranked.get(i)), lit(ranked.size() - i)).otherwise(rank);
    }
    return when(col(TRAIT).isin(byPriority.toArray()), rank).otherwise(lit(0));
  }
}
