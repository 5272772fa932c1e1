package io.idgraph.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.idgraph.testing.Fixtures;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticExportsTest {
  private static final List<String> FILES =
      List.of("crm_contacts.csv", "email_subscribers.csv", "web_events.jsonl",
          "support_tickets.csv", "truth.csv", "cases.txt", "ceilings.txt", "scenarios.properties");
  private static final int LARGE = 2000;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static Path large;
  private static GenerationReport report;

  @BeforeAll
  static void generate() throws IOException {
    large = dir.resolve("large");
    report = new SyntheticExports(11, GeneratorRates.DEFAULTS).generate(LARGE, large);
  }

  @Test
  void sameSeedGivesByteIdenticalFiles() throws IOException {
    new SyntheticExports(5, GeneratorRates.DEFAULTS).generate(200, dir.resolve("first"));
    new SyntheticExports(5, GeneratorRates.DEFAULTS).generate(200, dir.resolve("second"));
    for (String file : FILES) {
      assertThat(dir.resolve("first").resolve(file))
          .as(file)
          .hasSameBinaryContentAs(dir.resolve("second").resolve(file));
    }
    new SyntheticExports(6, GeneratorRates.DEFAULTS).generate(200, dir.resolve("other"));
    assertThat(Files.readString(dir.resolve("other/web_events.jsonl")))
        .isNotEqualTo(Files.readString(dir.resolve("first/web_events.jsonl")));
  }

  @Test
  void committedSampleIsWhatTheDocumentedCommandWrites() throws IOException {
    new SyntheticExports(7, GeneratorRates.DEFAULTS).generate(300, dir.resolve("sample"));
    for (String file : FILES) {
      assertThat(dir.resolve("sample").resolve(file))
          .as("sample-data/%s is what `generate --persons 300 --seed 7` writes", file)
          .hasSameBinaryContentAs(Fixtures.repoRoot().resolve("sample-data").resolve(file));
    }
  }

  @Test
  void everyHardCaseOccursAtRoughlyItsRate() {
    for (HardCase c : HardCase.values()) {
      assertThat(report.count(c)).as(c.key()).isPositive();
    }
    GeneratorRates r = GeneratorRates.DEFAULTS;
    double crm = LARGE * r.crmContact();
    double web = LARGE * r.web();
    // Expected counts follow from the per-person rates; the band is loose (0.4x to 2.5x) so that a
    // change of draw order does not fail the test, but a broken rate does.
    assertNear(HardCase.JUNK_PHONE, crm * r.junkPhone());
    assertNear(HardCase.INVALID_PHONE, crm * r.invalidValue());
    assertNear(HardCase.INVALID_EMAIL, crm * r.invalidValue());
    assertNear(HardCase.SWITCHBOARD_PHONE, crm * r.switchboard());
    assertNear(HardCase.DUPLICATE_CONTACT_OLDER, crm * r.duplicateContact());
    assertNear(HardCase.EMPTY_RECORD_ID, crm * r.malformedRow());
    assertNear(HardCase.MALFORMED_CSV_ROW, 2 * crm * r.malformedRow());
    assertNear(HardCase.INVALID_JSON_LINE, web * r.malformedRow());
    assertNear(HardCase.EVENT_WITHOUT_MESSAGE_ID, web * r.malformedRow());
    assertNear(HardCase.SHARED_OFFICE_IP_AND_LAPTOP, web * r.office());
    assertNear(HardCase.JUNK_USER_ID, web * r.account() * r.junkUserId());
    assertNear(HardCase.SHARED_BROWSER, web * r.account() * r.sharedBrowser());
    assertNear(
        HardCase.JUNK_EMAIL, (r.crmContact() + r.subscriber()) * LARGE * r.junkEmail());
    // Rates that depend on several draws: plain bands.
    assertThat(report.count(HardCase.COOKIE_RESET)).isBetween(40L, 250L);
    assertThat(report.count(HardCase.ANONYMOUS_BEFORE_SIGNUP)).isBetween(500L, 2500L);
    assertThat(report.count(HardCase.LAPTOP_AND_PHONE)).isBetween(100L, 800L);
    assertThat(report.count(HardCase.TICKET_FROM_CRM_EMAIL)).isBetween(50L, 500L);
    assertThat(report.count(HardCase.EMAIL_CASE_AND_WHITESPACE)).isBetween(300L, 1500L);
    assertThat(report.count(HardCase.PHONE_NATIONAL_NON_US)).isBetween(30L, 400L);
    assertThat(report.count(HardCase.DUPLICATE_MESSAGE_ID)).isBetween(30L, 300L);
  }

  private static void assertNear(HardCase c, double expected) {
    assertThat(report.count(c))
        .as("%s, expected about %.0f", c.key(), expected)
        .isBetween(Math.round(expected * 0.4), Math.round(expected * 2.5) + 2);
  }

  @Test
  void truthListsEveryDistinctRecordIdOnce() throws IOException {
    List<String> truth = Files.readAllLines(large.resolve("truth.csv"));
    assertThat(truth.get(0)).isEqualTo("source,record_id,person_id");
    Set<String> inTruth = new HashSet<>();
    for (String line : truth.subList(1, truth.size())) {
      String[] f = line.split(",");
      assertThat(f).hasSize(3);
      assertThat(inTruth.add(f[0] + "/" + f[1])).as("unique %s", line).isTrue();
      assertThat(f[2]).matches("P\\d{6}");
    }
    assertThat(inTruth).hasSize((int) report.records());

    Set<String> inFiles = new HashSet<>();
    Map<String, String> csvSources =
        Map.of("crm", "crm_contacts.csv", "email", "email_subscribers.csv",
            "support", "support_tickets.csv");
    for (Map.Entry<String, String> e : csvSources.entrySet()) {
      List<String> lines = Files.readAllLines(large.resolve(e.getValue()));
      for (String line : lines.subList(1, lines.size())) {
        String id = line.substring(0, line.indexOf(','));
        if (!id.isEmpty()) {
          inFiles.add(e.getKey() + "/" + id);
        }
      }
    }
    for (JsonNode event : events()) {
      if (event.hasNonNull("messageId")) {
        inFiles.add("web/" + event.get("messageId").asText());
      }
    }
    assertThat(inTruth).isEqualTo(inFiles);
  }

  @Test
  void everyPhoneMeantValidValidatesWithLibphonenumber() throws IOException {
    int checked = 0;
    for (List<String> row : csv("crm_contacts.csv")) {
      if (row.size() == 11 && !row.get(0).isEmpty() && !isDeliberatelyBad(row.get(2))) {
        assertValid(row.get(2), row.get(7).isEmpty() ? "US" : row.get(7));
        checked++;
      }
    }
    for (List<String> row : csv("support_tickets.csv")) {
      if (!row.get(2).isEmpty()) {
        assertValid(row.get(2), "US");
        checked++;
      }
    }
    for (JsonNode event : events()) {
      JsonNode phone = event.path("traits").path("phone");
      if (phone.isTextual()) {
        assertValid(phone.asText(), "US");
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(1500);
  }

  private static boolean isDeliberatelyBad(String phone) {
    return phone.isEmpty() || phone.equals("12") || phone.equals("0000000000");
  }

  private static void assertValid(String raw, String region) {
    // "00" is the international prefix in the exports, whatever the reading region's own prefix is.
    String number = raw.strip().startsWith("00") ? "+" + raw.strip().substring(2) : raw;
    PhoneNumberUtil util = PhoneNumberUtil.getInstance();
    try {
      assertThat(util.isValidNumber(util.parse(number, region)))
          .as("%s in %s", raw, region)
          .isTrue();
    } catch (NumberParseException e) {
      throw new AssertionError(raw + " in " + region + ": " + e.getMessage(), e);
    }
  }

  @Test
  void scenarioIdsShowWhatTheyName() throws IOException {
    Properties s = new Properties();
    try (Reader r = Files.newBufferedReader(large.resolve("scenarios.properties"))) {
      s.load(r);
    }
    Map<String, JsonNode> byId = new HashMap<>();
    for (JsonNode event : events()) {
      if (event.hasNonNull("messageId")) {
        byId.putIfAbsent(event.get("messageId").asText(), event);
      }
    }
    Map<String, List<String>> contacts = new HashMap<>();
    for (List<String> row : csv("crm_contacts.csv")) {
      if (row.size() == 11) {
        contacts.put(row.get(0), row);
      }
    }

    // Anonymous before signup: no user id on the event, and its anonymous id is later identified
    // with the user id the CRM contact carries.
    JsonNode anonymous = byId.get(s.getProperty("anonymous_before_signup.message_id"));
    assertThat(anonymous.path("userId").isMissingNode() || anonymous.path("userId").isNull())
        .isTrue();
    String contactUser = contacts.get(s.getProperty("anonymous_before_signup.contact_id")).get(8);
    assertThat(contactUser).isNotEmpty();
    assertThat(byId.values())
        .anyMatch(
            e -> e.path("type").asText().equals("identify")
                && e.path("anonymousId").asText().equals(anonymous.get("anonymousId").asText())
                && e.path("userId").asText().equals(contactUser));

    String crmEmail = contacts.get(s.getProperty("crm_and_ticket.contact_id")).get(1);
    List<String> ticket =
        csv("support_tickets.csv").stream()
            .filter(row -> row.get(0).equals(s.getProperty("crm_and_ticket.ticket_id")))
            .findFirst()
            .orElseThrow();
    assertThat(clean(ticket.get(1))).isEqualTo(clean(crmEmail));

    String[] laptopAndPhone = s.getProperty("laptop_and_phone.message_ids").split(",");
    JsonNode one = byId.get(laptopAndPhone[0]);
    JsonNode two = byId.get(laptopAndPhone[1]);
    assertThat(one.get("userId").asText()).isEqualTo(two.get("userId").asText());
    assertThat(one.get("anonymousId").asText()).isNotEqualTo(two.get("anonymousId").asText());

    JsonNode a = byId.get(s.getProperty("shared_browser.message_id_a"));
    JsonNode b = byId.get(s.getProperty("shared_browser.message_id_b"));
    assertThat(a.get("anonymousId").asText()).isEqualTo(b.get("anonymousId").asText());
    assertThat(a.get("userId").asText()).isNotEqualTo(b.get("userId").asText());
    assertThat(List.of(a, b)).allMatch(e -> e.get("type").asText().equals("identify"));

    assertThat(s.getProperty("sample_emails").split("\\|")).hasSize(3);
    assertThat(s.getProperty("sample_phones").split("\\|")).hasSize(3);
  }

  private static String clean(String email) {
    return email.strip().toLowerCase(Locale.ROOT);
  }

  @Test
  void appIdentifyEventsCarryAPushEndpointAndBrowserEventsNoDeviceId() throws IOException {
    int app = 0;
    for (JsonNode event : events()) {
      boolean hasDevice = event.path("context").has("device");
      assertThat(hasDevice).as("%s", event).isEqualTo(event.path("properties").path("path").asText()
          .equals("app"));
      if (hasDevice && event.path("type").asText().equals("identify")) {
        assertThat(event.path("traits").path("push_endpoint").asText()).matches("(apns|fcm):\\w+");
        app++;
      }
    }
    assertThat(app).isPositive();
  }

  @Test
  void ceilingsAreRecallsAndDeviceLinksOnlyAdd() throws IOException {
    assertThat(report.deterministicRecall()).isGreaterThan(0.5).isLessThanOrEqualTo(1.0);
    assertThat(report.deterministicPlusDeviceRecall())
        .isGreaterThanOrEqualTo(report.deterministicRecall())
        .isLessThanOrEqualTo(1.0);
    assertThat(Files.readAllLines(large.resolve("ceilings.txt")))
        .containsExactly(
            "persons=" + LARGE,
            "records=" + report.records(),
            String.format(Locale.ROOT, "deterministic_recall=%.4f", report.deterministicRecall()),
            String.format(
                Locale.ROOT,
                "deterministic_plus_device_recall=%.4f",
                report.deterministicPlusDeviceRecall()));
  }

  /** Parsed events of the large run; invalid JSON lines (a deliberate hard case) are skipped. */
  private static List<JsonNode> events() throws IOException {
    List<JsonNode> events = new ArrayList<>();
    for (String line : Files.readAllLines(large.resolve("web_events.jsonl"))) {
      try {
        events.add(JSON.readTree(line));
      } catch (IOException invalidLine) {
        // counted as invalid_json_line; not an event
      }
    }
    return events;
  }

  /** Data rows of a CSV of the large run, with RFC 4180 quoting undone (one line per row). */
  private static List<List<String>> csv(String file) throws IOException {
    List<String> lines = Files.readAllLines(large.resolve(file));
    List<List<String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      List<String> fields = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = !quoted;
        } else if (c == ',' && !quoted) {
          fields.add(field.toString());
          field.setLength(0);
        } else {
          field.append(c);
        }
      }
      fields.add(field.toString());
      rows.add(fields);
    }
    return rows;
  }
}
