package io.idgraph.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Loads a YAML job config into {@link JobConfig}: {@code ${NAME}} is replaced by the environment
 * variable NAME (undefined is an error), keys are snake_case, unknown keys and wrongly typed values are
 * errors naming the file, the key path and the line. Semantic checks follow in {@link ConfigValidator}.
 * Everything here happens before Spark starts.
 */
public final class ConfigLoader {
  private static final Pattern ENV_REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private final Map<String, String> env;

  public ConfigLoader(Map<String, String> env) {
    this.env = env;
  }

  public LoadedConfig load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new BadInputException("Cannot read config " + file + ": no such file");
    }
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new BadInputException("Cannot read config " + file + ": " + e.getMessage(), e);
    }
    JobConfig job = parse(file, substituteEnv(file, text));
    LoadedConfig loaded = new LoadedConfig(file, job);
    new ConfigValidator(file).validate(job);
    return loaded;
  }

  private String substituteEnv(Path file, String text) {
    Matcher m = ENV_REF.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = env.get(m.group(1));
      if (value == null) {
        int line = text.substring(0, m.start()).split("\n", -1).length;
        throw new BadInputException(
            "Bad config "
                + file
                + " line "
                + line
                + ": environment variable "
                + m.group(1)
                + " is not set");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  static ObjectMapper yamlMapper() {
    return new ObjectMapper(new YAMLFactory())
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  private static JobConfig parse(Path file, String text) {
    if (text.isBlank()) {
      throw new BadInputException("Bad config " + file + ": the file is empty");
    }
    try {
      return yamlMapper().readValue(text, JobConfig.class);
    } catch (UnrecognizedPropertyException e) {
      String where = keyLine(text, e.getPropertyName()).orElse(line(e));
      String known =
          e.getKnownPropertyIds().stream()
              .map(Object::toString)
              .sorted()
              .collect(Collectors.joining(", "));
      throw new BadInputException(
          "Bad config "
              + file
              + ": unknown key '"
              + keyPath(e)
              + "'"
              + where
              + " (known keys here: "
              + known
              + ")");
    } catch (JsonMappingException e) {
      throw new BadInputException(
          "Bad config "
              + file
              + ": bad value for key '"
              + keyPath(e)
              + "'"
              + line(e)
              + ": "
              + e.getOriginalMessage().split("\n")[0]);
    } catch (JsonProcessingException e) {
      throw new BadInputException(
          "Bad config " + file + line(e) + ": not valid YAML: " + e.getOriginalMessage());
    }
  }

  /**
   * Jackson's YAML location for an unknown key points past its value, so the key's own line is found
   * in the text (first line declaring that key).
   */
  private static java.util.Optional<String> keyLine(String text, String key) {
    Pattern declares = Pattern.compile("^\\s*(-\\s+)?['\"]?" + Pattern.quote(key) + "['\"]?\\s*:");
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (declares.matcher(lines[i]).find()) {
        return java.util.Optional.of(" at line " + (i + 1));
      }
    }
    return java.util.Optional.empty();
  }

  private static String line(JsonProcessingException e) {
    return e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
  }

  /** "sources[1].default_region" from Jackson's reference path. */
  static String keyPath(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }
}
