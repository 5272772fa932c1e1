package io.idgraph.cli;

import static org.apache.spark.sql.functions.*;

import io.delta.tables.DeltaTable;
import io.idgraph.config.BadInputException;
import io.idgraph.config.HashKeys;
import io.idgraph.config.HashKeys.HashKey;
import io.idgraph.config.LoadedConfig;
import io.idgraph.config.SourceConfig;
import io.idgraph.inspect.LookupKey;
import io.idgraph.job.OutputLock;
import io.idgraph.normalize.EmailOptions;
import io.idgraph.normalize.IdType;
import io.idgraph.normalize.IdentifierHasher;
import io.idgraph.normalize.IdentifierNormalizer;
import io.idgraph.ops.Audit;
import io.idgraph.ops.Erasure;
import io.idgraph.ops.ErasureRequests;
import io.idgraph.ops.ErasureRequests.Request;
import io.idgraph.ops.ErasureRequests.Target;
import io.idgraph.ops.ErasureTargets;
import io.idgraph.schema.Cols;
import io.idgraph.sink.OutputTables;
import io.idgraph.sink.RowEraser;
import io.idgraph.sink.RunCommits;
import io.idgraph.spark.Plans;
import io.idgraph.spark.SparkSessions;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code idgraph forget}: the right to erasure. Records the request in erasure_requests (hashes
 * only, one commit, before anything else, so a request survives a crash of the erasure), then,
 * under the output lock, deletes the person's rows from every night table, leaves a tombstone per
 * erased profile in merge_history and profile_id_changes, purges the deletion vectors and commits
 * the tables as one state (RunCommits, kind erasure). The identifiers stay in erasure_requests,
 * which every later night uses as its suppression list. Old Delta files hold the rows until VACUUM
 * (README, "Right to erasure").
 */
@Command(
    name = "forget",
    mixinStandardHelpOptions = true,
    description =
        "Erase a person (right to erasure): their profiles, identifiers, links, records, traits and"
            + " timeline leave every output table now, and their identifiers never enter again."
            + " Give --email, --phone, --user-id (each repeatable) or --requests.")
