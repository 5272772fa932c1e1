package io.idgraph.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idgraph.config.BadInputException;
import io.idgraph.config.ConfigLoader;
import io.idgraph.config.LoadedConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceRegistryTest {
  @TempDir Path dir;

  @Test
  void everyBuiltInConnectorIsDiscoverableOnce() {
    assertThat(SourceRegistry.discover().types())
        .containsExactlyInAnyOrder("crm", "email", "web", "support", "generic")
        .doesNotHaveDuplicates();
  }

  private void validate(String yaml) throws IOException {
    Path file = dir.resolve("job.yaml");
    Files.writeString(file, yaml);
    LoadedConfig config = new ConfigLoader(Map.of()).load(file);
    SourceRegistry.discover().validate(config);
  }

  @Test
  void connectorSpecificKeysAreChecked() {
    assertThatThrownBy(() -> validate("sources:\n  - {name: a, type: nosuch, path: x}\n"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("sources[0].type");
    assertThatThrownBy(
            () -> validate("sources:\n  - {name: a, type: crm, path: x, record_id: id}\n"))
        .hasMessageContaining("sources[0].record_id")
        .hasMessageContaining("crm");
    assertThatThrownBy(
            () -> validate("sources:\n  - {name: a, type: crm, path: x, columns: {mail: m}}\n"))
        .hasMessageContaining("sources[0].columns.mail");
    assertThatThrownBy(
            () ->
                validate(
                    "sources:\n  - {name: a, type: generic, path: x, record_id: id,"
                        + " identifiers: {mail: m}}\n"))
        .hasMessageContaining("sources[0].identifiers.mail");
    assertThatThrownBy(() -> validate("sources:\n  - {name: a, type: generic, path: x}\n"))
        .hasMessageContaining("sources[0].record_id");
  }
}
