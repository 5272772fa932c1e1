package io.idgraph.config;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.idgraph.cluster.ContractingConnectedComponents;
import io.idgraph.profile.ProfileTables;
import io.idgraph.scoring.PairLevels;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks that hold for every config, whatever its connectors: source names, regions, link types,
 * numbers in range. Connector-specific keys are checked by each connector (see
 * io.idgraph.source.SourceRegistry). Every message names the file and the key.
 */
public final class ConfigValidator {
  private static final Pattern SOURCE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  private static final Pattern EXTERNAL_SYSTEM = Pattern.compile("external_id:[a-z0-9_]+");
  private static final Set<String> LINK_TYPES =
      Set.of("email", "phone", "user_id", "anonymous_id", "device_id", "push_endpoint", "external_id");
  private static final Set<String> ALGORITHMS = Set.of("contraction", "graphx");

  private final Path file;

  public ConfigValidator(Path file) {
    this.file = file;
  }

  public void validate(JobConfig job) {
    if (job.sources().isEmpty()) {
      throw error("sources", "at least one source is required");
    }
    Set<String> names = new HashSet<>();
    List<SourceConfig> sources = job.sources();
    for (int i = 0; i < sources.size(); i++) {
      SourceConfig s = sources.get(i);
      String at = "sources[" + i + "]";
      if (s.name() == null) {
        throw error(at + ".name", "is required");
      }
      if (!SOURCE_NAME.matcher(s.name()).matches()) {
        throw error(
            at + ".name", "'" + s.name() + "' must be lower-case letters, digits and _");
      }
      if (!names.add(s.name())) {
        throw error(at + ".name", "'" + s.name() + "' is used by two sources");
      }
      if (s.type() == null) {
        throw error(at + ".type", "is required");
      }
      if (s.mode() != null && !List.of(SourceConfig.SNAPSHOT, SourceConfig.APPEND).contains(s.mode())) {
        throw error(at + ".mode", "'" + s.mode() + "' is not one of [snapshot, append]");
      }
      if (SourceConfig.APPEND.equals(s.mode()) && !s.fileBased()) {
        throw error(
            at + ".mode",
            "append needs plain files (csv, json, parquet, orc, avro, text, xml); "
                + (s.table() != null ? "a table" : "format '" + s.format() + "'")
                + " is read whole every night: use snapshot");
      }
      if (s.defaultRegion() != null && !isRegion(s.defaultRegion())) {
        throw error(
            at + ".default_region",
            "'" + s.defaultRegion() + "' is not an ISO 3166 alpha-2 region code (e.g. US, DE, GB)");
      }
    }
    for (String type : job.graph().linkTypes()) {
      if (!LINK_TYPES.contains(type) && !EXTERNAL_SYSTEM.matcher(type).matches()) {
        throw error(
            "graph.link_types",
            "'" + type + "' is not a linkable identifier type (one of " + LINK_TYPES + ")");
      }
    }
    if (!ALGORITHMS.contains(job.graph().algorithm())) {
      throw error(
          "graph.algorithm", "'" + job.graph().algorithm() + "' is not one of " + ALGORITHMS);
    }
    long driverEdges = job.graph().driverFinishMaxEdges();
    if (driverEdges < 0 || driverEdges > ContractingConnectedComponents.MAX_DRIVER_EDGES) {
      throw error(
          "graph.driver_finish_max_edges",
          "must be between 0 (never finish on the driver) and "
              + ContractingConnectedComponents.MAX_DRIVER_EDGES
              + ", got "
              + driverEdges);
    }
    RulesConfig rules = job.rules();
    if (rules.hubThreshold() < 0) {
      throw error("rules.hub_threshold", "must be 0 (off) or more");
    }
    if (rules.hubNameThreshold() < 0) {
      throw error("rules.hub_name_threshold", "must be 0 (off) or more");
    }
    for (String type : rules.blockValues().keySet()) {
      requireIdType("rules.block_values." + type, type);
    }
    for (var e : rules.blockPatterns().entrySet()) {
      requireIdType("rules.block_patterns." + e.getKey(), e.getKey());
      for (String regex : e.getValue()) {
        try {
          Pattern.compile(regex);
        } catch (java.util.regex.PatternSyntaxException ex) {
          throw error("rules.block_patterns." + e.getKey(), "'" + regex + "' is not a regular expression: "
              + ex.getDescription());
        }
      }
    }
    for (int i = 0; i < rules.doNotLink().size(); i++) {
      requireIdentifier("rules.do_not_link[" + i + "]", rules.doNotLink().get(i));
    }
    for (int i = 0; i < rules.doNotLinkPairs().size(); i++) {
      String at = "rules.do_not_link_pairs[" + i + "]";
      List<RulesConfig.DoNotLink> pair = rules.doNotLinkPairs().get(i);
      if (pair == null || pair.size() != 2) {
        throw error(at, "must list exactly two identifiers, e.g. [{type: email, value: a@x.com}, "
            + "{type: email, value: b@x.com}]");
      }
      requireIdentifier(at + "[0]", pair.get(0));
      requireIdentifier(at + "[1]", pair.get(1));
    }
    Set<String> ranked = new HashSet<>();
    for (String type : rules.priority()) {
      if (!LINK_TYPES.contains(type) && !EXTERNAL_SYSTEM.matcher(String.valueOf(type)).matches()) {
        throw error("rules.priority", "'" + type + "' is not a linkable identifier type (one of "
            + LINK_TYPES + ")");
      }
      if (!ranked.add(type)) {
        throw error("rules.priority", "'" + type + "' is listed twice");
      }
    }
    for (var e : rules.limits().entrySet()) {
      String at = "rules.limits." + e.getKey();
      if (!LINK_TYPES.contains(e.getKey()) && !EXTERNAL_SYSTEM.matcher(e.getKey()).matches()) {
        throw error(at, "'" + e.getKey() + "' is not a linkable identifier type (one of " + LINK_TYPES + ")");
      }
      if (e.getValue() == null || e.getValue() < 0) {
        throw error(at, "must be a whole number: the most identifiers of this type in one profile (0: no limit)");
      }
    }
    if (rules.maxProfileIdentifiers() < 0) {
      throw error("rules.max_profile_identifiers", "must be 0 (off) or more");
    }
    if (job.history().reversibleDays() < 1) {
      throw error("history.reversible_days", "must be at least 1");
    }
    if (!(job.history().minSourceRatio() >= 0 && job.history().minSourceRatio() <= 1)) {
      throw error("history.min_source_ratio", "must be a share between 0 (off) and 1");
    }
    if (!(job.history().maxMergeRatio() >= 0 && job.history().maxMergeRatio() <= 1)) {
      throw error("history.max_merge_ratio", "must be a share between 0 (off) and 1");
    }
    validateScoring(job.scoring());
    validateSurvivorship(job.survivorship(), names);
  }

