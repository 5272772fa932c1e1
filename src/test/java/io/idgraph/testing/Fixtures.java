package io.idgraph.testing;

import io.idgraph.config.SourceConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Small builders for test inputs. */
public final class Fixtures {
  private Fixtures() {}

  public static Path write(Path dir, String name, String... lines) {
    try {
      Path file = dir.resolve(name);
      Files.writeString(file, lines.length == 0 ? "" : String.join("\n", lines) + "\n");
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A source entry with only name, type, path and default region set. */
  public static SourceConfig source(String name, String type, String path, String region) {
    return source(name, type, path, region, Map.of());
  }

  public static SourceConfig source(
      String name, String type, String path, String region, Map<String, String> columns) {
    return new SourceConfig(
        name, type, path, null, null, null, columns, region, null, null, null, null, null,
        List.of(), null, null);
  }

  public static Path repoRoot() {
    return Path.of(System.getProperty("idgraph.repoRoot", "."));
  }
}
