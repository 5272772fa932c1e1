package io.idgraph.cli;

import static org.apache.spark.sql.functions.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.schema.Cols;
import io.idgraph.sink.OutputTables;
import io.idgraph.testing.Fixtures;
import io.idgraph.testing.SharedSpark;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Two real nights on one output, made once per JVM and copied per test (a Delta table's log holds
 * paths relative to the table, so a copy is a valid table). Three people:
 *
 * <ul>
 *   <li>Zelda Quixote, the person to erase: a CRM contact (ZQ-CRM-5501) with email, phone and user
 *       id, and a browser (anonymous id zq-anon-8812) that browsed anonymously on night 1
 *       (ZQ-WEB-0001, ZQ-WEB-0002) and signed in on night 2 (ZQ-WEB-0003): a merge of two existing
 *       profiles, so merge_history and merge_snapshots hold her.
 *   <li>Ann Lee, the same story with her own values (ANN-...), so the others keep merges and
 *       snapshots too.
 *   <li>Bob Ray, a CRM contact only.
 * </ul>
 */
final class ForgetFixture {
  private ForgetFixture() {}

  static final String CRM_HEADER =
      "contact_id,email,phone,first_name,last_name,company,city,country,user_id,created_at,updated_at";
  static final String ZELDA_EMAIL = "Zelda.Quixote@quixmail.net";
  static final String ZELDA_PHONE = "+1 202 555 0147";
  static final String ANN_EMAIL = "ann.lee@leemail.org";
  static final String BOB_PHONE = "+1 303 555 0188";
  static final List<String> ZELDA_RECORDS =
      List.of("ZQ-CRM-5501", "ZQ-WEB-0001", "ZQ-WEB-0002", "ZQ-WEB-0003");
  /** Words of Zelda's traits that no one else's rows hold. */
  static final List<String> ZELDA_WORDS = List.of("Zelda", "Quixote", "Quixotic", "Toboso");

  private static Path template;
  private static Path input;
  private static Path erasedTemplate;
  private static Object[] erasure;

  /** A fresh copy of the two-night output at {@code dir}/out. */
  static synchronized Path output(Path dir) {
    Path out = dir.resolve("out");
    copy(template(), out);
    return out;
  }

