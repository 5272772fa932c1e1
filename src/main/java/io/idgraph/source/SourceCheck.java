package io.idgraph.source;

import io.idgraph.config.BadInputException;
import io.idgraph.config.SourceConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Config checks for one {@code sources[i]} entry, with messages that name the file and key. */
public final class SourceCheck {
  private final Path file;
  private final String prefix;

  public SourceCheck(Path file, String prefix) {
    this.file = file;
    this.prefix = prefix;
  }

  public BadInputException error(String key, String problem) {
    return new BadInputException(
        "Bad config " + file + ": key '" + prefix + "." + key + "' " + problem);
  }

  /** Fails on any key that is set but that this connector does not use. */
  public void onlyKeys(SourceConfig config, Set<String> allowed) {
    for (Map.Entry<String, Boolean> key : setKeys(config).entrySet()) {
      if (key.getValue() && !allowed.contains(key.getKey())) {
        Set<String> sorted = new TreeSet<>(allowed);
        throw error(
            key.getKey(),
            "is not used by connector type '" + config.type() + "' (it takes: " + sorted + ")");
      }
    }
  }

  public void require(boolean present, String key) {
    if (!present) {
      throw error(key, "is required for this connector type");
    }
  }

  private static Map<String, Boolean> setKeys(SourceConfig c) {
    Map<String, Boolean> set = new LinkedHashMap<>();
    set.put("path", c.path() != null);
    set.put("format", c.format() != null);
    set.put("table", c.table() != null);
    set.put("reader_options", !c.readerOptions().isEmpty());
    set.put("columns", !c.columns().isEmpty());
    set.put("default_region", c.defaultRegion() != null);
    set.put("record_id", c.recordId() != null);
    set.put("event_time", c.eventTime() != null);
    set.put("identifiers", !c.identifiers().isEmpty());
    set.put("traits", !c.traits().isEmpty());
    set.put("region_column", c.regionColumn() != null);
    set.put("entity_types", !c.entityTypes().isEmpty());
    set.put("options", !c.options().isEmpty());
    return set;
  }
}
