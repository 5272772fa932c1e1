package io.idgraph.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.idgraph.normalize.PhoneNormalizer;
import io.idgraph.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticExportsTest {
  private static final List<String> FILES =
      List.of("crm_contacts.csv", "email_subscribers.csv", "web_events.jsonl",
          "support_tickets.csv", "truth.csv", "cases.txt", "ceilings.txt", "scenarios.properties");

  @TempDir static Path dir;
  private static GenerationReport large;

  @BeforeAll
  static void generate() throws IOException {
    large = new SyntheticExports(11, GeneratorRates.DEFAULTS).generate(2000, dir.resolve("large"));
  }

  @Test
  void sameSeedGivesIdenticalFilesAndTheCommittedSampleIsCurrent() throws IOException {
    new SyntheticExports(7, GeneratorRates.DEFAULTS).generate(300, dir.resolve("a"));
    for (String file : FILES) {
      assertThat(dir.resolve("a").resolve(file))
          .as("sample-data/%s is what `generate --persons 300 --seed 7` writes", file)
          .hasSameBinaryContentAs(Fixtures.repoRoot().resolve("sample-data").resolve(file));
    }
    new SyntheticExports(8, GeneratorRates.DEFAULTS).generate(300, dir.resolve("b"));
    assertThat(Files.readString(dir.resolve("b/web_events.jsonl")))
        .isNotEqualTo(Files.readString(dir.resolve("a/web_events.jsonl")));
  }

  @Test
  void everyHardCaseOccursAtRoughlyItsRate() {
    for (HardCase c : HardCase.values()) {
      assertThat(large.count(c)).as(c.key()).isPositive();
    }
    // Loose bands around the configured per-person rates (2000 persons).
    assertThat(large.count(HardCase.SHARED_BROWSER)).isBetween(10L, 80L);
    assertThat(large.count(HardCase.COOKIE_RESET)).isBetween(40L, 250L);
    assertThat(large.count(HardCase.ANONYMOUS_BEFORE_SIGNUP)).isBetween(500L, 2500L);
    assertThat(large.count(HardCase.JUNK_EMAIL)).isBetween(20L, 200L);
    assertThat(large.count(HardCase.SWITCHBOARD_PHONE)).isBetween(30L, 150L);
  }

  @Test
  void truthHasOneRowPerRecordIdAndEveryPersonIsKnown() throws IOException {
    List<String> truth = Files.readAllLines(dir.resolve("large/truth.csv"));
    assertThat(truth.get(0)).isEqualTo("source,record_id,person_id");
    Set<String> ids = new HashSet<>();
    for (String line : truth.subList(1, truth.size())) {
      String[] f = line.split(",");
      assertThat(f).hasSize(3);
      assertThat(ids.add(f[0] + "/" + f[1])).as("unique %s", line).isTrue();
      assertThat(f[2]).matches("P\\d{6}");
    }
    assertThat(ids).hasSize((int) large.records());
  }

  @Test
  void crmPhonesValidateUnlessMeantToBeBad() throws IOException {
    PhoneNormalizer phones = new PhoneNormalizer();
    List<String> rows = Files.readAllLines(dir.resolve("large/crm_contacts.csv"));
    int valid = 0;
    for (String row : rows.subList(1, rows.size())) {
      String[] f = row.split(",", -1);
      if (f.length != 11 || f[2].isEmpty() || f[2].equals("12") || f[2].equals("0000000000")) {
        continue;
      }
      String region = f[7].isEmpty() ? "US" : f[7];
      assertThat(phones.normalize(f[2], region).isPresent()).as(row).isTrue();
      valid++;
    }
    assertThat(valid).isGreaterThan(1000);
    assertThat(PhoneNumberUtil.getInstance()).isNotNull();
  }

  @Test
  void ceilingsAreRecallsAndDeviceLinksOnlyAdd() {
    assertThat(large.deterministicRecall()).isGreaterThan(0.5).isLessThanOrEqualTo(1.0);
    assertThat(large.deterministicPlusDeviceRecall())
        .isGreaterThanOrEqualTo(large.deterministicRecall())
        .isLessThanOrEqualTo(1.0);
  }
}
