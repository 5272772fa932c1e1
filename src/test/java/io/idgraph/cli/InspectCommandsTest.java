package io.idgraph.cli;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.idgraph.normalize.IdentifierHasher;
import io.idgraph.schema.Cols;
import io.idgraph.sink.OutputTables;
import io.idgraph.testing.Fixtures;
import io.idgraph.testing.SharedSpark;
import io.idgraph.testing.SparkTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code sql}, {@code lookup} and {@code graph} through the CLI on the output of one real nightly
 * run over a tiny fixture: Ann (crm:C1 with email, phone, user id u-1; two web events on browser a-1,
 * one an identify with u-1), Bob (crm:C2 with his own user id u-2 and Ann's phone: the phone cannot
 * join them, one user id per profile, so it stays in both profiles, refused by the limit rule) and
 * Cy (crm:C3, email only).
 */
@SparkTest
class InspectCommandsTest {
  private static final String CRM_HEADER =
      "contact_id,email,phone,first_name,last_name,company,city,country,user_id,created_at,updated_at";

  @TempDir static Path dir;
  private static Path config;
  private static Path out;

  record Result(int code, String out, String err) {}

  @BeforeAll
  static void runNight() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path web = Files.createDirectories(in.resolve("web"));
    out = dir.resolve("out");
    config = Fixtures.crmAndWebFolderJob(dir);
    Fixtures.write(
        in,
        "crm.csv",
        CRM_HEADER,
        "C1,Ann+News@Shop.com,(201) 604-4620,Ann,Lee,Acme,Austin,US,u-1,2026-01-01,2026-11-01",
        "C2,bob@mail.com,201.604.4620,Bob,Ray,,,US,u-2,2026-01-01,2026-11-02",
        "C3,cy@mail.com,,Cy,Ott,\"Smith, Jones & Co\",,US,,2026-01-01,2026-11-01");
    Fixtures.write(
        web,
        "day1.jsonl",
        "{\"messageId\":\"m1\",\"type\":\"identify\",\"anonymousId\":\"a-1\",\"userId\":\"u-1\","
            + "\"timestamp\":\"2026-11-22T10:00:00Z\"}",
        "{\"messageId\":\"m2\",\"type\":\"page\",\"anonymousId\":\"a-1\","
            + "\"timestamp\":\"2026-11-22T10:01:00Z\"}");
    Result run =
        cli(
            "run", "--config", config.toString(), "--input", in.toString(), "--output",
            out.toString());
    assertThat(run.code()).as(run.err()).isZero();
  }

  private static Result cli(String... args) {
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    int code =
        IdgraphCli.execute(new PrintWriter(stdout, true), new PrintWriter(stderr, true), args);
    return new Result(code, stdout.toString(), stderr.toString());
  }

  private static String[] with(String command, String... args) {
    List<String> all = new ArrayList<>(List.of(command, "--output", out.toString()));
    all.addAll(List.of(args));
    return all.toArray(String[]::new);
  }

  private static Dataset<Row> table(String name) {
    return SharedSpark.session().read().format("delta").load(out.resolve(name).toString());
  }

  private static String profileOf(String source, String recordId) {
    return table(OutputTables.RECORD_PROFILES)
        .where(col(Cols.SOURCE).equalTo(source).and(col(Cols.RECORD_ID).equalTo(recordId)))
        .select(Cols.PROFILE_ID)
        .as(Encoders.STRING())
        .first();
  }

  private static String demoHash(String type, String value) throws Exception {
    byte[] key =
        Files.readString(Fixtures.repoRoot().resolve("jobs/demo.key"), StandardCharsets.UTF_8)
            .strip()
            .getBytes(StandardCharsets.UTF_8);
    return new IdentifierHasher(key).hash(type, value);
  }

  // ---- sql ----

  @Test
  void sqlPrintsAnAlignedTableOverTheOutputTables() {
    Result r =
        cli(
            with(
                "sql",
                "SELECT source, count(*) AS records FROM record_profiles GROUP BY source ORDER BY"
                    + " source"));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "source  records\n"
                + "------  -------\n"
                + "crm           3\n"
                + "web           2\n"
                + "(2 rows)\n");
  }

  @Test
  void sqlReadsAQueryFileWithCommentsAndTheTimelineSpansSources(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("segment.sql");
    Files.writeString(
        file,
        "-- CRM contacts who also came to the site: one GROUP BY over the timeline\n"
            + "SELECT profile_id FROM profile_events GROUP BY profile_id\n"
            + "HAVING count_if(event_type = 'contact_created') > 0 AND count_if(source = 'web') > 0;\n");
    Result r = cli(with("sql", "--format", "csv", "--file", file.toString()));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("profile_id\r\n" + profileOf("crm", "C1") + "\r\n");
    // The same query as an argument after a lone --, as a shell user pastes it.
    Result inline = cli(with("sql", "--format", "csv", "--", Files.readString(file)));
    assertThat(inline.code()).as(inline.err()).isZero();
    assertThat(inline.out()).isEqualTo(r.out());
    Result both = cli(with("sql", "--file", file.toString(), "SELECT 1"));
    assertThat(both.code()).isEqualTo(2);
  }

  @Test
  void sqlWritesRfc4180CsvAndJsonLines() throws Exception {
    Result csv =
        cli(
            with(
                "sql",
                "--format",
                "csv",
                "SELECT first_name, company, sources FROM profiles WHERE first_name IN ('Ann', 'Cy')"
                    + " ORDER BY first_name"));
    assertThat(csv.code()).as(csv.err()).isZero();
    assertThat(csv.out())
        .isEqualTo(
            "first_name,company,sources\r\n"
                + "Ann,Acme,\"[crm, web]\"\r\n"
                + "Cy,\"Smith, Jones & Co\",[crm]\r\n");

    Result json =
        cli(
            with(
                "sql",
                "--format",
                "json",
                "SELECT profile_id, sources, trait_sources['first_name'].source AS from_source"
                    + " FROM profiles WHERE first_name = 'Ann'"));
    assertThat(json.code()).as(json.err()).isZero();
    JsonNode row = new ObjectMapper().readTree(json.out().strip());
    assertThat(row.get("profile_id").asText()).isEqualTo(profileOf("crm", "C1"));
    assertThat(row.get("sources").toString()).isEqualTo("[\"crm\",\"web\"]");
    assertThat(row.get("from_source").asText()).isEqualTo("crm");
  }

  @Test
  void sqlCollectsNoMoreThanTheLimitAndSaysSo() {
    Result table = cli(with("sql", "--limit", "2", "SELECT * FROM record_profiles"));
    assertThat(table.code()).as(table.err()).isZero();
    assertThat(table.out()).endsWith("(first 2 rows; use --limit)\n");
    assertThat(table.out().lines().count()).isEqualTo(5);

    Result csv = cli(with("sql", "--limit", "1", "--format", "csv", "SELECT record_id FROM record_profiles"));
    assertThat(csv.out().lines().count()).isEqualTo(2);
    assertThat(csv.err()).contains("(first 1 rows; use --limit)");
  }

  @Test
  void sqlErrorsExitTwoWithSparksMessageAndTheTables() {
    Result parse = cli(with("sql", "SELEC * FROM profiles"));
    assertThat(parse.code()).isEqualTo(ExitCodes.BAD_CONFIG_OR_INPUT);
    assertThat(parse.err()).contains("PARSE_SYNTAX_ERROR").contains("tables: ").contains("profiles");
    assertThat(parse.err()).doesNotContain("\tat ");

    Result table = cli(with("sql", "SELECT * FROM profile"));
    assertThat(table.code()).isEqualTo(ExitCodes.BAD_CONFIG_OR_INPUT);
    assertThat(table.err())
        .contains("TABLE_OR_VIEW_NOT_FOUND")
        .contains("identity_links")
        .doesNotContain("UnresolvedRelation");

    Result column = cli(with("sql", "SELECT nope FROM profiles"));
    assertThat(column.code()).isEqualTo(ExitCodes.BAD_CONFIG_OR_INPUT);
    assertThat(column.err()).contains("UNRESOLVED_COLUMN");
  }

  @Test
  void sqlRefusesStatementsThatWrite() {
    long before = table(OutputTables.PROFILES).count();
    for (String statement :
        List.of(
            "DELETE FROM profiles",
            "DROP TABLE profiles",
            "INSERT INTO profiles SELECT * FROM profiles",
            "CREATE TABLE x AS SELECT 1")) {
      Result r = cli(with("sql", statement));
      assertThat(r.code()).as(statement).isEqualTo(ExitCodes.BAD_CONFIG_OR_INPUT);
      assertThat(r.err()).as(statement).contains("sql only reads");
    }
    assertThat(table(OutputTables.PROFILES).count()).isEqualTo(before);
    assertThat(cli(with("sql", "SHOW TABLES")).out()).contains("record_profiles");
  }

  @Test
  void sqlRegistersEveryDeltaTableFolderIncludingNewOnes() {
    SharedSpark.session()
        .sql("SELECT 'p1' AS profile_id, 'open' AS event")
        .write()
        .format("delta")
        .save(out.resolve("profile_events_test").toString());
    Result r = cli(with("sql", "SELECT event FROM profile_events_test"));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("open");
  }

  @Test
  void sqlWithoutTablesExitsTwo() {
    Result r = cli("sql", "--output", dir.resolve("nothing-here").toString(), "SELECT 1");
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_CONFIG_OR_INPUT);
    assertThat(r.err()).contains("No output folder");
  }

  // ---- lookup ----

  @Test
  void lookupByEmailNormalizesHashesAndShowsTheProfile() throws Exception {
    String ann = profileOf("crm", "C1");
    String emailHash = demoHash("email", "ann@shop.com");
    Result r = cli(with("lookup", "--config", config.toString(), "--email", "  ANN+promo@shop.COM "));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("looked up: email 'ann@shop.com' (hash " + emailHash.substring(0, 12))
        .contains("profile " + ann + " (unified): 3 records from crm, web")
        .contains(emailHash.substring(0, 16))
        .contains(demoHash("user_id", "u-1").substring(0, 16))
        .contains(demoHash("anonymous_id", "a-1").substring(0, 16))
        .containsPattern("first_name +Ann +from crm:C1 at 2026-11-01T00:00:00Z \\(most_recent\\)")
        .contains("records by source: crm 1, web 2")
        .containsPattern("merge deterministic by system \\(mrg_[0-9a-f]+\\): joined");
    // Only the value typed is shown raw: nothing of Bob's or Cy's.
    assertThat(r.out()).doesNotContain("bob@mail.com").doesNotContain("Bob").doesNotContain("cy@");
  }

  @Test
  void lookupJsonCarriesTheSameReport() throws Exception {
    String ann = profileOf("crm", "C1");
    Result r = cli(with("lookup", "--config", config.toString(), "--user-id", " u-1 ", "--json"));
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("found").asBoolean()).isTrue();
    assertThat(json.at("/key/idHash").asText()).isEqualTo(demoHash("user_id", "u-1"));
    assertThat(json.at("/report/profile/profileId").asText()).isEqualTo(ann);
    assertThat(json.at("/report/recordsBySource/web").asLong()).isEqualTo(2);
    Set<String> types = new TreeSet<>();
    json.at("/report/identifiers").forEach(i -> types.add(i.get("idType").asText()));
    assertThat(types)
        .containsExactly("anonymous_id", "email", "external_id:crm", "phone", "user_id");
    JsonNode phone = null;
    for (JsonNode i : json.at("/report/identifiers")) {
      if (i.get("idType").asText().equals("phone")) {
        phone = i;
      }
    }
    assertThat(phone.get("idHash").asText()).isEqualTo(demoHash("phone", "+12016044620"));
    assertThat(phone.get("rules").toString()).contains("limit");
    assertThat(json.at("/report/traits/0/name").asText()).isEqualTo("first_name");
    assertThat(json.at("/report/traits/0/recordId").asText()).isEqualTo("C1");
  }

  @Test
  void lookupOfAnIdentifierSeveralProfilesHoldListsThemBriefly() {
    Result r = cli(with("lookup", "--config", config.toString(), "--phone", "201 604 4620", "--region", "us"));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("looked up: phone '+12016044620'")
        .contains("held by 2 profiles")
        .contains("rule limit")
        .contains(profileOf("crm", "C1"))
        .contains(profileOf("crm", "C2"))
        .doesNotContain("traits");
  }

  @Test
  void lookupOfAnUnknownIdentifierSaysSoAndExitsZero() {
    Result r = cli(with("lookup", "--config", config.toString(), "--email", "nobody@else.org"));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("no profile holds email 'nobody@else.org' (hash ");
  }

  @Test
  void lookupOfAnInvalidValueExitsTwoWithTheReason() {
    Result email = cli(with("lookup", "--config", config.toString(), "--email", "ann@"));
    assertThat(email.code()).isEqualTo(ExitCodes.BAD_CONFIG_OR_INPUT);
    assertThat(email.err()).contains("'ann@' is not a valid email: INVALID_EMAIL");

    Result phone = cli(with("lookup", "--config", config.toString(), "--phone", "12"));
    assertThat(phone.code()).isEqualTo(ExitCodes.BAD_CONFIG_OR_INPUT);
    assertThat(phone.err()).contains("INVALID_PHONE");

    Result noConfig = cli(with("lookup", "--email", "ann@shop.com"));
    assertThat(noConfig.code()).isEqualTo(ExitCodes.BAD_CONFIG_OR_INPUT);
    assertThat(noConfig.err()).contains("--config is required");

    Result two = cli(with("lookup", "--config", config.toString(), "--email", "a@b.com", "--user-id", "u"));
    assertThat(two.code()).isEqualTo(ExitCodes.BAD_CONFIG_OR_INPUT);
  }

  @Test
  void lookupByProfileIdNeedsNoConfig() {
    String cy = profileOf("crm", "C3");
    Result r = cli(with("lookup", "--profile-id", cy));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .startsWith("profile " + cy + " (known): 1 record from crm")
        .containsPattern("company +Smith, Jones & Co")
        .contains("records by source: crm 1");

    Result unknown = cli(with("lookup", "--profile-id", "prf_0000000000000000"));
    assertThat(unknown.code()).isEqualTo(ExitCodes.BAD_CONFIG_OR_INPUT);
    assertThat(unknown.err()).contains("Unknown profile id 'prf_0000000000000000'");
  }

  // ---- graph ----

  @Test
  void graphDrawsOneNodePerIdentifierAndLabelledEdges() throws Exception {
    String ann = profileOf("crm", "C1");
    Path svg = dir.resolve("ann.svg");
    Result r = cli(with("graph", "--profile-id", ann, "--out", svg.toString()));
    assertThat(r.code()).as(r.err()).isZero();

    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
    List<String> nodeHashes = new ArrayList<>();
    List<Element> edges = new ArrayList<>();
    NodeList groups = doc.getElementsByTagName("g");
    for (int i = 0; i < groups.getLength(); i++) {
      Element g = (Element) groups.item(i);
      String cls = g.getAttribute("class");
      if (cls.equals("node") || cls.startsWith("node ")) {
        nodeHashes.add(g.getAttribute("data-id-hash"));
      } else if (cls.equals("edge")) {
        edges.add(g);
      }
    }
    List<String> linked =
        table(OutputTables.IDENTITY_LINKS)
            .where(col(Cols.PROFILE_ID).equalTo(ann))
            .select(Cols.ID_HASH)
            .as(Encoders.STRING())
            .collectAsList();
    assertThat(nodeHashes).containsExactlyInAnyOrderElementsOf(linked).hasSize(5);
    assertThat(edges).isNotEmpty();
    for (Element e : edges) {
      assertThat(e.getAttribute("data-method")).isEqualTo("deterministic");
      assertThat(e.getAttribute("data-confidence")).isEqualTo("1.00");
      assertThat(e.getElementsByTagName("text").item(0).getTextContent())
          .startsWith("deterministic 1.00 ");
      assertThat(nodeHashes).contains(e.getAttribute("data-src"), e.getAttribute("data-dst"));
    }
    // The phone Bob shares is held by the limit rule: drawn greyed, named with its rule.
    assertThat(Files.readString(svg)).contains("class=\"node held\" data-id-type=\"phone\"").contains("[limit]");

    Path dot = dir.resolve("ann.dot");
    assertThat(cli(with("graph", "--profile-id", ann, "--out", dot.toString())).code()).isZero();
    assertThat(Files.readString(dot)).startsWith("graph \"" + ann + "\" {").contains(" -- ");
  }

  @Test
  void graphOfAnUnknownProfileExitsTwo() {
    Result r =
        cli(with("graph", "--profile-id", "prf_nope", "--out", dir.resolve("x.svg").toString()));
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_CONFIG_OR_INPUT);
    assertThat(r.err()).contains("Unknown profile id 'prf_nope'");
    assertThat(Files.exists(dir.resolve("x.svg"))).isFalse();

    Result png = cli(with("graph", "--profile-id", "prf_nope", "--out", dir.resolve("x.png").toString()));
    assertThat(png.code()).isEqualTo(ExitCodes.BAD_CONFIG_OR_INPUT);
    assertThat(png.err()).contains("--out must end in .svg");
  }
}
