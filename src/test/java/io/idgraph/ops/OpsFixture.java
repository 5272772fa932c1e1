package io.idgraph.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A tiny output of a nightly run, written once and copied per test (a Delta table's log holds paths
 * relative to the table, so a copy is a valid table). Final profiles P1 (deterministic D1: crm:c2,
 * crm:c1, web:w5), P2 (D2: email:e9, crm:c7) and P3 (D3: web:w1 joined to D4: web:w2 by the merged
 * pair cand_merged). Merges: mrg_open and mrg_undone (undo window open until {@link #OPEN_UNTIL},
 * snapshot kept), mrg_first_night (window open, no snapshot), mrg_closed (window closed in January
 * 2024). {@link #outputWithRecordedOperations} adds manual_operations holding, by bob, an unmerge
 * of mrg_undone, a block of user_id {@link #BLOCKED_HASH} and an approve of cand_pending2.
 */
public final class OpsFixture {
  private OpsFixture() {}

  /** mrg_open's window: made a day before the fixture was written, closes 29 days after. */
  public static final Instant OPEN_MERGED_AT =
      Instant.now().minus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

  public static final Instant OPEN_UNTIL = OPEN_MERGED_AT.plus(Duration.ofDays(30));
  public static final String EMAIL_HASH = "a".repeat(64);
  public static final String DEVICE_HASH = "b".repeat(64);

  /** Present under two types in identity_links. */
  public static final String AMBIGUOUS_HASH = "c".repeat(64);

  /** A user_id hash already blocked in {@link #outputWithRecordedOperations}. */
  public static final String BLOCKED_HASH = "e".repeat(64);

  private static Path template;
  private static Path recordedTemplate;

  /**
   * A fresh copy of the fixture output under {@code dir}/out, with no manual operation recorded.
   */
  public static synchronized Path output(SparkSession spark, Path dir) {
    if (template == null) {
      template = tempDir();
      writeTables(spark, template);
    }
    Path out = dir.resolve("out");
    copy(template, out);
    return out;
  }

  /** {@link #output} plus three recorded operations (see the class comment). */
  public static synchronized Path outputWithRecordedOperations(SparkSession spark, Path dir) {
    Path out = output(spark, dir);
    if (recordedTemplate == null) {
      recordedTemplate = tempDir();
      Audit bob = new Audit("bob", "earlier ticket");
      Instant at = OPEN_MERGED_AT.plus(Duration.ofHours(1));
      spark
          .createDataFrame(
              List.of(
                  ManualOperations.row(ManualOperation.unmerge("mrg_undone", bob, at)),
                  ManualOperations.row(ManualOperation.block("user_id", BLOCKED_HASH, bob, at)),
                  ManualOperations.row(
                      ManualOperation.review(
                          ManualOperations.APPROVE,
                          "cand_pending2",
                          List.of("D2", "D4"),
                          List.of(new AnchorRecord("crm", "c7"), new AnchorRecord("web", "w2")),
                          bob,
                          at))),
              ManualOperations.schema())
          .write()
          .format("delta")
          .save(ManualOperations.path(recordedTemplate.toString()));
    }
    copy(recordedTemplate, out);
    return out;
  }

  private static Path tempDir() {
    try {
      Path dir = Files.createTempDirectory("idgraph-ops-fixture");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // A temp folder left behind is harmless.
    }
  }

  private static void writeTables(SparkSession spark, Path out) {
    write(
        spark,
        out,
        "profiles",
        new StructType().add("profile_id", DataTypes.StringType).add("state", DataTypes.StringType),
        List.of(row("P1", "known"), row("P2", "known"), row("P3", "unified")));
    write(
        spark,
        out,
        "record_profiles",
        new StructType()
            .add("source", DataTypes.StringType)
            .add("record_id", DataTypes.StringType)
            .add("profile_id", DataTypes.StringType)
            .add("deterministic_profile_id", DataTypes.StringType),
        List.of(
            row("crm", "c2", "P1", "D1"),
            row("crm", "c1", "P1", "D1"),
            row("web", "w5", "P1", "D1"),
            row("email", "e9", "P2", "D2"),
            row("crm", "c7", "P2", "D2"),
            row("web", "w1", "P3", "D3"),
            row("web", "w2", "P3", "D4")));
    Timestamp openAt = Timestamp.from(OPEN_MERGED_AT);
    Timestamp openUntil = Timestamp.from(OPEN_UNTIL);
    write(
        spark,
        out,
        "merge_history",
        new StructType()
            .add("merge_id", DataTypes.StringType)
            .add("run_id", DataTypes.StringType)
            .add("merged_at", DataTypes.TimestampType)
            .add("surviving_profile_id", DataTypes.StringType)
            .add("merged_profile_ids", DataTypes.createArrayType(DataTypes.StringType))
            .add("signals", DataTypes.createArrayType(DataTypes.StringType))
            .add("method", DataTypes.StringType)
            .add("probability", DataTypes.DoubleType)
            .add("actor", DataTypes.StringType)
            .add("reason", DataTypes.StringType)
            .add("reversible_until", DataTypes.TimestampType),
        List.of(
            merge("mrg_open", openAt, openUntil, "P3", List.of("D3", "D4")),
            merge("mrg_undone", openAt, openUntil, "P2", List.of("D2", "D5")),
            merge("mrg_first_night", openAt, openUntil, "P1", List.of("crm:c1", "web:w5")),
            merge(
                "mrg_closed",
                Timestamp.valueOf("2024-01-01 10:00:00"),
                Timestamp.valueOf("2024-01-31 10:00:00"),
                "P2",
                List.of("D2", "D9"))));
    write(
        spark,
        out,
        "merge_snapshots",
        new StructType()
            .add("merge_id", DataTypes.StringType)
            .add("run_id", DataTypes.StringType)
            .add("profile_id", DataTypes.StringType)
            .add("source", DataTypes.StringType)
            .add("record_id", DataTypes.StringType),
        List.of(
            row("mrg_open", "r1", "P3", "web", "w1"),
            row("mrg_open", "r1", "P4", "web", "w2"),
            row("mrg_undone", "r1", "P5", "crm", "c5"),
            row("mrg_closed", "r0", "P2", "crm", "c7")));
    write(
        spark,
        out,
        "merge_candidates",
        new StructType()
            .add("candidate_id", DataTypes.StringType)
            .add("profile_a", DataTypes.StringType)
            .add("profile_b", DataTypes.StringType)
            .add("profile_id", DataTypes.StringType)
            .add("probability", DataTypes.DoubleType)
            .add("status", DataTypes.StringType),
        List.of(
            row("cand_pending", "D1", "D2", null, 0.72, "pending"),
            row("cand_pending2", "D2", "D4", null, 0.81, "pending"),
            row("cand_refused", "D1", "D3", null, 0.90, "refused"),
            row("cand_merged", "D3", "D4", "P3", 0.95, "merged"),
            row("cand_joined", "D1", "D1", "P1", 0.88, "already_joined")));
    write(
        spark,
        out,
        "identity_links",
        new StructType()
            .add("profile_id", DataTypes.StringType)
            .add("id_type", DataTypes.StringType)
            .add("id_hash", DataTypes.StringType),
        List.of(
            row("P1", "email", EMAIL_HASH),
            row("P2", "device_id", DEVICE_HASH),
            row("P3", "device_id", DEVICE_HASH),
            row("P2", "phone", AMBIGUOUS_HASH),
            row("P3", "user_id", AMBIGUOUS_HASH)));
  }

  private static Row merge(
      String id, Timestamp at, Timestamp until, String surviving, List<String> merged) {
    return RowFactory.create(
        id,
        "r1",
        at,
        surviving,
        merged,
        List.of("email"),
        "deterministic",
        null,
        "system",
        "shared identifiers: email",
        until);
  }

  private static Row row(Object... values) {
    return RowFactory.create(values);
  }

  private static void write(
      SparkSession spark, Path out, String table, StructType schema, List<Row> rows) {
    spark.createDataFrame(rows, schema).write().format("delta").save(out.resolve(table).toString());
  }

  private static void copy(Path from, Path to) {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!Files.exists(target)) {
          Files.copy(p, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
