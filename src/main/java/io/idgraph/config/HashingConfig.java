package io.idgraph.config;

/**
 * Where the identifier-hashing key comes from. The environment variable {@code IDGRAPH_HASH_KEY}
 * always wins; otherwise {@code key_file} (relative to the config file's folder) is read. The key itself
 * never appears in YAML.
 *
 * @param keyFile path of a file holding the key (default: none)
 * @param demoKey marks the key file as the public demo key, so every run warns (default false)
 */
public record HashingConfig(String keyFile, Boolean demoKey) {
  public static final HashingConfig DEFAULTS = new HashingConfig(null, false);

  public HashingConfig {
    demoKey = demoKey != null && demoKey;
  }
}
