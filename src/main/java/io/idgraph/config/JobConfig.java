package io.idgraph.config;

import java.util.List;

/**
 * A whole job config, as loaded from YAML. Every section may be omitted and then takes its defaults;
 * {@code sources} must name at least one source.
 *
 * @param hashing where the identifier-hashing key comes from
 * @param sources the exports to read, each with a unique name
 * @param normalize identifier normalization options
 * @param graph which identifier types link records deterministically
 * @param history merge-history options
 * @param rules blocklists, hub isolation and do-not-link identifiers
 * @param scoring probabilistic scoring of candidate pairs: thresholds, blocking, fixed parameters
 * @param spark Spark properties applied on top of spark-submit's or the embedded defaults
 * @param survivorship which value of each profile trait survives (default: the most recent)
 * @param report whether each night writes report.html
 */
public record JobConfig(
    HashingConfig hashing,
    List<SourceConfig> sources,
    NormalizeConfig normalize,
    GraphConfig graph,
    HistoryConfig history,
    RulesConfig rules,
    ScoringConfig scoring,
    SparkConfig spark,
    SurvivorshipConfig survivorship,
    ReportConfig report) {

  public JobConfig {
    hashing = hashing == null ? HashingConfig.DEFAULTS : hashing;
    sources = sources == null ? List.of() : List.copyOf(sources);
    normalize = normalize == null ? NormalizeConfig.DEFAULTS : normalize;
    graph = graph == null ? GraphConfig.DEFAULTS : graph;
    history = history == null ? HistoryConfig.DEFAULTS : history;
    rules = rules == null ? RulesConfig.DEFAULTS : rules;
    scoring = scoring == null ? ScoringConfig.DEFAULTS : scoring;
    spark = spark == null ? SparkConfig.DEFAULTS : spark;
    survivorship = survivorship == null ? SurvivorshipConfig.DEFAULTS : survivorship;
    report = report == null ? ReportConfig.DEFAULTS : report;
  }
}
