package io.idgraph.source;

import io.idgraph.config.BadInputException;
import io.idgraph.config.LoadedConfig;
import io.idgraph.config.SourceConfig;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Every {@link SourceConnector} found by {@link ServiceLoader} on the classpath, by type. Two connectors
 * with the same type are an error, so a plug-in cannot silently replace a built-in.
 */
public final class SourceRegistry {
  private final Map<String, SourceConnector> byType;

  private SourceRegistry(Map<String, SourceConnector> byType) {
    this.byType = byType;
  }

  public static SourceRegistry discover() {
    Map<String, SourceConnector> byType = new TreeMap<>();
    for (SourceConnector connector : ServiceLoader.load(SourceConnector.class)) {
      SourceConnector previous = byType.putIfAbsent(connector.type(), connector);
      if (previous != null) {
        throw new IllegalStateException(
            "Two source connectors claim type '"
                + connector.type()
                + "': "
                + previous.getClass().getName()
                + " and "
                + connector.getClass().getName());
      }
    }
    return new SourceRegistry(byType);
  }

  public List<String> types() {
    return List.copyOf(byType.keySet());
  }

  public SourceConnector get(String type) {
    SourceConnector connector = byType.get(type);
    if (connector == null) {
      throw new BadInputException("Unknown source type '" + type + "' (known: " + types() + ")");
    }
    return connector;
  }

  /** Checks every source entry of the config with its connector; runs before Spark starts. */
  public void validate(LoadedConfig config) {
    List<SourceConfig> sources = config.job().sources();
    for (int i = 0; i < sources.size(); i++) {
      SourceConfig source = sources.get(i);
      SourceCheck check = new SourceCheck(config.file(), "sources[" + i + "]");
      if (!byType.containsKey(source.type())) {
        throw check.error("type", "'" + source.type() + "' is not a known connector " + types());
      }
      byType.get(source.type()).validate(source, check);
    }
  }
}
