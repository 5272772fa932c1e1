package io.idgraph.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idgraph.config.HashKeys.HashKey;
import io.idgraph.source.SourceRegistry;
import io.idgraph.testing.Fixtures;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The example cluster config jobs/cluster.yaml loads and validates with the environment a scheduler
 * gives it, its source paths resolve to the URIs meant, and a missing variable or key is a config
 * error naming what is missing.
 */
class ClusterConfigTest {
  private static final Path CLUSTER_YAML = Fixtures.repoRoot().resolve("jobs/cluster.yaml");
  private static final String KEY = "a-secret-from-the-scheduler-0123456789";

  private static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("IDGRAPH_DEFAULT_REGION", "DE");
    env.put("IDGRAPH_WEB_EVENTS", "hdfs:///events/web");
    env.put(HashKeys.ENV_VAR, KEY);
    return env;
  }

  @Test
  void loadsAndValidatesWithTheSchedulersEnvironment() {
    LoadedConfig config = new ConfigLoader(env()).load(CLUSTER_YAML);
    SourceRegistry.discover().validate(config);

    assertThat(config.job().sources())
        .extracting(SourceConfig::name, SourceConfig::effectiveMode, SourceConfig::defaultRegion)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("crm", "snapshot", "DE"),
            org.assertj.core.groups.Tuple.tuple("email", "snapshot", null),
            org.assertj.core.groups.Tuple.tuple("web", "append", "DE"),
            org.assertj.core.groups.Tuple.tuple("support", "append", "DE"));
    // Cluster sizing belongs to jobs/cluster.properties: a spark.conf key here would override it.
    assertThat(config.job().spark().conf()).isEmpty();

    HashKey key = HashKeys.resolve(config, env());
    assertThat(key.demo()).isFalse();
    assertThat(key.origin()).contains(HashKeys.ENV_VAR);
    assertThat(new String(key.bytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(KEY);
  }

  @Test
  void sourcePathsResolveAgainstAUriInputRootOrStandAsUris() {
    LoadedConfig config = new ConfigLoader(env()).load(CLUSTER_YAML);
    String root = "s3a://acme-exports/idgraph/2026-11-24";
    Map<String, String> paths = new HashMap<>();
    for (SourceConfig source : config.job().sources()) {
      paths.put(source.name(), LoadedConfig.resolveSourcePath(root, source.path()));
    }
    assertThat(paths)
        .containsEntry("crm", "s3a://acme-exports/idgraph/2026-11-24/crm/contacts_*.csv")
        .containsEntry("email", "s3a://acme-exports/idgraph/2026-11-24/email/subscribers.csv")
        .containsEntry("web", "hdfs:///events/web/")
        .containsEntry("support", "s3a://acme-exports/idgraph/2026-11-24/support/tickets.csv");
    assertThat(LoadedConfig.resolveSourcePath("hdfs://nn:8020/exports/", "crm.csv"))
        .isEqualTo("hdfs://nn:8020/exports/crm.csv");
    assertThat(LoadedConfig.resolveSourcePath("/data/exports", "crm.csv"))
        .isEqualTo("/data/exports/crm.csv");
  }

  @Test
  void anUnsetVariableOrNoKeyIsABadConfig() {
    Map<String, String> noRegion = env();
    noRegion.remove("IDGRAPH_DEFAULT_REGION");
    assertThatThrownBy(() -> new ConfigLoader(noRegion).load(CLUSTER_YAML))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("cluster.yaml")
        .hasMessageContaining("IDGRAPH_DEFAULT_REGION is not set");

    Map<String, String> noKey = env();
    noKey.remove(HashKeys.ENV_VAR);
    LoadedConfig config = new ConfigLoader(noKey).load(CLUSTER_YAML);
    assertThatThrownBy(() -> HashKeys.resolve(config, noKey))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("No hashing key")
        .hasMessageContaining(HashKeys.ENV_VAR);
  }
}
