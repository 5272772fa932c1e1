package io.idgraph.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Generates the four standard exports (CRM contacts, email subscribers, web events, support tickets)
 * for N synthetic persons, with ground truth ({@code truth.csv}), hard-case counts ({@code cases.txt}),
 * recall ceilings ({@code ceilings.txt}) and concrete example ids ({@code scenarios.properties}).
 * Deterministic for a seed: the same seed gives byte-identical files (the clock is never read). Rows
 * are streamed; only one person's records are held at a time, plus a few shared devices.
 *
 * <p>Phones meant to be valid are drawn until libphonenumber validates them. Non-US phones appear as
 * national numbers only in the CRM (which carries the country); elsewhere they carry +/00.
 */
public final class SyntheticExports {
  private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");
  private static final DateTimeFormatter ISO_NO_OFFSET =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter ISO_PLUS_TWO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.ofHours(2));
  private static final String[] FIRST =
      "Ann Bob Carla Dmitri Eva Farid Greta Hugo Ines Jon Kira Lars Mia Noah Olga Piet Quinn Rosa Sven Tara Umar Vera Wim Xena Yusuf Zoe"
          .split(" ");
  private static final String[] LAST =
      "Lee Berg Costa Ivanov Novak Haddad Jensen Martin Silva Olsen Kowalski Meyer Dubois Smit Rossi Tanaka Walsh Young Brown Garcia"
          .split(" ");
  private static final String[] DOMAINS =
      "gmail.com yahoo.com outlook.com proton.me mail.de web.de orange.fr ziggo.nl".split(" ");
  private static final String[] COMPANIES =
      "Acme Globex Initech Umbrella Hooli Stark Wayne Tyrell Soylent Vandelay".split(" ");
  private static final String[] REGIONS = {"DE", "GB", "FR", "NL"};
  private static final Map<String, String> CITY =
      Map.of("US", "Austin", "DE", "Berlin", "GB", "London", "FR", "Paris", "NL", "Utrecht");
  private static final Map<String, String> TZ =
      Map.of(
          "US", "America/Chicago", "DE", "Europe/Berlin", "GB", "Europe/London",
          "FR", "Europe/Paris", "NL", "Europe/Amsterdam");
  private static final String[] USER_AGENTS = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) Mobile/15E148",
    "Mozilla/5.0 (Linux; Android 15; Pixel 9) Chrome/131.0 Mobile"
  };
  private static final String[] SCREENS = {"1920x1080", "1440x900", "2560x1440", "390x844", "412x915"};

  private final long seed;
  private final GeneratorRates rates;
  private final ObjectMapper json = new ObjectMapper();
  private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();

  public SyntheticExports(long seed, GeneratorRates rates) {
    this.seed = seed;
    this.rates = rates;
  }

  /** A browser or app a person uses; shared across persons in the shared-browser and office cases. */
  private record Device(
      String anonymousId, String deviceId, String userAgent, String screen, String tz,
      String locale, String ip) {
    boolean isApp() {
      return deviceId != null;
    }

    /** Derived from the device id, not drawn, so it shifts no later random draw. */
    String pushEndpoint() {
      String service = userAgent.contains("iPhone") ? "apns" : "fcm";
      return service + ":" + deviceId.substring(2);
    }

    String fingerprint() {
      return userAgent + "|" + screen + "|" + tz + "|" + locale;
    }
  }

  private record Phone(String e164, String region, PhoneNumber number) {}

  /** Per-run mutable state: writers, counters, ceilings and the examples for scenarios.properties. */
  private final class Run {
    final SplittableRandom rnd = new SplittableRandom(seed);
    final Writer crm;
    final Writer email;
    final Writer web;
    final Writer support;
    final Writer truth;
    final Map<HardCase, Long> cases = new EnumMap<>(HardCase.class);
    final Map<String, Long> rows = new LinkedHashMap<>();
    final Map<String, String> scenarios = new LinkedHashMap<>();
    final List<String> sampleEmails = new ArrayList<>();
    final List<String> samplePhones = new ArrayList<>();
    final List<String> junkEmailContacts = new ArrayList<>();
    final Ceilings ceilings = new Ceilings();
    final Phone[] switchboards = new Phone[2];
    final List<Device> offices = new ArrayList<>();
    long records;
    Device lastSharedBrowser;
    String lastSharedBrowserIdentify;

    Run(Path out) throws IOException {
      crm = open(out, "crm_contacts.csv");
      email = open(out, "email_subscribers.csv");
      web = open(out, "web_events.jsonl");
      support = open(out, "support_tickets.csv");
      truth = open(out, "truth.csv");
      Csv.row(crm, "contact_id", "email", "phone", "first_name", "last_name", "company", "city",
          "country", "user_id", "created_at", "updated_at");
      Csv.row(email, "subscriber_id", "email", "status", "first_name", "last_name",
          "subscribed_at", "last_opened_at");
      Csv.row(support, "ticket_id", "requester_email", "requester_phone", "requester_name",
          "channel", "subject", "created_at");
      Csv.row(truth, "source", "record_id", "person_id");
      for (int i = 0; i < switchboards.length; i++) {
        switchboards[i] = phone(rnd, "US");
      }
    }

    void count(HardCase c) {
      cases.merge(c, 1L, Long::sum);
    }

    void row(String file) {
      rows.merge(file, 1L, Long::sum);
    }

    void truth(String source, String recordId, String person) throws IOException {
      Csv.row(truth, source, recordId, person);
      records++;
    }

    void close() throws IOException {
      for (Writer w : List.of(crm, email, web, support, truth)) {
        w.close();
      }
    }
  }

  private static Writer open(Path out, String name) throws IOException {
    return Files.newBufferedWriter(out.resolve(name), StandardCharsets.UTF_8);
  }

  public GenerationReport generate(int persons, Path out) throws IOException {
    Files.createDirectories(out);
    Run run = new Run(out);
    for (int i = 1; i <= persons; i++) {
      person(run, i);
    }
    run.close();
    Map<String, Long> cases = new LinkedHashMap<>();
    for (HardCase c : HardCase.values()) {
      cases.put(c.key(), run.cases.getOrDefault(c, 0L));
    }
    GenerationReport report =
        new GenerationReport(
            persons,
            run.records,
            run.rows,
            cases,
            run.ceilings.deterministicRecall(),
            run.ceilings.deterministicPlusDeviceRecall());
    writeKeyValues(out.resolve("cases.txt"), cases);
    Map<String, Object> ceilings = new LinkedHashMap<>();
    ceilings.put("persons", persons);
    ceilings.put("records", run.records);
    ceilings.put("deterministic_recall", String.format(Locale.ROOT, "%.4f", report.deterministicRecall()));
    ceilings.put(
        "deterministic_plus_device_recall",
        String.format(Locale.ROOT, "%.4f", report.deterministicPlusDeviceRecall()));
    writeKeyValues(out.resolve("ceilings.txt"), ceilings);
    run.scenarios.put(
        "junk_email.contact_ids",
        String.join(",", run.junkEmailContacts.subList(0, Math.min(4, run.junkEmailContacts.size()))));
    run.scenarios.put("sample_emails", String.join("|", run.sampleEmails));
    run.scenarios.put("sample_phones", String.join("|", run.samplePhones));
    writeKeyValues(out.resolve("scenarios.properties"), run.scenarios);
    return report;
  }

  private static void writeKeyValues(Path file, Map<String, ?> values) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (Map.Entry<String, ?> e : values.entrySet()) {
        w.write(e.getKey() + "=" + e.getValue() + "\n");
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // One person

  private void person(Run run, int index) throws IOException {
    SplittableRandom rnd = run.rnd;
    String person = String.format("P%06d", index);
    String first = FIRST[rnd.nextInt(FIRST.length)];
    String last = LAST[rnd.nextInt(LAST.length)];
    String country = rnd.nextDouble() < rates.nonUs() ? REGIONS[rnd.nextInt(REGIONS.length)] : "US";
    // Unique per person, as real addresses are: shared addresses are a hard case of their own, made
    // on purpose (junk values), never by accident of a small name list.
    String emailAddress =
        (rnd.nextBoolean() ? first + "." + last : first.charAt(0) + last)
                .toLowerCase(Locale.ROOT)
            + index
            + "@"
            + DOMAINS[rnd.nextInt(DOMAINS.length)];
    Phone phone = phone(rnd, country);
    String userId = rnd.nextDouble() < rates.account() ? String.format("u%07d", index) : null;
    Instant start = BASE.plus(rnd.nextInt(300), ChronoUnit.DAYS).plusSeconds(rnd.nextInt(86_400));
    List<Ceilings.Rec> recs = new ArrayList<>();
    String cleanEmailKey = "email:" + emailAddress;
    String cleanPhoneKey = "phone:" + phone.e164();

    boolean hasCrm = rnd.nextDouble() < rates.crmContact();
    String crmEmailWritten = null;
    String contactId = String.format("C%06d", index);
    if (hasCrm) {
      crmEmailWritten = crmContact(run, person, contactId, first, last, country, emailAddress,
          phone, userId, start, recs, cleanEmailKey, cleanPhoneKey);
    }
    if (rnd.nextDouble() < rates.subscriber()) {
      subscriber(run, person, String.format("S%06d", index), first, last, emailAddress, start, recs,
          cleanEmailKey);
    }
    if (rnd.nextDouble() < rates.web()) {
      webEvents(run, person, index, first, last, country, emailAddress, phone, userId, start, recs,
          hasCrm ? contactId : null, cleanEmailKey, cleanPhoneKey);
    }
    if (rnd.nextDouble() < rates.tickets()) {
      tickets(run, person, index, first, last, emailAddress, crmEmailWritten, phone, start, recs,
          hasCrm ? contactId : null, cleanEmailKey, cleanPhoneKey);
    }
    run.ceilings.addPerson(recs);
  }

  private String crmContact(Run run, String person, String contactId, String first, String last,
      String country, String email, Phone phone, String userId, Instant start,
      List<Ceilings.Rec> recs, String cleanEmailKey, String cleanPhoneKey) throws IOException {
    SplittableRandom rnd = run.rnd;
    Set<String> keys = new LinkedHashSet<>();
    String writtenEmail = email;
    double e = rnd.nextDouble();
    if (e < rates.junkEmail()) {
      writtenEmail = rnd.nextBoolean() ? "no@email.com" : "test@test.com";
      run.count(HardCase.JUNK_EMAIL);
      run.junkEmailContacts.add(contactId);
    } else if (e < rates.junkEmail() + rates.invalidValue()) {
      writtenEmail = rnd.nextBoolean() ? first.toLowerCase(Locale.ROOT) + "@" : "bob at x.com";
      run.count(HardCase.INVALID_EMAIL);
    } else {
      keys.add(cleanEmailKey);
      if (rnd.nextDouble() < rates.emailVariant()) {
        writtenEmail = variant(rnd, email);
        run.count(HardCase.EMAIL_CASE_AND_WHITESPACE);
      }
    }
    String company = COMPANIES[rnd.nextInt(COMPANIES.length)];
    String writtenPhone;
    double p = rnd.nextDouble();
    if (p < rates.junkPhone()) {
      writtenPhone = "0000000000";
      run.count(HardCase.JUNK_PHONE);
    } else if (p < rates.junkPhone() + rates.invalidValue()) {
      writtenPhone = "12";
      run.count(HardCase.INVALID_PHONE);
    } else if (p < rates.junkPhone() + rates.invalidValue() + rates.switchboard()) {
      int s = rnd.nextInt(run.switchboards.length);
      // A US switchboard is written in national form only for US contacts.
      writtenPhone = format(run.switchboards[s], rnd, country.equals("US"));
      company = COMPANIES[s];
      keys.add("phone:switchboard-" + s + ":" + person);
      run.count(HardCase.SWITCHBOARD_PHONE);
    } else if (p < 0.9) {
      writtenPhone = formatCounted(run, phone, rnd, true);
      keys.add(cleanPhoneKey);
    } else {
      writtenPhone = "";
    }
    if (userId != null) {
      keys.add("user:" + userId);
    }
    Instant created = start.minus(rnd.nextInt(200) + 1, ChronoUnit.DAYS);
    Instant updated = start.plus(rnd.nextInt(30), ChronoUnit.DAYS);
    String updatedText = time(rnd, updated, true);
    if (rnd.nextDouble() < rates.invalidValue()) {
      updatedText = "yesterday";
      run.count(HardCase.UNPARSEABLE_TIMESTAMP);
    }
    // A US contact sometimes has no country: its national phone number is then read in the
    // source's default region (US).
    String countryText = country.equals("US") && rnd.nextInt(4) == 0 ? "" : country;
    String[] row = {contactId, writtenEmail, writtenPhone, first, last, company, CITY.get(country),
        countryText, userId == null ? "" : userId, time(rnd, created, true), updatedText};
    boolean duplicate = rnd.nextDouble() < rates.duplicateContact();
    if (duplicate) {
      // An older version of the same contact, with a since-changed email: it must lose.
      String[] older = row.clone();
      older[1] = "old." + email;
      older[10] = time(rnd, created.plus(1, ChronoUnit.DAYS), true);
      Csv.row(run.crm, older);
      run.row("crm_contacts.csv");
      run.count(HardCase.DUPLICATE_CONTACT_OLDER);
    }
    Csv.row(run.crm, row);
    run.row("crm_contacts.csv");
    run.truth("crm", contactId, person);
    recs.add(new Ceilings.Rec(keys, Set.of()));
    if (run.sampleEmails.size() < 3 && keys.contains(cleanEmailKey) && !writtenEmail.contains(",")) {
      run.sampleEmails.add(writtenEmail);
    }
    if (run.samplePhones.size() < 3 && keys.contains(cleanPhoneKey) && !writtenPhone.isEmpty()
        && phone.region().equals("US")) {
      run.samplePhones.add(writtenPhone);
    }
    if (rnd.nextDouble() < rates.malformedRow()) {
      malformedCrmRows(run, person, contactId);
    }
    return keys.contains(cleanEmailKey) ? writtenEmail : null;
  }

  private void malformedCrmRows(Run run, String person, String contactId) throws IOException {
    // Wrong column count, broken quoting, and a row without an id: all rejected whole.
    run.crm.write(contactId + "W,too,few,columns\n");
    run.truth("crm", contactId + "W", person);
    run.crm.write(contactId + "Q,\"broken quote@example.com,,Ann,Lee,,,US,,2026-01-01,\n");
    run.truth("crm", contactId + "Q", person);
    run.crm.write(",nobody@example.com,,No,Id,,,US,,2026-01-01,2026-01-02\n");
    run.rows.merge("crm_contacts.csv", 3L, Long::sum);
    run.cases.merge(HardCase.MALFORMED_CSV_ROW, 2L, Long::sum);
    run.count(HardCase.EMPTY_RECORD_ID);
  }

  private void subscriber(Run run, String person, String id, String first, String last,
      String email, Instant start, List<Ceilings.Rec> recs, String cleanEmailKey)
      throws IOException {
    SplittableRandom rnd = run.rnd;
    Set<String> keys = new LinkedHashSet<>();
    String written = email;
    if (rnd.nextDouble() < rates.junkEmail()) {
      written = "test@test.com";
      run.count(HardCase.JUNK_EMAIL);
    } else {
      keys.add(cleanEmailKey);
      double v = rnd.nextDouble();
      if (v < rates.emailVariant()) {
        written = variant(rnd, email);
        run.count(HardCase.EMAIL_CASE_AND_WHITESPACE);
      } else if (v < rates.emailVariant() * 1.5) {
        int at = email.indexOf('@');
        written = email.substring(0, at) + "+news" + email.substring(at);
      }
    }
    String status = rnd.nextInt(10) < 7 ? "subscribed" : rnd.nextBoolean() ? "unsubscribed" : "cleaned";
    Instant subscribed = start.minus(rnd.nextInt(100), ChronoUnit.DAYS);
    String opened = rnd.nextInt(3) == 0 ? "" : time(rnd, start.plus(rnd.nextInt(60), ChronoUnit.DAYS), true);
    Csv.row(run.email, id, written, status, first, rnd.nextBoolean() ? last : "",
        time(rnd, subscribed, true), opened);
    run.row("email_subscribers.csv");
    run.truth("email", id, person);
    recs.add(new Ceilings.Rec(keys, Set.of()));
  }

  private void webEvents(Run run, String person, int index, String first, String last,
      String country, String email, Phone phone, String userId, Instant start,
      List<Ceilings.Rec> recs, String contactId, String cleanEmailKey, String cleanPhoneKey)
      throws IOException {
    SplittableRandom rnd = run.rnd;
    int[] seq = {0};
    Instant t = start;
    String homeIp = (81 + rnd.nextInt(100)) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "."
        + (1 + rnd.nextInt(254));
    int deviceCount = 1 + (rnd.nextInt(10) < 6 ? 0 : rnd.nextInt(10) < 7 ? 1 : 2);
    int loggedInDevices = 0;
    boolean junkUser = userId != null && rnd.nextDouble() < rates.junkUserId();

    // Shared browser: this person logs in with their own user id on the previous person's browser.
    if (userId != null && run.lastSharedBrowser != null && rnd.nextDouble() < rates.sharedBrowser()) {
      Device shared = run.lastSharedBrowser;
      String id = messageId(index, seq);
      writeEvent(run, person, id, "identify", shared, userId, null, t,
          traits(shared, email, null, first, last),
          recs, Set.of("anon:" + shared.anonymousId(), "user:" + userId, cleanEmailKey), Set.of());
      run.count(HardCase.SHARED_BROWSER);
      if (!run.scenarios.containsKey("shared_browser.message_id_a")) {
        run.scenarios.put("shared_browser.message_id_a", run.lastSharedBrowserIdentify);
        run.scenarios.put("shared_browser.message_id_b", id);
      }
      run.lastSharedBrowser = null;
      t = t.plusSeconds(600);
    }

    List<String> loggedInMessages = new ArrayList<>();
    for (int d = 0; d < deviceCount; d++) {
      Device device = device(run, rnd, country, homeIp, d, d == 0 && rnd.nextDouble() < rates.office());
      int before = rnd.nextInt(4);
      String firstAnonymous = null;
      String signedIn = null;
      for (int k = 0; k < before; k++) {
        String id = messageId(index, seq);
        firstAnonymous = firstAnonymous == null ? id : firstAnonymous;
        writeEvent(run, person, id, device.isApp() ? "screen" : "page", device, null, null, t, null,
            recs, Set.of("anon:" + device.anonymousId()) , Set.of(device.fingerprint()));
        t = t.plusSeconds(30 + rnd.nextInt(600));
      }
      boolean logsIn = userId != null && (d == 0 || rnd.nextInt(3) > 0);
      if (logsIn) {
        String uid = junkUser && d == 0 ? "undefined" : userId;
        if (uid.equals("undefined")) {
          run.count(HardCase.JUNK_USER_ID);
        }
        boolean withPhone = rnd.nextInt(3) == 0;
        String writtenEmail = rnd.nextDouble() < rates.emailVariant() ? variant(rnd, email) : email;
        String writtenPhone = withPhone ? international(phone, rnd) : null;
        Set<String> keys = new LinkedHashSet<>();
        keys.add("anon:" + device.anonymousId());
        keys.add(cleanEmailKey);
        if (withPhone) {
          keys.add(cleanPhoneKey);
        }
        if (!uid.equals("undefined")) {
          keys.add("user:" + uid);
        }
        if (device.isApp()) {
          keys.add("device:" + device.deviceId());
        }
        String identify = messageId(index, seq);
        signedIn = identify;
        writeEvent(run, person, identify, "identify", device, uid, null, t,
            traits(device, writtenEmail, writtenPhone, first, last), recs, keys,
            Set.of(device.fingerprint()));
        if (!device.isApp() && device.anonymousId().startsWith("a-") && d == 0) {
          run.lastSharedBrowser = device;
          run.lastSharedBrowserIdentify = identify;
        }
        t = t.plusSeconds(60);
        int after = 1 + rnd.nextInt(4);
        for (int k = 0; k < after; k++) {
          String id = messageId(index, seq);
          Set<String> ks = new LinkedHashSet<>(List.of("anon:" + device.anonymousId()));
          if (!uid.equals("undefined")) {
            ks.add("user:" + uid);
          }
          if (device.isApp()) {
            ks.add("device:" + device.deviceId());
          }
          writeEvent(run, person, id, k % 2 == 0 ? "track" : device.isApp() ? "screen" : "page",
              device, uid, k % 2 == 0 ? "Product Viewed" : null, t, null, recs, ks,
              Set.of(device.fingerprint()));
          t = t.plusSeconds(30 + rnd.nextInt(900));
          if (k == 0 && !uid.equals("undefined")) {
            loggedInMessages.add(id);
          }
        }
        if (!uid.equals("undefined")) {
          loggedInDevices++;
        }
        if (firstAnonymous != null) {
          run.count(HardCase.ANONYMOUS_BEFORE_SIGNUP);
          if (contactId != null && !uid.equals("undefined")
              && !run.scenarios.containsKey("anonymous_before_signup.message_id")) {
            run.scenarios.put("anonymous_before_signup.message_id", firstAnonymous);
            run.scenarios.put("anonymous_before_signup.contact_id", contactId);
          }
        }
      } else if (userId == null && rnd.nextInt(5) == 0) {
        // Newsletter sign-up on the site: an identify with traits but no user id.
        writeEvent(run, person, messageId(index, seq), "identify", device, null, null, t,
            traits(device, email, null, first, last), recs,
            Set.of("anon:" + device.anonymousId(), cleanEmailKey), Set.of(device.fingerprint()));
      }
      if (!device.isApp() && rnd.nextDouble() < rates.cookieReset()) {
        // Cookie reset: same browser, same IP, new anonymous id, no login afterwards.
        Device reset = new Device("a-" + hex(rnd, 12), null, device.userAgent(), device.screen(),
            device.tz(), device.locale(), device.ip());
        String firstReset = null;
        for (int k = 0; k < 1 + rnd.nextInt(3); k++) {
          String id = messageId(index, seq);
          firstReset = firstReset == null ? id : firstReset;
          writeEvent(run, person, id, "page", reset, null, null, t, null, recs,
              Set.of("anon:" + reset.anonymousId()), Set.of(reset.fingerprint()));
          t = t.plusSeconds(120);
        }
        run.count(HardCase.COOKIE_RESET);
        boolean signsInAgain = logsIn && !(junkUser && d == 0) && rnd.nextBoolean();
        if (!signsInAgain && signedIn != null && !(junkUser && d == 0)
            && !run.scenarios.containsKey("cookie_reset.message_id")) {
          run.scenarios.put("cookie_reset.message_id", firstReset);
          run.scenarios.put("cookie_reset.signed_in_message_id", signedIn);
        }
        if (signsInAgain) {
          // Half of the signed-in people sign in again on the new cookie: in real exports this is
          // how most resets become visible, and it is what deterministic labels learn resets from.
          writeEvent(run, person, messageId(index, seq), "track", reset, userId, "Signed In", t, null,
              recs, Set.of("anon:" + reset.anonymousId(), "user:" + userId), Set.of(reset.fingerprint()));
          t = t.plusSeconds(60);
          run.count(HardCase.COOKIE_RESET_SIGNED_IN_AGAIN);
        }
      }
      t = t.plus(1 + rnd.nextInt(5), ChronoUnit.DAYS);
    }
    if (loggedInDevices >= 2) {
      run.count(HardCase.LAPTOP_AND_PHONE);
      if (!run.scenarios.containsKey("laptop_and_phone.message_ids") && loggedInMessages.size() >= 2) {
        run.scenarios.put("laptop_and_phone.message_ids",
            loggedInMessages.get(0) + "," + loggedInMessages.get(loggedInMessages.size() - 1));
      }
    }
    if (rnd.nextDouble() < rates.malformedRow()) {
      run.web.write("{\"messageId\":\"" + messageId(index, seq) + "-cut\",\"type\":\"page\",\"anonym\n");
      run.web.write("{\"type\":\"page\",\"anonymousId\":\"a-" + hex(rnd, 12) + "\"}\n");
      run.rows.merge("web_events.jsonl", 2L, Long::sum);
      run.count(HardCase.INVALID_JSON_LINE);
      run.count(HardCase.EVENT_WITHOUT_MESSAGE_ID);
    }
  }

  private Device device(Run run, SplittableRandom rnd, String country, String homeIp, int d,
      boolean office) {
    String locale = country.equals("US") ? "en-US" : country.toLowerCase(Locale.ROOT) + "-" + country;
    if (office) {
      run.count(HardCase.SHARED_OFFICE_IP_AND_LAPTOP);
      if (run.offices.isEmpty() || rnd.nextInt(4) == 0) {
        run.offices.add(new Device(null, null, USER_AGENTS[0], SCREENS[0], "America/New_York",
            "en-US", "203.0." + (113 + run.offices.size() % 10) + ".10"));
      }
      Device o = run.offices.get(run.offices.size() - 1);
      return new Device("a-" + hex(rnd, 12), null, o.userAgent(), o.screen(), o.tz(), o.locale(),
          o.ip());
    }
    boolean app = d > 0 && rnd.nextBoolean();
    int ua = app ? 3 + rnd.nextInt(2) : rnd.nextInt(3);
    return new Device("a-" + hex(rnd, 12), app ? "d-" + hex(rnd, 16) : null, USER_AGENTS[ua],
        SCREENS[app ? 3 + rnd.nextInt(2) : rnd.nextInt(3)], TZ.get(country), locale, homeIp);
  }

  private void writeEvent(Run run, String person, String messageId, String type, Device device,
      String userId, String event, Instant t, ObjectNode traits, List<Ceilings.Rec> recs,
      Set<String> keys, Set<String> deviceKeys) throws IOException {
    SplittableRandom rnd = run.rnd;
    ObjectNode e = json.createObjectNode();
    e.put("messageId", messageId);
    e.put("type", type);
    e.put("anonymousId", device.anonymousId());
    if (userId != null) {
      e.put("userId", userId);
    } else if (rnd.nextBoolean()) {
      e.putNull("userId");
    }
    if (event != null) {
      e.put("event", event);
    }
    String timestamp = time(rnd, t, false);
    if (rnd.nextDouble() < rates.invalidValue() / 4) {
      timestamp = "yesterday";
      run.count(HardCase.UNPARSEABLE_TIMESTAMP);
    }
    e.put("timestamp", timestamp);
    if (traits != null) {
      e.set("traits", traits);
    }
    ObjectNode context = e.putObject("context");
    context.put("ip", device.ip());
    context.put("userAgent", device.userAgent());
    context.put("locale", device.locale());
    context.put("timezone", device.tz());
    String[] wh = device.screen().split("x");
    ObjectNode screen = context.putObject("screen");
    screen.put("width", Integer.parseInt(wh[0]));
    screen.put("height", Integer.parseInt(wh[1]));
    if (device.isApp()) {
      ObjectNode dev = context.putObject("device");
      dev.put("id", device.deviceId());
      dev.put("type", device.userAgent().contains("iPhone") ? "ios" : "android");
    } else {
      ObjectNode page = context.putObject("page");
      String path = rnd.nextBoolean() ? "/pricing" : "/products/" + rnd.nextInt(50);
      page.put("path", path);
      page.put("url", "https://shop.example.com" + path);
      page.put("referrer", rnd.nextBoolean() ? "https://www.google.com/" : "");
      if (rnd.nextInt(4) == 0) {
        ObjectNode campaign = context.putObject("campaign");
        campaign.put("source", "newsletter");
        campaign.put("medium", "email");
        campaign.put("name", "winter-sale");
      }
    }
    e.putObject("properties").put("path", device.isApp() ? "app" : "web");
    String line = json.writeValueAsString(e);
    run.web.write(line);
    run.web.write('\n');
    run.row("web_events.jsonl");
    if (rnd.nextDouble() < rates.duplicateMessage()) {
      run.web.write(line);
      run.web.write('\n');
      run.row("web_events.jsonl");
      run.count(HardCase.DUPLICATE_MESSAGE_ID);
    }
    run.truth("web", messageId, person);
    recs.add(new Ceilings.Rec(keys, deviceKeys));
  }

  private ObjectNode traits(Device device, String email, String phone, String first, String last) {
    ObjectNode t = json.createObjectNode();
    t.put("email", email);
    if (phone != null) {
      t.put("phone", phone);
    }
    t.put("first_name", first);
    t.put("last_name", last);
    if (device.isApp()) {
      // The app registers for push when the user identifies; the endpoint names the same device as
      // its id, so it adds no link the ceilings do not already count.
      t.put("push_endpoint", device.pushEndpoint());
    }
    return t;
  }

  private void tickets(Run run, String person, int index, String first, String last, String email,
      String crmEmailWritten, Phone phone, Instant start, List<Ceilings.Rec> recs, String contactId,
      String cleanEmailKey, String cleanPhoneKey) throws IOException {
    SplittableRandom rnd = run.rnd;
    int n = 1 + rnd.nextInt(3);
    for (int k = 0; k < n; k++) {
      String id = String.format("T%06d%d", index, k);
      Set<String> keys = new LinkedHashSet<>();
      String writtenEmail = "";
      String writtenPhone = "";
      int shape = rnd.nextInt(10);
      if (shape < 7) {
        if (crmEmailWritten != null && rnd.nextBoolean()) {
          writtenEmail = variant(rnd, crmEmailWritten.strip());
          run.count(HardCase.TICKET_FROM_CRM_EMAIL);
          if (!run.scenarios.containsKey("crm_and_ticket.ticket_id")) {
            run.scenarios.put("crm_and_ticket.contact_id", contactId);
            run.scenarios.put("crm_and_ticket.ticket_id", id);
          }
        } else if (rnd.nextDouble() < rates.junkEmail()) {
          writtenEmail = "no@email.com";
          run.count(HardCase.JUNK_EMAIL);
        } else {
          writtenEmail = email;
        }
        if (!writtenEmail.equals("no@email.com")) {
          keys.add(cleanEmailKey);
        }
      }
      if (shape >= 5) {
        writtenPhone = international(phone, rnd);
        keys.add(cleanPhoneKey);
      }
      Csv.row(run.support, id, writtenEmail, writtenPhone, first + " " + last,
          rnd.nextBoolean() ? "email" : "chat", "Order " + rnd.nextInt(9999) + ", refund?",
          time(rnd, start.plus(rnd.nextInt(90), ChronoUnit.DAYS), true));
      run.row("support_tickets.csv");
      run.truth("support", id, person);
      recs.add(new Ceilings.Rec(keys, Set.of()));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Value formats

  private Phone phone(SplittableRandom rnd, String region) {
    PhoneNumber example = phones.getExampleNumberForType(region, PhoneNumberType.MOBILE);
    String nsn = phones.getNationalSignificantNumber(example);
    for (int attempt = 0; attempt < 200; attempt++) {
      StringBuilder digits = new StringBuilder(nsn.substring(0, Math.min(3, nsn.length())));
      while (digits.length() < nsn.length()) {
        digits.append(rnd.nextInt(10));
      }
      try {
        PhoneNumber candidate = phones.parse("+" + example.getCountryCode() + digits, "ZZ");
        if (phones.isValidNumber(candidate)) {
          return new Phone(phones.format(candidate, PhoneNumberFormat.E164), region, candidate);
        }
      } catch (com.google.i18n.phonenumbers.NumberParseException ignored) {
        // draw again
      }
    }
    return new Phone(phones.format(example, PhoneNumberFormat.E164), region, example);
  }

  /** A written form of the phone; national forms only where the record carries the country. */
  private String format(Phone phone, SplittableRandom rnd, boolean nationalAllowed) {
    int f = rnd.nextInt(nationalAllowed ? 5 : 3);
    switch (f) {
      case 0:
        return phone.e164();
      case 1:
        return phones.format(phone.number(), PhoneNumberFormat.INTERNATIONAL);
      case 2:
        return "00" + phone.number().getCountryCode() + " "
            + phones.getNationalSignificantNumber(phone.number());
      case 3:
        return phones.format(phone.number(), PhoneNumberFormat.NATIONAL);
      default:
        return phones.format(phone.number(), PhoneNumberFormat.NATIONAL).replaceAll("[()\\s-]+", ".")
            .replaceAll("^\\.|\\.$", "");
    }
  }

  private String formatCounted(Run run, Phone phone, SplittableRandom rnd, boolean national) {
    String written = format(phone, rnd, national);
    run.count(HardCase.PHONE_FORMATS);
    if (written.startsWith("00")) {
      run.count(HardCase.PHONE_00_PREFIX);
    } else if (!written.startsWith("+") && !phone.region().equals("US")) {
      run.count(HardCase.PHONE_NATIONAL_NON_US);
    }
    return written;
  }

  private String international(Phone phone, SplittableRandom rnd) {
    return phone.region().equals("US") ? format(phone, rnd, true) : format(phone, rnd, false);
  }

  private static String variant(SplittableRandom rnd, String email) {
    StringBuilder out = new StringBuilder();
    for (char c : email.toCharArray()) {
      out.append(rnd.nextInt(3) == 0 ? Character.toUpperCase(c) : c);
    }
    String spaced = out.toString();
    return rnd.nextBoolean() ? "  " + spaced + " " : spaced;
  }

  private static String time(SplittableRandom rnd, Instant t, boolean allowEpoch) {
    int f = rnd.nextInt(10);
    if (f < 6) {
      return t.toString();
    }
    if (f < 7) {
      return ISO_PLUS_TWO.format(t);
    }
    if (f < 8) {
      return ISO_NO_OFFSET.format(t);
    }
    if (f < 9 || !allowEpoch) {
      return ISO_NO_OFFSET.format(t).replace('T', ' ');
    }
    return String.valueOf(t.toEpochMilli());
  }

  private static String messageId(int person, int[] seq) {
    return String.format("m-%06d-%03d", person, seq[0]++);
  }

  private static String hex(SplittableRandom rnd, int length) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      out.append(Character.forDigit(rnd.nextInt(16), 16));
    }
    return out.toString();
  }
}