public final class ForgetCommand implements Callable<Integer> {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ForgetCommand.class);

  @Spec CommandSpec spec;

  @Mixin OperationOptions options;

  @Option(names = "--by", paramLabel = "NAME", description = "Same as --actor.")
  String by;

  @Option(names = "--email", paramLabel = "V", description = "An email address of the person.")
  List<String> emails = new ArrayList<>();

  @Option(names = "--phone", paramLabel = "V", description = "A phone number (see --region).")
  List<String> phones = new ArrayList<>();

  @Option(names = "--user-id", paramLabel = "V", description = "A user id.")
  List<String> userIds = new ArrayList<>();

  @Option(
      names = "--requests",
      paramLabel = "PATH",
      description =
          "Bulk: a Delta table, or a CSV file with a header, with columns id_type (email, phone,"
              + " user_id) and value (the raw value).")
  String requests;

  @Option(
      names = "--region",
      paramLabel = "CC",
      description =
          "ISO region for national phone numbers (default: the first source's default_region, else"
              + " US).")
  String region;

  @Override
  public Integer call() {
    boolean single = !emails.isEmpty() || !phones.isEmpty() || !userIds.isEmpty();
    if (single == (requests != null)) {
      throw new ParameterException(
          spec.commandLine(), "give --email, --phone or --user-id, or --requests (one of the two)");
    }
    if (by != null) {
      if (options.actor != null && !options.actor.equals(by)) {
        throw new ParameterException(spec.commandLine(), "--by and --actor name different admins");
      }
      options.actor = by;
    }
    Audit audit = options.audit();
    LoadedConfig loaded = options.config();
    String outputRoot = options.outputRoot();
    if (!outputRoot.contains("://") && !Files.isDirectory(java.nio.file.Path.of(outputRoot))) {
      throw new BadInputException("No idgraph output at " + outputRoot + "; nothing erased");
    }
    HashKey key = HashKeys.resolve(loaded, System.getenv());
    IdentifierNormalizer normalizer =
        new IdentifierNormalizer(new EmailOptions(loaded.job().normalize().emailStripPlusTag()));
    IdentifierHasher hasher = new IdentifierHasher(key.bytes());
    String phoneRegion = region(loaded);
    // Single values are checked before Spark starts: a typo costs nothing.
    List<Target> targets = new ArrayList<>();
    for (String v : emails) {
      targets.add(target(IdType.EMAIL, v, null, normalizer, hasher));
    }
    for (String v : phones) {
      targets.add(target(IdType.PHONE, v, phoneRegion, normalizer, hasher));
    }
    for (String v : userIds) {
      targets.add(target(IdType.USER_ID, v, null, normalizer, hasher));
    }
    SparkSession spark =
        SparkSessions.getOrCreate("idgraph forget", loaded.job().spark().conf());
    if (requests != null) {
      targets.addAll(bulk(spark, normalizer, hasher, phoneRegion));
    }
    targets = List.copyOf(new LinkedHashSet<>(targets));
    if (key.demo()) {
      spec.commandLine().getErr().println("idgraph: warning: hashing with the public demo key from " + key.origin());
    }
    Summary summary;
    try (OutputLock lock =
        OutputLock.acquire(
            outputRoot, "forget by " + audit.actor(), spark.sparkContext().hadoopConfiguration())) {
      summary = forget(spark, outputRoot, targets, audit);
    }
    print(summary);
    return ExitCodes.OK;
  }

  private static Target target(
      String type, String raw, String region, IdentifierNormalizer normalizer, IdentifierHasher hasher) {
    LookupKey k = LookupKey.of(type, raw, region, normalizer, hasher);
    return new Target(k.idType(), k.idHash());
  }

  /** The bulk requests, hashed on the executors; refused whole (exit 2) if any row is bad. */
  private List<Target> bulk(
      SparkSession spark, IdentifierNormalizer normalizer, IdentifierHasher hasher, String phoneRegion) {
    Dataset<Row> table;
    if (DeltaTable.isDeltaTable(spark, requests)) {
      table = spark.read().format("delta").load(requests);
    } else if (!requests.contains("://") && !Files.isRegularFile(java.nio.file.Path.of(requests))) {
      throw new BadInputException(
          "--requests " + requests + " is neither a Delta table nor a CSV file; nothing erased");
    } else {
      table = spark.read().option("header", "true").csv(requests);
    }
    for (String c : List.of(Cols.ID_TYPE, Cols.VALUE)) {
      if (!List.of(table.columns()).contains(c)) {
        throw new BadInputException(
            "--requests "
                + requests
                + ": column '"
                + c
                + "' missing (columns: "
                + String.join(", ", table.columns())
                + "; expected id_type,value); nothing erased");
      }
    }
    Dataset<Row> hashed =
        Plans.store(ErasureTargets.hashed(table, normalizer, hasher, phoneRegion), "idgraph forget requests");
    try {
      long bad = hashed.where(col(ErasureTargets.PROBLEM).isNotNull()).count();
      if (bad > 0) {
        List<String> shown = new ArrayList<>();
        for (Row r :
            hashed.where(col(ErasureTargets.PROBLEM).isNotNull())
                .select(Cols.ID_TYPE, ErasureTargets.SHOWN, ErasureTargets.PROBLEM)
                .limit(5)
                .collectAsList()) {
          shown.add(r.getString(0) + " " + r.getString(1) + ": " + r.getString(2));
        }
        throw new BadInputException(
            "--requests "
                + requests
                + ": "
                + bad
                + " row(s) cannot be hashed ("
                + String.join("; ", shown)
                + (bad > 5 ? "; …" : "")
                + "); nothing erased");
      }
      List<Target> out = new ArrayList<>();
      // One person's identifiers per row: an admin-sized list, never records.
      for (Row r : hashed.select(Cols.ID_TYPE, Cols.ID_HASH).distinct().collectAsList()) {
        out.add(new Target(r.getString(0), r.getString(1)));
      }
      if (out.isEmpty()) {
        throw new BadInputException("--requests " + requests + " holds no request; nothing erased");
      }
      return out;
    } finally {
      Plans.release(hashed);
    }
  }

  private String region(LoadedConfig loaded) {
    if (region != null) {
      String code = region.strip().toUpperCase(java.util.Locale.ROOT);
      if (!com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance().getSupportedRegions().contains(code)) {
        throw new BadInputException(
            "--region '" + region + "' is not an ISO 3166 alpha-2 region code (e.g. US, DE, GB)");
      }
      return code;
    }
    return loaded.job().sources().stream()
        .map(SourceConfig::defaultRegion)
        .filter(r -> r != null)
        .findFirst()
        .orElse(BlockCommand.FALLBACK_REGION);
  }

  /** What an erasure did, for the summary. */
  record Summary(
      String requestId,
      int requested,
      int alreadyRecorded,
      long profiles,
      long records,
      long linked,
      Map<String, Long> rowsByTable) {}

  /**
   * Records the request and applies it; the caller holds the output lock. An identifier already
   * requested is not recorded again, and its erasure is applied again (a forget that died, or an
   * identifier that re-entered before an upgrade).
   */
  static Summary forget(SparkSession spark, String outputRoot, List<Target> targets, Audit audit) {
    Map<Target, String> recorded = ErasureRequests.recorded(spark, outputRoot, targets);
    List<Target> fresh = targets.stream().filter(t -> !recorded.containsKey(t)).toList();
    Request request = ErasureRequests.newRequest(targets, audit, Instant.now());
    String requestId =
        fresh.isEmpty() ? recorded.values().stream().sorted().findFirst().orElseThrow() : request.requestId();
    // First, in one commit: the request survives whatever happens to the erasure below.
    ErasureRequests.append(spark, outputRoot, new Request(requestId, request.requestedAt(), audit, fresh), ErasureRequests.REQUESTED);
    spark.conf().set("spark.databricks.delta.commitInfo.userMetadata", requestId);
    List<Dataset<Row>> stored = new ArrayList<>();
    try {
      RunCommits.recover(spark, outputRoot, requestId);
      return apply(spark, outputRoot, targets, audit, request, requestId, recorded.size(), stored);
    } finally {
      stored.forEach(Plans::release);
      spark.conf().unset("spark.databricks.delta.commitInfo.userMetadata");
    }
  }

  private static Summary apply(
      SparkSession spark,
      String outputRoot,
      List<Target> targets,
      Audit audit,
      Request request,
      String requestId,
      int alreadyRecorded,
      List<Dataset<Row>> stored) {
    // Every table read at its version now: the person is found before anything is deleted.
    Map<String, Dataset<Row>> tables = new HashMap<>();
    for (String t : OutputTables.ALL) {
      OutputTables.readPinned(spark, outputRoot, t).ifPresent(d -> tables.put(t, d));
    }
    Dataset<Row> requested =
        spark.createDataFrame(
            targets.stream().map(t -> RowFactory.create(t.idType(), t.idHash())).toList(),
            new StructType().add(Cols.ID_TYPE, DataTypes.StringType).add(Cols.ID_HASH, DataTypes.StringType));
    Dataset<Row> links = tables.get(OutputTables.IDENTITY_LINKS);
    Dataset<Row> recordProfiles = tables.get(OutputTables.RECORD_PROFILES);
    Instant at = Instant.now();
    if (links == null || recordProfiles == null) {
      // No night wrote a graph yet: the request stands as a suppression list for the first one.
      ErasureRequests.markApplied(spark, outputRoot, zeroCounts(requested), at);
      return new Summary(requestId, targets.size(), alreadyRecorded, 0, 0, 0, Map.of());
    }
    Erasure.Person found = Erasure.person(requested, links, recordProfiles);
    Erasure.Person person =
        new Erasure.Person(
            keep(stored, found.profiles()),
            keep(stored, found.records()),
            keep(stored, found.identifiers()),
            keep(stored, found.holders()));
    long profiles = person.profiles().count();
    long records = person.records().count();
    Dataset<Row> counts = keep(stored, Erasure.counts(person, recordProfiles));
    long linked = person.identifiers().where(col(ErasureRequests.ORIGIN).equalTo(ErasureRequests.LINKED)).count();
    Dataset<Row> allIds = keep(stored, earlierIds(spark, person, tables));
    Dataset<Row> tokens = keep(stored, Erasure.tokens(person, allIds));
    tokens.count();
    // The person's other identifiers join the suppression list under this request.
    Dataset<Row> newLinked =
        person.identifiers()
            .where(col(ErasureRequests.ORIGIN).equalTo(ErasureRequests.LINKED))
            .withColumn(
                ErasureRequests.SUPPRESSED_HASH,
                ErasureRequests.suppressedHash(col(Cols.ID_TYPE), col(Cols.ID_HASH)))
            .join(
                ErasureRequests.read(spark, outputRoot).orElseThrow().select(ErasureRequests.SUPPRESSED_HASH),
                new String[] {ErasureRequests.SUPPRESSED_HASH},
                "left_anti")
            .select(
                lit(requestId).as(ErasureRequests.REQUEST_ID),
                lit(java.sql.Timestamp.from(request.requestedAt())).as(ErasureRequests.REQUESTED_AT),
                lit(audit.actor()).as(ErasureRequests.REQUESTED_BY),
                lit(audit.reason()).as(ErasureRequests.REASON),
                col(Cols.ID_TYPE),
                col(ErasureRequests.SUPPRESSED_HASH),
                col(ErasureRequests.ORIGIN),
                lit(null).cast("timestamp").as(ErasureRequests.APPLIED_AT),
                lit(null).cast("long").as(ErasureRequests.PROFILES_ERASED),
                lit(null).cast("long").as(ErasureRequests.RECORDS_ERASED));
    ErasureRequests.appendRows(spark, outputRoot, keep(stored, newLinked), requestId);

    Map<String, Long> rowsByTable = new LinkedHashMap<>();
    RowEraser eraser = new RowEraser(spark, outputRoot);
    if (profiles > 0) {
      for (Erasure.Deletion d : Erasure.deletions(person, allIds, t -> Optional.ofNullable(tables.get(t)))) {
        rowsByTable.merge(d.table(), eraser.delete(d.table(), d.keys(), d.matches()), Long::sum);
      }
      Dataset<Row> history = tables.get(OutputTables.MERGE_HISTORY);
      if (history != null) {
        Erasure.HistoryRewrite rewrite =
            Erasure.historyRewrite(history, person, tokens, requestId, audit, at);
        Dataset<Row> rows = keep(stored, rewrite.rows());
        rows.count();
        long deleted =
            eraser.delete(
                OutputTables.MERGE_HISTORY,
                rewrite.stale(),
                col("t." + Cols.MERGE_ID).equalTo(col("s." + Erasure.KEY_PROFILE)));
        eraser.append(OutputTables.MERGE_HISTORY, rows, requestId);
        rowsByTable.merge(OutputTables.MERGE_HISTORY, deleted, Long::sum);
      }
      Dataset<Row> changes = tables.get(OutputTables.PROFILE_ID_CHANGES);
      if (changes != null) {
        eraser.append(
            OutputTables.PROFILE_ID_CHANGES,
            Erasure.idChangeTombstones(person, changes.schema(), requestId, at),
            requestId);
      }
      eraser.purge();
      RunCommits.commit(spark, outputRoot, requestId, RunCommits.ERASURE);
    }
    ErasureRequests.markApplied(spark, outputRoot, counts, at);
    LOG.info("[{}] erasure applied: {} profile(s), {} record(s), rows {}", requestId, profiles, records, rowsByTable);
    return new Summary(requestId, targets.size(), alreadyRecorded, profiles, records, linked, rowsByTable);
  }

  private static Dataset<Row> zeroCounts(Dataset<Row> requested) {
    return requested
        .withColumn(ErasureRequests.PROFILES_ERASED, lit(0L))
        .withColumn(ErasureRequests.RECORDS_ERASED, lit(0L));
  }

  private static Dataset<Row> keep(List<Dataset<Row>> stored, Dataset<Row> ds) {
    Dataset<Row> s = Plans.store(ds, "idgraph forget");
    stored.add(s);
    return s;
  }

  /**
   * The erased profiles' ids plus the earlier ids that merged into them (profile_id_changes,
   * followed back a few nights), never an id that is another person's current profile.
   */
  private static Dataset<Row> earlierIds(
      SparkSession spark, Erasure.Person person, Map<String, Dataset<Row>> tables) {
    // One person's profile ids: a handful, collected to follow them back.
    Set<String> ids = new HashSet<>();
    for (Row r : person.profiles().collectAsList()) {
      ids.add(r.getString(0));
    }
    Set<String> current = new HashSet<>(ids);
    Dataset<Row> changes = tables.get(OutputTables.PROFILE_ID_CHANGES);
    Dataset<Row> profiles = tables.get(OutputTables.PROFILES);
    if (changes != null && profiles != null && !ids.isEmpty()) {
      Set<String> frontier = new HashSet<>(ids);
      for (int hop = 0; hop < 20 && !frontier.isEmpty(); hop++) {
        Set<String> next = new HashSet<>();
        for (Row r :
            changes
                .where(col(Cols.NEW_PROFILE_ID).isin(frontier.toArray()))
                .where(col(Cols.CHANGE_TYPE).equalTo("merged"))
                .select(Cols.OLD_PROFILE_ID)
                .distinct()
                .collectAsList()) {
          if (!r.isNullAt(0) && ids.add(r.getString(0))) {
            next.add(r.getString(0));
          }
        }
        frontier = next;
      }
      Set<String> earlier = new HashSet<>(ids);
      earlier.removeAll(current);
      if (!earlier.isEmpty()) {
        // An id can come back to life as another profile's (an unmerge restores it): keep those.
        for (Row r :
            profiles.where(col(Cols.PROFILE_ID).isin(earlier.toArray())).select(Cols.PROFILE_ID).collectAsList()) {
          ids.remove(r.getString(0));
        }
      }
    }
    return spark.createDataFrame(
        ids.stream().sorted().map(id -> RowFactory.create(id)).toList(),
        new StructType().add(Cols.PROFILE_ID, DataTypes.StringType));
  }

  private void print(Summary s) {
    var out = spec.commandLine().getOut();
    out.println(
        "Erased "
            + s.profiles()
            + " profile(s) and "
            + s.records()
            + " record(s) under request "
            + s.requestId()
            + " ("
            + s.requested()
            + " identifier(s) requested"
            + (s.alreadyRecorded() > 0 ? ", " + s.alreadyRecorded() + " of them already recorded" : "")
            + ", "
            + s.linked()
            + " more of the person's identifiers suppressed).");
    if (!s.rowsByTable().isEmpty()) {
      StringBuilder line = new StringBuilder("Rows deleted:");
      s.rowsByTable().forEach((t, n) -> line.append(' ').append(t).append(' ').append(n).append(','));
      line.setLength(line.length() - 1);
      out.println(line);
      out.println(
          "A tombstone per profile is in merge_history and profile_id_changes. Old Delta files still"
              + " hold the rows until VACUUM (README, \"Right to erasure\").");
    } else {
      out.println(
          "No profile holds these identifiers; they are recorded in erasure_requests and will be"
              + " kept out of every later night.");
    }
    out.flush();
  }
}
