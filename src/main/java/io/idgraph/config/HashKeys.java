package io.idgraph.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds the identifier-hashing key before Spark starts: {@code IDGRAPH_HASH_KEY} from the environment,
 * else the config's {@code hashing.key_file}. A key shorter than 32 characters, an unreadable key file
 * or no key at all is a config error. The key is never logged.
 */
public final class HashKeys {
  public static final String ENV_VAR = "IDGRAPH_HASH_KEY";
  public static final int MIN_LENGTH = 32;

  private HashKeys() {}

  /** The key and whether it is the public demo key (which every run warns about). */
  public record HashKey(byte[] bytes, boolean demo, String origin) {
    @Override
    public String toString() {
      return "HashKey[origin=" + origin + ", key=<redacted>]";
    }
  }

  public static HashKey resolve(LoadedConfig config, Map<String, String> env) {
    String fromEnv = env.get(ENV_VAR);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return checked(fromEnv.strip(), false, "environment variable " + ENV_VAR);
    }
    String keyFile = config.job().hashing().keyFile();
    if (keyFile == null) {
      throw new BadInputException(
          "No hashing key: set the environment variable "
              + ENV_VAR
              + " (at least "
              + MIN_LENGTH
              + " characters) or hashing.key_file in "
              + config.file());
    }
    Path path = config.resolveNextToConfig(keyFile);
    String key;
    try {
      key = Files.readString(path, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new BadInputException(
          "Bad config " + config.file() + ": key 'hashing.key_file': cannot read " + path);
    }
    return checked(key, config.job().hashing().demoKey(), "key file " + path);
  }

  private static HashKey checked(String key, boolean demo, String origin) {
    if (key.length() < MIN_LENGTH) {
      throw new BadInputException(
          "The hashing key from " + origin + " is shorter than " + MIN_LENGTH + " characters");
    }
    return new HashKey(key.getBytes(StandardCharsets.UTF_8), demo, origin);
  }
}