  /** The untouched two-night output (read only: copy it with {@link #output} to change it). */
  static synchronized Path template() {
    if (template == null) {
      try {
        Path root = Files.createTempDirectory("idgraph-forget-fixture");
        input = Files.createDirectories(root.resolve("in"));
        template = root.resolve("out");
        writeNights(input, template);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return template;
  }

  /**
   * A fresh copy, at {@code dir}/out, of the two-night output after {@code idgraph forget --email
   * ZELDA_EMAIL} (by dpo.anna, "GDPR art. 17, ticket 991"): the erasure runs once per JVM.
   */
  static synchronized Path erased(Path dir) {
    if (erasedTemplate == null) {
      erasedTemplate = template().resolveSibling("erased");
      copy(template, erasedTemplate);
      erasure =
          idgraph("forget", "--output", erasedTemplate.toString(), "--config", config().toString(),
              "--actor", "dpo.anna", "--reason", "GDPR art. 17, ticket 991", "--email", ZELDA_EMAIL);
    }
    assertThat(erasure[0]).as("forget's stderr: %s", erasure[2]).isEqualTo(0);
    Path out = dir.resolve("out");
    copy(erasedTemplate, out);
    return out;
  }

  /** {exit code, stdout, stderr} of the erasure behind {@link #erased}. */
  static synchronized Object[] erasure() {
    return erasure;
  }

  /** The input folder (with its job.yaml) the nights read. */
  static synchronized Path input() {
    template();
    return input;
  }

  static Path config() {
    return input().resolve("job.yaml");
  }

  static String event(String id, String type, String anon, String user, String time, String ip) {
    return "{\"messageId\":\"" + id + "\",\"type\":\"" + type + "\",\"anonymousId\":\"" + anon + "\""
        + (user == null ? "" : ",\"userId\":\"" + user + "\"")
        + ",\"timestamp\":\"" + time + "\",\"context\":{\"ip\":\"" + ip + "\"}}";
  }

  private static void writeNights(Path in, Path out) throws IOException {
    Path web = Files.createDirectories(in.resolve("web"));
    Fixtures.crmAndWebFolderJob(in, "history: {max_merge_ratio: 0}");
    Fixtures.write(in, "crm.csv", CRM_HEADER,
        "ZQ-CRM-5501," + ZELDA_EMAIL + "," + ZELDA_PHONE + ",Zelda,Quixote,Quixotic Ltd,Toboso,US,u-zq-31,2026-01-03,2026-11-01",
        "ANN-CRM-1001," + ANN_EMAIL + ",,Ann,Lee,,,US,u-ann-1,2026-01-01,2026-11-01",
        "BOB-CRM-2002,bob.ray@raymail.net," + BOB_PHONE + ",Bob,Ray,,,US,,2026-01-02,2026-11-01");
    Fixtures.write(web, "day1.jsonl",
        event("ZQ-WEB-0001", "page", "zq-anon-8812", null, "2026-11-20T10:00:00Z", "198.51.100.77"),
        event("ZQ-WEB-0002", "page", "zq-anon-8812", null, "2026-11-20T10:05:00Z", "198.51.100.77"),
        event("ANN-WEB-0001", "page", "ann-anon-1", null, "2026-11-20T11:00:00Z", "203.0.113.7"),
        event("ANN-WEB-0002", "page", "ann-anon-1", null, "2026-11-20T11:05:00Z", "203.0.113.7"));
    night(in, out);
    Fixtures.write(web, "day2.jsonl",
        event("ZQ-WEB-0003", "identify", "zq-anon-8812", "u-zq-31", "2026-11-21T10:00:00Z", "198.51.100.77"),
        event("ANN-WEB-0003", "identify", "ann-anon-1", "u-ann-1", "2026-11-21T11:00:00Z", "203.0.113.7"));
    night(in, out);
  }

  /** One night through the CLI; fails the test unless it exits 0. Returns stdout. */
  static String night(Path in, Path out, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of("run", "--config", in.resolve("job.yaml").toString(), "--input", in.toString(),
                "--output", out.toString()));
    args.addAll(List.of(extra));
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    int code =
        IdgraphCli.execute(new PrintWriter(stdout, true), new PrintWriter(stderr, true), args.toArray(String[]::new));
    assertThat(code).as("night: %s", stderr).isZero();
    return stdout.toString();
  }

  static Dataset<Row> table(Path out, String name) {
    return SharedSpark.session().read().format("delta").load(out.resolve(name).toString());
  }

  /**
   * Everything that names Zelda in {@code out}: her profile ids (current, and the anonymous
   * profile of night 1 that merged into it), the hashes of her identifiers and signals, her record
   * ids. Read from the tables, before an erasure.
   */
  static Set<String> zeldaTokens(Path out) {
    Set<String> tokens = new LinkedHashSet<>(ZELDA_RECORDS);
    Column hers = col(Cols.RECORD_ID).isin(ZELDA_RECORDS.toArray());
    for (Row r :
        table(out, OutputTables.RECORD_PROFILES).where(hers).select(Cols.PROFILE_ID).distinct().collectAsList()) {
      tokens.add(r.getString(0));
    }
    for (Row r :
        table(out, OutputTables.PROFILE_ID_CHANGES)
            .where(col(Cols.NEW_PROFILE_ID).isin(tokens.toArray()))
            .select(Cols.OLD_PROFILE_ID)
            .collectAsList()) {
      tokens.add(r.getString(0));
    }
    tokens.addAll(zeldaHashes(out));
    return tokens;
  }

  /** Hashes of Zelda's identifiers and signals, from her records in source_records. */
  static Set<String> zeldaHashes(Path out) {
    Set<String> hashes = new LinkedHashSet<>();
    Dataset<Row> records =
        table(out, OutputTables.SOURCE_RECORDS).where(col(Cols.RECORD_ID).isin(ZELDA_RECORDS.toArray()));
    for (Row r :
        records.select(explode(col(Cols.IDENTIFIERS)).as("i")).select("i.id_hash").collectAsList()) {
      hashes.add(r.getString(0));
    }
    for (Row r :
        records.select(explode(col(Cols.SIGNALS)).as("s")).select("s.signal_hash").collectAsList()) {
      hashes.add(r.getString(0));
    }
    assertThat(hashes).hasSizeGreaterThan(5);
    return hashes;
  }

  /** Whether a row (as JSON) holds any of {@code tokens}. */
  static Column mentions(Set<String> tokens) {
    Column json = to_json(struct(col("*")));
    Column any = lit(false);
    for (String t : tokens) {
      any = any.or(json.contains(t));
    }
    return any;
  }

  /** Runs idgraph with the given arguments; returns {exit code, stdout, stderr}. */
  static Object[] idgraph(String... args) {
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    int code = IdgraphCli.execute(new PrintWriter(stdout, true), new PrintWriter(stderr, true), args);
    return new Object[] {code, stdout.toString(), stderr.toString()};
  }

  static void copy(Path from, Path to) {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