  private void validateSurvivorship(SurvivorshipConfig survivorship, Set<String> sourceNames) {
    List<String> strategies = SurvivorshipConfig.STRATEGIES;
    if (!strategies.contains(survivorship.defaultStrategy())) {
      throw error("survivorship.default", "'" + survivorship.defaultStrategy() + "' is not one of "
          + strategies);
    }
    for (var e : survivorship.traits().entrySet()) {
      String at = "survivorship.traits." + e.getKey();
      if (!ProfileTables.TRAITS.contains(e.getKey())) {
        throw error(at, "'" + e.getKey() + "' is not a profile trait (one of " + ProfileTables.TRAITS
            + ")");
      }
      if (!strategies.contains(e.getValue())) {
        throw error(at, "'" + e.getValue() + "' is not one of " + strategies);
      }
    }
    Set<String> ranked = new HashSet<>();
    for (String source : survivorship.sourcePriority()) {
      if (!sourceNames.contains(source)) {
        throw error("survivorship.source_priority", "'" + source + "' is not a source name (one of "
            + new java.util.TreeSet<>(sourceNames) + ")");
      }
      if (!ranked.add(source)) {
        throw error("survivorship.source_priority", "'" + source + "' is listed twice");
      }
    }
    boolean usesPriority =
        ProfileTables.TRAITS.stream()
            .anyMatch(t -> survivorship.strategyFor(t).equals(SurvivorshipConfig.SOURCE_PRIORITY));
    if (usesPriority && survivorship.sourcePriority().isEmpty()) {
      throw error("survivorship.source_priority", "must list source names, most trusted first, "
          + "for the traits that use source_priority");
    }
  }

