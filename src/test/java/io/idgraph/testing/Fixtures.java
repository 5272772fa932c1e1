package io.idgraph.testing;

import io.idgraph.config.SourceConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

  /**
   * job.yaml in {@code dir} for multi-night tests: a CRM snapshot {@code crm.csv} and a web folder
   * {@code web/} read incrementally, scoring off, two shuffle partitions, the demo key, and no run
   * report unless {@code extra} has a {@code report:} line; {@code extra} adds top-level YAML lines.
   */
  public static Path crmAndWebFolderJob(Path dir, String... extra) {
    List<String> lines =
        new ArrayList<>(
            List.of(
                "hashing: {key_file: " + repoRoot().resolve("jobs/demo.key").toAbsolutePath() + ", demo_key: true}",
                "sources:",
                "  - {name: crm, type: crm, path: crm.csv, default_region: US}",
                "  - {name: web, type: web, path: web/, default_region: US}",
                "scoring: {enabled: false}",
                "spark: {conf: {spark.sql.shuffle.partitions: \"2\"}}"));
    lines.addAll(List.of(extra));
    if (lines.stream().noneMatch(l -> l.startsWith("report:"))) {
      // The report reads every table back after each night: seconds a night that only its own tests need.
      lines.add("report: {enabled: false}");
    }
    return write(dir, "job.yaml", lines.toArray(String[]::new));
  }

  public static Path repoRoot() {
    return Path.of(System.getProperty("idgraph.repoRoot", "."));
  }
}
