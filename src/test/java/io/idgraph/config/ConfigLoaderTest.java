package io.idgraph.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idgraph.config.HashKeys.HashKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private Path write(String yaml) throws IOException {
    Path file = dir.resolve("job.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private LoadedConfig load(String yaml) throws IOException {
    return new ConfigLoader(Map.of("REGION", "DE")).load(write(yaml));
  }

  @Test
  void loadsTheBundledLocalConfigWithDefaults() {
    Path local = Path.of(System.getProperty("idgraph.repoRoot", "."), "jobs", "local.yaml");
    LoadedConfig config = new ConfigLoader(Map.of()).load(local);
    assertThat(config.job().sources())
        .extracting(SourceConfig::name)
        .containsExactly("crm", "email", "web", "support");
    assertThat(config.job().normalize().emailStripPlusTag()).isTrue();
    assertThat(config.job().history().reversibleDays()).isEqualTo(30);
    assertThat(config.job().graph().links("external_id:crm")).isTrue();
    assertThat(config.job().graph().links("fingerprint")).isFalse();
    assertThat(config.job().graph().algorithm()).isEqualTo("contraction");
    assertThat(config.job().graph().driverFinishMaxEdges()).isEqualTo(1_000_000L);
    assertThat(config.job().survivorship().strategyFor("first_name")).isEqualTo("most_recent");
    assertThat(config.job().survivorship().sourcePriority())
        .containsExactly("crm", "support", "email", "web");
  }

  @Test
  void sourceModesDefaultByTypeAndBadModesNameTheKey() throws IOException {
    LoadedConfig config =
        load(
            "sources:\n  - {name: crm, type: crm, path: a.csv}\n  - {name: web, type: web, path: w/}\n"
                + "  - {name: tickets, type: support, path: t.csv, mode: snapshot}\n");
    assertThat(config.job().sources())
        .extracting(SourceConfig::effectiveMode)
        .containsExactly("snapshot", "append", "snapshot");
    assertThatThrownBy(() -> load("sources:\n  - {name: crm, type: crm, path: a.csv, mode: daily}\n"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("sources[0].mode")
        .hasMessageContaining("daily");
    assertThatThrownBy(
            () ->
                load(
                    "sources:\n  - {name: l, type: generic, table: crm.members, record_id: id,"
                        + " identifiers: {email: mail}, mode: append}\n"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("sources[0].mode")
        .hasMessageContaining("a table");
  }

  @Test
  void unknownKeyNamesFileKeyPathAndLine() throws IOException {
    assertThatThrownBy(
            () -> load("sources:\n  - name: crm\n    type: crm\n    pth: crm.csv\n"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("job.yaml")
        .hasMessageContaining("sources[0].pth")
        .hasMessageContaining("line 4");
  }

  @Test
  void wronglyTypedValueNamesTheKey() throws IOException {
    assertThatThrownBy(
            () ->
                load(
                    "sources:\n  - {name: crm, type: crm, path: a.csv}\n"
                        + "history:\n  reversible_days: soon\n"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("history.reversible_days");
  }

  @Test
  void environmentVariablesAreSubstitutedAndMissingOnesReported() throws IOException {
    LoadedConfig config =
        load("sources:\n  - {name: crm, type: crm, path: a.csv, default_region: '${REGION}'}\n");
    assertThat(config.job().sources().get(0).defaultRegion()).isEqualTo("DE");
    assertThatThrownBy(() -> load("sources:\n  - {name: crm, type: crm, path: '${NOPE}'}\n"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("NOPE")
        .hasMessageContaining("line 2");
  }

  @Test
  void semanticChecksNameTheKey() {
    assertThatThrownBy(() -> load("sources: []\n"))
        .hasMessageContaining("'sources'");
    assertThatThrownBy(
            () -> load("sources:\n  - {name: crm, type: crm, path: a, default_region: USA}\n"))
        .hasMessageContaining("sources[0].default_region")
        .hasMessageContaining("USA");
    assertThatThrownBy(
            () ->
                load(
                    "sources:\n  - {name: crm, type: crm, path: a}\n  - {name: crm, type: email,"
                        + " path: b}\n"))
        .hasMessageContaining("sources[1].name");
    assertThatThrownBy(
            () -> load("sources:\n  - {name: crm, type: crm, path: a}\ngraph: {link_types: [ip]}\n"))
        .hasMessageContaining("graph.link_types");
    assertThatThrownBy(
            () -> load("sources:\n  - {name: crm, type: crm, path: a}\ngraph: {algorithm: pregel}\n"))
        .hasMessageContaining("graph.algorithm")
        .hasMessageContaining("contraction");
    assertThatThrownBy(
            () -> load("sources:\n  - {name: crm, type: crm, path: a}\ngraph: {driver_finish_max_edges: -1}\n"))
        .hasMessageContaining("graph.driver_finish_max_edges");
    assertThatThrownBy(() -> load(""))
        .hasMessageContaining("empty");
  }

  @Test
  void identityRulesAreChecked() {
    String source = "sources:\n  - {name: crm, type: crm, path: a}\n";
    assertThatThrownBy(() -> load(source + "rules: {hub_threshold: -1}\n"))
        .hasMessageContaining("rules.hub_threshold");
    assertThatThrownBy(() -> load(source + "rules: {block_patterns: {email: ['(']}}\n"))
        .hasMessageContaining("rules.block_patterns.email");
    assertThatThrownBy(() -> load(source + "rules: {block_values: {mail: [x]}}\n"))
        .hasMessageContaining("rules.block_values.mail");
    assertThatThrownBy(
            () -> load(source + "rules: {do_not_link: [{type: email, value: a@b.com, hash: ab}]}\n"))
        .hasMessageContaining("rules.do_not_link[0]");
    assertThatThrownBy(() -> load(source + "rules: {do_not_link: [{type: email, hash: xyz}]}\n"))
        .hasMessageContaining("rules.do_not_link[0].hash");
  }

  @Test
  void clusteringRulesAreCheckedAndMergedOverDefaults() throws IOException {
    String source = "sources:\n  - {name: crm, type: crm, path: a}\n";
    assertThatThrownBy(() -> load(source + "rules: {priority: [user_id, mail]}\n"))
        .hasMessageContaining("rules.priority").hasMessageContaining("'mail'");
    assertThatThrownBy(() -> load(source + "rules: {priority: [email, email]}\n"))
        .hasMessageContaining("rules.priority").hasMessageContaining("twice");
    assertThatThrownBy(() -> load(source + "rules: {limits: {email: -2}}\n"))
        .hasMessageContaining("rules.limits.email");
    assertThatThrownBy(() -> load(source + "rules: {limits: {fingerprint: 2}}\n"))
        .hasMessageContaining("rules.limits.fingerprint");
    assertThatThrownBy(() -> load(source + "rules: {hub_name_threshold: -3}\n"))
        .hasMessageContaining("rules.hub_name_threshold");
    assertThatThrownBy(() -> load(source + "rules: {max_profile_identifiers: -1}\n"))
        .hasMessageContaining("rules.max_profile_identifiers");
    assertThatThrownBy(() -> load(source + "rules: {do_not_link_pairs: [[{type: email, value: a@b.com}]]}\n"))
        .hasMessageContaining("rules.do_not_link_pairs[0]").hasMessageContaining("exactly two");
    assertThatThrownBy(
            () -> load(source + "rules: {do_not_link_pairs: [[{type: email, value: a@b.com}, {type: mail, value: b}]]}\n"))
        .hasMessageContaining("rules.do_not_link_pairs[0][1].type");
    RulesConfig rules = load(source + "rules: {limits: {email: 2, user_id: 0}}\n").job().rules();
    assertThat(rules.limits()).containsEntry("email", 2).containsEntry("user_id", 0).containsEntry("phone", 5);
    assertThat(rules.priority()).isEqualTo(RulesConfig.DEFAULT_PRIORITY);
    assertThat(rules.maxProfileIdentifiers()).isEqualTo(100);
  }

  @Test
  void scoringKeysAreCheckedAndAFixedModelMustListEveryLevel() throws IOException {
    String source = "sources:\n  - {name: crm, type: crm, path: a}\n";
    ScoringConfig defaults = load(source).job().scoring();
    assertThat(defaults.enabled()).isTrue();
    assertThat(defaults.mergeThreshold()).isEqualTo(0.85);
    assertThat(defaults.reviewFloor()).isEqualTo(0.60);
    assertThat(defaults.model()).isNull();
    assertThat(load(source + "scoring: {enabled: false}\n").job().scoring().enabled()).isFalse();
    assertThatThrownBy(() -> load(source + "scoring: {merge_threshold: 1.5}\n"))
        .hasMessageContaining("scoring.merge_threshold");
    assertThatThrownBy(() -> load(source + "scoring: {merge_threshold: 0.7, review_floor: 0.8}\n"))
        .hasMessageContaining("scoring.review_floor").hasMessageContaining("0.7");
    assertThat(load(source).job().history().minSourceRatio()).isEqualTo(0.5);
    assertThatThrownBy(() -> load(source + "history: {min_source_ratio: 1.5}\n"))
        .hasMessageContaining("history.min_source_ratio");
    assertThatThrownBy(() -> load(source + "scoring: {training: bayes}\n"))
        .hasMessageContaining("scoring.training").hasMessageContaining("'bayes'");
    assertThat(load(source + "scoring: {training: em}\n").job().scoring().training()).isEqualTo("em");
    assertThatThrownBy(() -> load(source + "scoring: {max_block_size: 1}\n"))
        .hasMessageContaining("scoring.max_block_size");
    assertThatThrownBy(() -> load(source + "scoring: {threshold: 0.9}\n"))
        .hasMessageContaining("threshold");
    String levels =
        "fingerprint: [0.9, 0.1], session_gap: [0.7, 0.1, 0.1, 0.1], ip_prefix: [0.8, 0.1, 0.1],"
            + " referral: [0.4, 0.3, 0.3], name: [0.7, 0.1, 0.1, 0.1], contact_part: [0.5, 0.3, 0.2]";
    ScoringConfig fixed =
        load(source + "scoring:\n  model: {prior: 0.0001, m: {" + levels + "}, u: {" + levels + "}}\n")
            .job()
            .scoring();
    assertThat(fixed.model().m().get("session_gap")).containsExactly(0.7, 0.1, 0.1, 0.1);
    assertThatThrownBy(
            () -> load(source + "scoring:\n  model: {prior: 0.0001, m: {" + levels + "}, u: {fingerprint: [0.9, 0.1]}}\n"))
        .hasMessageContaining("scoring.model.u.session_gap").hasMessageContaining("4 probabilities");
    assertThatThrownBy(
            () -> load(source + "scoring:\n  model: {prior: 0.0001, m: {" + levels.replace("[0.9, 0.1]", "[0.9, 0.3]")
                + "}, u: {" + levels + "}}\n"))
        .hasMessageContaining("scoring.model.m.fingerprint").hasMessageContaining("sum to 1");
    assertThatThrownBy(
            () -> load(source + "scoring:\n  model: {prior: 2, m: {" + levels + "}, u: {" + levels + "}}\n"))
        .hasMessageContaining("scoring.model.prior");
    assertThatThrownBy(
            () -> load(source + "scoring:\n  model: {prior: 0.1, m: {" + levels + ", distance: [1.0]}, u: {" + levels + "}}\n"))
        .hasMessageContaining("scoring.model.m.distance");
  }

  @Test
  void survivorshipDefaultsToMostRecentAndIsReadPerTrait() throws IOException {
    String sources =
        "sources:\n  - {name: crm, type: crm, path: a}\n  - {name: esp, type: email, path: b}\n";
    SurvivorshipConfig defaults = load(sources).job().survivorship();
    assertThat(defaults.strategyFor("first_name")).isEqualTo(SurvivorshipConfig.MOST_RECENT);
    assertThat(defaults.sourcePriority()).isEmpty();
    SurvivorshipConfig s =
        load(sources
                + "survivorship:\n  default: most_frequent\n  source_priority: [crm, esp]\n"
                + "  traits: {first_name: source_priority, email_consent: most_recent}\n")
            .job()
            .survivorship();
    assertThat(s.strategyFor("first_name")).isEqualTo(SurvivorshipConfig.SOURCE_PRIORITY);
    assertThat(s.strategyFor("email_consent")).isEqualTo(SurvivorshipConfig.MOST_RECENT);
    assertThat(s.strategyFor("city")).isEqualTo(SurvivorshipConfig.MOST_FREQUENT);
    assertThat(s.sourcePriority()).containsExactly("crm", "esp");
  }

  @Test
  void survivorshipStrategiesTraitsAndSourcesAreChecked() {
    String sources =
        "sources:\n  - {name: crm, type: crm, path: a}\n  - {name: esp, type: email, path: b}\n";
    assertThatThrownBy(() -> load(sources + "survivorship: {default: newest}\n"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("job.yaml")
        .hasMessageContaining("survivorship.default")
        .hasMessageContaining("'newest'");
    assertThatThrownBy(() -> load(sources + "survivorship: {traits: {city: longest}}\n"))
        .hasMessageContaining("survivorship.traits.city")
        .hasMessageContaining("'longest'");
    assertThatThrownBy(() -> load(sources + "survivorship: {traits: {shoe_size: most_recent}}\n"))
        .hasMessageContaining("survivorship.traits.shoe_size")
        .hasMessageContaining("not a profile trait");
    assertThatThrownBy(
            () ->
                load(sources
                    + "survivorship: {source_priority: [crm, email], traits: {city: source_priority}}\n"))
        .hasMessageContaining("job.yaml")
        .hasMessageContaining("survivorship.source_priority")
        .hasMessageContaining("'email' is not a source name")
        .hasMessageContaining("[crm, esp]");
    assertThatThrownBy(() -> load(sources + "survivorship: {source_priority: [crm, crm]}\n"))
        .hasMessageContaining("survivorship.source_priority")
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> load(sources + "survivorship: {default: source_priority}\n"))
        .hasMessageContaining("survivorship.source_priority")
        .hasMessageContaining("must list source names");
    assertThatThrownBy(() -> load(sources + "survivorship: {priority: [crm]}\n"))
        .hasMessageContaining("survivorship.priority")
        .hasMessageContaining("default, source_priority, traits");
  }

  @Test
  void missingConfigFileIsAnInputError() {
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(dir.resolve("nope.yaml")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("nope.yaml");
  }

  @Test
  void hashKeyComesFromEnvironmentFirstThenKeyFile() throws IOException {
    Files.writeString(dir.resolve("k.key"), "0123456789abcdef0123456789abcdef-file\n");
    LoadedConfig config =
        load("hashing: {key_file: k.key}\nsources:\n  - {name: crm, type: crm, path: a}\n");
    HashKey fromFile = HashKeys.resolve(config, Map.of());
    assertThat(new String(fromFile.bytes())).isEqualTo("0123456789abcdef0123456789abcdef-file");
    assertThat(fromFile.toString()).doesNotContain("0123456789");
    HashKey fromEnv =
        HashKeys.resolve(
            config, Map.of(HashKeys.ENV_VAR, "environment-key-environment-key-12345"));
    assertThat(new String(fromEnv.bytes())).startsWith("environment-key");
  }

  @Test
  void missingOrShortKeyIsAnError() throws IOException {
    LoadedConfig noKey = load("sources:\n  - {name: crm, type: crm, path: a}\n");
    assertThatThrownBy(() -> HashKeys.resolve(noKey, Map.of()))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining(HashKeys.ENV_VAR);
    assertThatThrownBy(() -> HashKeys.resolve(noKey, Map.of(HashKeys.ENV_VAR, "short-secret")))
        .hasMessageContaining("shorter than 32")
        .message()
        .doesNotContain("short-secret");
    LoadedConfig missingFile =
        load("hashing: {key_file: gone.key}\nsources:\n  - {name: crm, type: crm, path: a}\n");
    assertThatThrownBy(() -> HashKeys.resolve(missingFile, Map.of()))
        .hasMessageContaining("hashing.key_file")
        .hasMessageContaining("gone.key");
  }

  @Test
  void aKeyPastedIntoTheYamlIsRefusedWithoutEchoingIt() {
    String secret = "pasted-secret-pasted-secret-pasted-secret";
    assertThatThrownBy(
            () -> load("hashing: {key: " + secret + "}\nsources:\n  - {name: crm, type: crm, path: a}\n"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("hashing.key")
        .message()
        .doesNotContain(secret);
  }
}