  private void validateScoring(ScoringConfig scoring) {
    if (!(scoring.mergeThreshold() > 0 && scoring.mergeThreshold() < 1)) {
      throw error("scoring.merge_threshold", "must be a probability strictly between 0 and 1");
    }
    if (!(scoring.reviewFloor() > 0 && scoring.reviewFloor() <= scoring.mergeThreshold())) {
      throw error("scoring.review_floor", "must be above 0 and at most scoring.merge_threshold ("
          + scoring.mergeThreshold() + ")");
    }
    if (scoring.maxBlockSize() < 2) {
      throw error("scoring.max_block_size", "must be at least 2 (profiles sharing a key)");
    }
    if (scoring.randomPairs() < 1000) {
      throw error("scoring.random_pairs", "must be at least 1000 to estimate u");
    }
    if (!List.of(ScoringConfig.LABELS, ScoringConfig.EM).contains(scoring.training())) {
      throw error("scoring.training", "'" + scoring.training() + "' is not one of [labels, em]");
    }
    ScoringConfig.FixedModel model = scoring.model();
    if (model == null) {
      return;
    }
    if (model.prior() == null || !(model.prior() > 0 && model.prior() < 1)) {
      throw error("scoring.model.prior", "must be a probability strictly between 0 and 1");
    }
    for (String table : List.of("m", "u")) {
      java.util.Map<String, List<Double>> values = table.equals("m") ? model.m() : model.u();
      for (String name : values.keySet()) {
        if (!PairLevels.COMPARISONS.contains(name)) {
          throw error("scoring.model." + table + "." + name, "is not a comparison (one of "
              + PairLevels.COMPARISONS + ")");
        }
      }
      for (int k = 0; k < PairLevels.COMPARISONS.size(); k++) {
        String name = PairLevels.COMPARISONS.get(k);
        String at = "scoring.model." + table + "." + name;
        List<Double> levels = values.get(name);
        if (levels == null || levels.size() != PairLevels.LEVELS[k]) {
          throw error(at, "must list " + PairLevels.LEVELS[k] + " probabilities, one per level "
              + List.of(PairLevels.levelNames(k)));
        }
        double sum = 0;
        for (Double p : levels) {
          if (p == null || !(p > 0 && p <= 1)) {
            throw error(at, "every probability must be above 0 and at most 1");
          }
          sum += p;
        }
        if (Math.abs(sum - 1) > 0.01) {
          throw error(at, "must sum to 1 over the levels (sums to " + sum + ")");
        }
      }
    }
  }

  private void requireIdentifier(String at, RulesConfig.DoNotLink d) {
    if (d == null) {
      throw error(at, "is empty; give {type, value} or {type, hash}");
    }
    requireIdType(at + ".type", d.type());
    if ((d.value() == null) == (d.hash() == null)) {
      throw error(at, "needs exactly one of 'value' and 'hash'");
    }
    if (d.hash() != null && !d.hash().matches("[0-9a-fA-F]{64}")) {
      throw error(at + ".hash", "must be 64 hex digits (an idgraph identifier hash)");
    }
  }

  private void requireIdType(String key, String type) {
    if (type == null || !io.idgraph.normalize.IdType.isValidType(type)
        || io.idgraph.normalize.IdType.isSignalType(type)) {
      throw error(key, "'" + type + "' is not an identifier type");
    }
  }

  public static boolean isRegion(String code) {
    return PhoneNumberUtil.getInstance().getSupportedRegions().contains(code);
  }

  public BadInputException error(String key, String problem) {
    return new BadInputException("Bad config " + file + ": key '" + key + "' " + problem);
  }
}
