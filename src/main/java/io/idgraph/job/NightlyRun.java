package io.idgraph.job;

import static org.apache.spark.sql.functions.*;

import io.idgraph.cluster.Atoms;
import io.idgraph.cluster.IdentityConstraints;
import io.idgraph.cluster.ProfileAssignment;
import io.idgraph.cluster.RuleAwareClustering;
import io.idgraph.cluster.RuleAwareClustering.Result;
import io.idgraph.config.HashKeys.HashKey;
import io.idgraph.config.JobConfig;
import io.idgraph.config.LoadedConfig;
import io.idgraph.config.ScoringConfig;
import io.idgraph.config.SourceConfig;
import io.idgraph.graph.DeterministicEdges;
import io.idgraph.graph.LinkDecisions;
import io.idgraph.graph.LinkRules;
import io.idgraph.history.AffectedScope;
import io.idgraph.history.HistoryEvents;
import io.idgraph.history.ManualInstructions;
import io.idgraph.history.ManualLinks;
import io.idgraph.history.Pins;
import io.idgraph.history.PreviousRun;
import io.idgraph.history.StableIds;
import io.idgraph.normalize.Blocklist;
import io.idgraph.normalize.DoNotLinkIdentifiers;
import io.idgraph.normalize.EmailOptions;
import io.idgraph.normalize.IdentifierHasher;
import io.idgraph.normalize.IdentifierNormalizer;
import io.idgraph.normalize.RecordNormalizer;
import io.idgraph.normalize.RejectReason;
import io.idgraph.ops.ErasureSuppression;
import io.idgraph.profile.ProfileEvents;
import io.idgraph.profile.ProfileTables;
import io.idgraph.quality.MetricsTable;
import io.idgraph.quality.RunMetrics;
import io.idgraph.quality.RunMetrics.SourceCounts;
import io.idgraph.schema.Cols;
import io.idgraph.scoring.CandidateScoring;
import io.idgraph.scoring.CandidateScoring.Scored;
import io.idgraph.scoring.ScoredLinks;
import io.idgraph.scoring.ScoringModel;
import io.idgraph.sink.DeltaSink;
import io.idgraph.sink.RunCommits;
import io.idgraph.spark.Plans;
import io.idgraph.sink.OutputTables;
import io.idgraph.source.RawRecords;
import io.idgraph.source.SourceBatch;
import io.idgraph.source.SourceRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The nightly job, and the only class that sequences stages: read sources → normalize and hash →
 * identity rules (blocklist, hubs, do-not-link) → deterministic graph → rule-aware connected components
 * (priority, limits, do-not-link pairs, size cap) → profiles and history → Delta tables → metrics. Every
 * source is opened (files found, columns checked) before anything is written, so bad input leaves the
 * output untouched. Each stage runs under a Spark job group named after it, so the Spark UI reads like
 * the pipeline, and every Dataset it persists is unpersisted in {@code finally}.
 */
public final class NightlyRun {
  private static final Logger LOG = LoggerFactory.getLogger(NightlyRun.class);
  private final SparkSession spark;
  private final LoadedConfig config;
  private final HashKey key;
  private final SourceRegistry registry;
  private final List<Dataset<Row>> persisted = new ArrayList<>();
  private final Map<String, Double> stageSeconds = new LinkedHashMap<>();
  private String currentStage;
  /** What the current stage produced (counts), printed when it ends. */
  private final List<String> stageFacts = new ArrayList<>();
  private long stageStart;
  private final Map<String, Long> scoringCounts = new LinkedHashMap<>();
  /** Random pairs for u are drawn with a fixed seed, so the same night gives the same model. */
  private static final long RANDOM_PAIRS_SEED = 42;
  private String runId;
  /** A record's content-derived profile key tonight, before manual operations and stable ids. */
  private static final String TONIGHT = Cols.INTERNAL_PREFIX + "tonight";
  /**
   * A scoped night with at most this many records clusters them on the driver
   * (RuleAwareClustering.onDriver): their identifiers fit in memory many times over, and the Spark
   * jobs of the distributed tiers (about 2 s per tier) were most of a small night's components stage.
   */
  static final long DRIVER_CLUSTERING_MAX_RECORDS = 200_000;
  /**
   * An incremental night with at most this many records tonight broadcasts their keys (and the sets
   * derived from them) when it finds its scope: a few megabytes, against shuffling every previous table.
   */
  static final long BROADCAST_MAX_RECORDS = 1_000_000;

  public NightlyRun(
      SparkSession spark, LoadedConfig config, HashKey key, SourceRegistry registry) {
    this.spark = spark;
    this.config = config;
    this.key = key;
    this.registry = registry;
  }

  /** The log context key of the run id: a log pattern shows it with {@code %X{run_id}}. */
  public static final String RUN_ID_LOG_KEY = "run_id";

  public RunResult run(RunContext ctx) {
    runId = ctx.runId();
    // Every log line the run's thread writes (Spark's and Delta's too) carries the run id.
    MDC.put(RUN_ID_LOG_KEY, runId);
    // Task threads on executors get local properties prefixed mdc. as their log context.
    spark.sparkContext().setLocalProperty("mdc." + RUN_ID_LOG_KEY, runId);
    JobConfig job = config.job();
    spark.conf().set("spark.databricks.delta.commitInfo.userMetadata", ctx.runId());
    IdentifierNormalizer identifiers =
        new IdentifierNormalizer(new EmailOptions(job.normalize().emailStripPlusTag()));
    IdentifierHasher hasher = new IdentifierHasher(key.bytes());
    IdentityConstraints constraints =
        IdentityConstraints.of(
            job.rules(), DoNotLinkIdentifiers.resolvePairs(job.rules(), identifiers, hasher));
    RuleAwareClustering clustering = new RuleAwareClustering(constraints, job.graph());
    // A small scoped night is clustered on the driver: the distributed tiers cost seconds each at any size.
    RuleAwareClustering driverClustering = RuleAwareClustering.onDriver(constraints);
    try (OutputLock lock =
        OutputLock.acquire(ctx.outputRoot(), ctx.runId(), spark.sparkContext().hadoopConfiguration())) {
      // A writer that died before its commit left tables ahead of the last committed night: put them
      // back first, so tonight builds on that night and re-reads what the dead one had read.
      RunCommits.recover(spark, ctx.outputRoot(), ctx.runId());
      // Last night's state and the admins' instructions, both from the output tables (lazy).
      PreviousRun previous = PreviousRun.read(spark, ctx.outputRoot());
      ManualInstructions manual = ManualInstructions.read(spark, ctx.outputRoot());
      // Read: listing every source and opening the files tonight reads checks files and columns
      // before any output is touched. Only files no earlier night consumed are read (RunInputs).
      RecordNormalizer normalizer =
          new RecordNormalizer(identifiers, hasher, Blocklist.of(job.rules(), identifiers));
      List<String> recordColumns =
          List.of(
              RecordNormalizer.records(
                      normalizer.evaluate(
                          UnchangedSnapshotRows.withFingerprint(
                              spark.createDataFrame(List.of(), RawRecords.SCHEMA), Map.of())))
                  .columns());
      RunInputs.Plan plan =
          stage("open-sources", () -> RunInputs.plan(spark, job, ctx, hasher, recordColumns));
      RunInputs.log(runId, plan);
      boolean manualSinceLastRun =
          plan.history().isEmpty()
              || manual.recordedSince(lastRunStart(ctx.outputRoot(), plan.history().get().lastRunId()));
      if (plan.nothingNew() && !manualSinceLastRun) {
        LOG.info(
            "[{}] nothing new since run {}: no source has a new or changed file and the config is"
                + " unchanged; nothing written",
            runId,
            plan.history().get().lastRunId());
        return RunResult.nothingNew(ctx.runId(), plan.history().get().lastRunId());
      }
      List<SourceBatch> batches =
          stage("open-sources", () -> RunInputs.read(spark, registry, ctx, plan));
      fact("%d source(s) opened", batches.size());
      FaultPoints.reach(FaultPoints.READ);
      Dataset<Row> raw = batches.get(0).records();
      Dataset<Row> wholeRowsRejected = batches.get(0).rejected();
      for (SourceBatch b : batches.subList(1, batches.size())) {
        raw = raw.unionByName(b.records());
        wholeRowsRejected = wholeRowsRejected.unionByName(b.rejected());
      }

      enter("normalize");
      raw = UnchangedSnapshotRows.withFingerprint(raw, plan.sourceHashes());
      // Rows of re-read snapshots unchanged since the night that normalized them keep that record: it
      // stands as stored, and tonight's records are only the new and changed ones.
      Dataset<Row> previousState = plan.previousState();
      Dataset<Row> replaceable = null;
      long replaceableRows = 0;
      Dataset<Row> unchangedByFile = null;
      Dataset<Row> rawCached = null;
      if (previousState != null && !plan.fullRebuild() && !plan.snapshotDiff().isEmpty()) {
        // Cached: the rows are read twice (which are unchanged, which to normalize), each parse a full
        // read of tonight's exports.
        rawCached = persist(raw);
        raw = rawCached;
        Dataset<Row> unchanged =
            persist(UnchangedSnapshotRows.unchanged(raw, previousState, plan.snapshotDiff()));
        raw = UnchangedSnapshotRows.toNormalize(raw, unchanged);
        long unchangedRows = unchanged.count();
        replaceable =
            persist(
                UnchangedSnapshotRows.replaceable(
                    previousState, unchanged, plan.snapshotDiff(), unchangedRows <= BROADCAST_MAX_RECORDS));
        replaceableRows = replaceable.count();
        // From here on "the previous state" is what tonight's records are compared with.
        previousState = UnchangedSnapshotRows.withoutUnchanged(previousState, replaceable, plan.snapshotDiff());
        unchangedByFile = UnchangedSnapshotRows.rowsByFile(unchanged);
        LOG.info(
            "[{}] {} row(s) of re-read snapshots unchanged since they were normalized: their stored"
                + " records stand",
            runId,
            unchangedRows);
      }
      Dataset<Row> evaluated = persist(normalizer.evaluate(raw));
      // Tonight's records, merged into the earlier nights' state: downstream sees every record.
      // Cached: an incremental night reads tonight's records again for its scope and its state write.
      // Records carrying an erased person's identifier never enter (idgraph forget): ERASED rejections.
      ErasureSuppression erased = ErasureSuppression.read(spark, ctx.outputRoot());
      Dataset<Row> tonight =
          persist(erased.kept(RecordState.withBlocked(RecordNormalizer.records(evaluated), RecordNormalizer.blocked(evaluated))));
      // Tonight's records (and the snapshot records they replace) bound every set derived from tonight's
      // change; while few, their keys are broadcast and the previous state is scanned, never shuffled.
      boolean smallNight =
          previousState != null && tonight.count() + replaceableRows <= BROADCAST_MAX_RECORDS;
      // The state: the previous records that stand (those of sources not read whole, and those of
      // re-read snapshots but for the replaceable ones), and tonight's. On a small night it is not
      // stored: each reader scans the previous state's Delta files for the columns it needs, cheaper
      // than writing all of every record to local disk and reading it back.
      Set<String> standingSources = new java.util.LinkedHashSet<>(plan.keptSources());
      if (replaceable != null) {
        standingSources.addAll(plan.snapshotDiff());
      }
      Dataset<Row> afterTonight =
          previousState == null
              ? tonight
              : RecordState.merge(plan.previousState(), tonight, standingSources, replaceable, smallNight);
      Dataset<Row> state = previousState == null || smallNight ? afterTonight : persist(afterTonight);
      Dataset<Row> records = RecordState.records(state);
      Dataset<Row> recordChanges =
          persist(
              previousState == null
                  ? RecordState.none(spark)
                  : RecordState.changes(
                      previousState,
                      tonight,
                      plan.snapshotDiff(),
                      plan.appendDiff(),
                      ctx.runId(),
                      java.sql.Timestamp.from(ctx.startedAt()),
                      smallNight));
      Dataset<Row> rejected =
          persist(
              erased.rejected(
                      wholeRowsRejected.unionByName(RecordNormalizer.rejected(evaluated)),
                      RecordNormalizer.records(evaluated))
                  .withColumn(Cols.RUN_ID, lit(ctx.runId())));
      Dataset<Row> blocked =
          persist(
              LinkDecisions.blocked(
                  RecordState.blocked(state)
                      .groupBy(Cols.ID_TYPE, Cols.ID_HASH)
                      .agg(count(lit(1)).as(LinkRules.RECORDS))));
      Map<String, Map<String, Long>> acceptedByFile = new HashMap<>();
      Dataset<Row> finalUnchangedByFile = unchangedByFile;
      // The state counted once: the scope logs it too, and an unstored state is a scan of its Delta files.
      long stateRecords =
          stage(
              "normalize",
              () -> {
                Dataset<Row> byFile = tonight.groupBy(Cols.SOURCE, Cols.FILE).count();
                if (finalUnchangedByFile != null) {
                  byFile =
                      byFile
                          .unionByName(finalUnchangedByFile)
                          .groupBy(Cols.SOURCE, Cols.FILE)
                          .agg(sum("count").as("count"));
                }
                for (Row r : byFile.collectAsList()) {
                  acceptedByFile
                      .computeIfAbsent(r.getString(0), k -> new HashMap<>())
                      .put(r.isNullAt(1) ? "" : r.getString(1), r.getLong(2));
                }
                long rejectedRows = rejected.count();
                blocked.count();
                recordChanges.count();
                long all = state.count();
                fact("%,d records, %,d rejected rows and values", all, rejectedRows);
                return all;
              });
      // Every output of tonight's rows is materialized; the raw rows need not stay in memory.
      Plans.release(evaluated);
      if (rawCached != null) {
        Plans.release(rawCached);
      }

      enter("rules");
      // An incremental night recomputes only the profiles tonight's records touch (AffectedScope), and
      // re-checks for hubs only the identifiers those records hold or held: any other identifier
      // carries the same records as last night, so last night's verdict on it stands.
      PreviousOutputs before = scopeOf(ctx, plan, previous, manualSinceLastRun);
      AffectedScope.Change change =
          before == null
              ? null
              : AffectedScope.change(
                  previousState, tonight, plan.keptSources(), job.graph(), smallNight, this::persist);
      boolean hubsOff = job.rules().hubThreshold() == 0 && job.rules().hubNameThreshold() == 0;
      Dataset<Row> hubs;
      if (hubsOff) {
        hubs = LinkDecisions.isolatedHubs(LinkDecisions.none(spark));
      } else if (change == null) {
        hubs =
            LinkDecisions.isolatedHubs(
                LinkRules.hubs(records, job.graph(), job.rules().hubThreshold(), job.rules().hubNameThreshold()));
      } else {
        hubs =
            LinkDecisions.isolatedHubs(
                    LinkRules.hubsAmong(
                        records,
                        change.identifiers(),
                        job.graph(),
                        job.rules().hubThreshold(),
                        job.rules().hubNameThreshold(),
                        smallNight))
                .unionByName(
                    before
                        .hubs()
                        .join(
                            smallNight ? broadcast(change.identifiers()) : change.identifiers(),
                            new String[] {Cols.ID_TYPE, Cols.ID_HASH},
                            "left_anti"));
      }
      Dataset<Row> decisions =
          persist(
              LinkDecisions.withRunId(
                  blocked
                      .unionByName(hubs)
                      .unionByName(
                          LinkDecisions.doNotLink(
                              LinkRules.withRecordCounts(
                                  records,
                                  LinkDecisions.identifiers(
                                      spark,
                                      DoNotLinkIdentifiers.resolve(job.rules(), identifiers, hasher)))))
                      .unionByName(
                          LinkDecisions.doNotLink(
                                  LinkRules.withRecordCounts(
                                      records, manual.blocks().select(Cols.ID_TYPE, Cols.ID_HASH).distinct()))
                              .withColumn(
                                  LinkDecisions.DETAIL,
                                  lit("blocked by an admin (idgraph block; see manual_operations)"))),
                  ctx.runId()));
      fact("%,d identifiers kept from linking", stage("rules", decisions::count));

      // Identifiers the rules keep from linking tonight: hubs and do-not-link (blocklisted values were
      // already taken out of the records by the normalizer).
      Dataset<Row> unlinkable = decisions.where(col(Cols.RULE).notEqual(lit(LinkDecisions.BLOCKLIST)));
      AffectedScope.Scope scope = null;
      Dataset<Row> clusterRecords = records;
      long scopeRecords = 0;
      PreviousRun previousInScope = previous;
      if (before != null) {
        enter("scope");
      }
      // Stored once: the scope reads last night's links four times and its record map twice, and every
      // read of a Delta table lists its files in a Spark job of its own.
      Dataset<Row> previousLinkKeys =
          before == null ? null : persist(before.links().select(Cols.PROFILE_ID, Cols.ID_TYPE, Cols.ID_HASH));
      if (before != null) {
        Dataset<Row> recordMap = persist(before.records().select(Cols.SOURCE, Cols.RECORD_ID, Cols.PROFILE_ID));
        scope =
            stage(
                "scope",
                () -> {
                  AffectedScope.Scope p =
                      AffectedScope.of(
                          change, tonight, records, previousLinkKeys, recordMap, unlinkable, job.graph(), smallNight,
                          this::persist);
                  fact(
                      "incremental night: recomputing %,d previous profile(s) and %,d record(s) of %,d",
                      p.profiles().count(),
                      p.records().count(),
                      stateRecords);
                  return p;
                });
        clusterRecords = scope.records();
        scopeRecords = scope.records().count();
        // Cached: stable ids and history read the scope's previous records several times, and each
        // read would otherwise scan last night's whole record_profiles again.
        PreviousRun narrowed = previous.restrictedTo(scope.profiles());
        previousInScope =
            new PreviousRun(
                persist(narrowed.records()), persist(narrowed.profiles()), true, narrowed.takenIds());
      }

      enter("graph");
      Dataset<Row> anchored =
          persist(
              DeterministicEdges.withAnchors(
                  clusterRecords,
                  job.graph(),
                  unlinkable));
      Dataset<Row> edges =
          persist(DeterministicEdges.aggregate(DeterministicEdges.recordEdges(anchored), ctx.runId()));
      long edgeCount = stage("graph", edges::count);
      fact("%,d identity edges", edgeCount);

      enter("components");
      Dataset<Row> atomized = persist(Atoms.withAtom(anchored));
      Dataset<Row> atomIds = Atoms.identifiers(atomized);
      // Clustering is eager (each tier materializes its groups), so all of it runs inside the stage.
      // A scope this small is clustered on the driver, and its identifiers are broadcast.
      boolean smallScope = scope != null && scopeRecords <= DRIVER_CLUSTERING_MAX_RECORDS;
      RuleAwareClustering nightClustering = smallScope ? driverClustering : clustering;
      Result clustered = stage("components", () -> nightClustering.cluster(atomIds));
      FaultPoints.reach(FaultPoints.COMPONENTS);
      // Both cached and materialized by the clustering until release().
      Dataset<Row> deterministic = persist(ProfileAssignment.assign(atomized, clustered.atomGroups()));
      Dataset<Row> refusals = LinkDecisions.refusedLinks(clustered.refusals());

      Dataset<Row> atomGroups = clustered.atomGroups();
      Dataset<Row> mergeCandidates = null;
      Dataset<Row> modelParameters = null;
      ScoringConfig scoringConfig =
          before == null || before.model() == null
              ? job.scoring()
              : job.scoring().withModel(before.model());
      if (scoringConfig.enabled()) {
        Scored scored =
            stage("scoring", () -> CandidateScoring.score(deterministic, scoringConfig, RANDOM_PAIRS_SEED));
        persisted.add(scored.pairs());
        scoringCounts.putAll(scored.counts());
        fact("%,d candidate pairs scored", scored.counts().getOrDefault("candidates", 0L));
        LOG.info("[{}] scoring model: {}", runId, scored.trained() ? "trained on this night" : "fixed in config");
        Result linked =
            stage(
                "probabilistic-links",
                () ->
                    nightClustering.linkPairs(
                        atomIds,
                        clustered.atomGroups(),
                        ScoredLinks.pairsToMerge(
                            scored
                                .pairs()
                                .join(
                                    manual.rejectedPairs(deterministic),
                                    col(Cols.PROFILE_A)
                                        .equalTo(col("_a"))
                                        .and(col(Cols.PROFILE_B).equalTo(col("_b"))),
                                    "left_anti"),
                            ScoredLinks.groupProfiles(clustered.atomGroups()),
                            scoringConfig.mergeThreshold())));
        atomGroups = linked.atomGroups();
        Dataset<Row> pairRefusals =
            persist(ScoredLinks.withProfileNames(LinkDecisions.refusedLinks(linked.refusals())));
        refusals = refusals.unionByName(pairRefusals);
        Dataset<Row> profileMap = ScoredLinks.profileMap(clustered.atomGroups(), atomGroups);
        mergeCandidates =
            persist(
                ScoredLinks.mergeCandidates(
                    scored.pairs(),
                    profileMap,
                    pairRefusals,
                    scoringConfig.mergeThreshold(),
                    ctx.runId(),
                    java.sql.Timestamp.from(ctx.startedAt())));
        modelParameters = ScoringModel.parameters(spark, scored.model(), ctx.runId());
      }
      enter("profiles");
      Dataset<Row> allDecisions = decisions.unionByName(LinkDecisions.withRunId(refusals, ctx.runId()));

      Dataset<Row> withFinal =
          ProfileAssignment.assign(
              deterministic.withColumnRenamed(Cols.PROFILE_ID, ScoredLinks.DETERMINISTIC_PROFILE_ID),
              atomGroups);
      Dataset<Row> assigned =
          persist(
              mergeCandidates == null
                  ? withFinal
                  : ScoredLinks.withLinkConfidence(withFinal, mergeCandidates));
      // Tonight's clusters are named by content; admins' merges and unmerges apply, then each
      // cluster takes the id it had last night (history.StableIds).
      Dataset<Row> reshaped =
          Pins.apply(
              ManualLinks.apply(assigned.withColumn(TONIGHT, col(Cols.PROFILE_ID)), manual.links()),
              manual.pins());
      StableIds.Result ids = StableIds.assign(reshaped, previousInScope, ctx.runId());
      Dataset<Row> overlap = persist(ids.overlap());
      Dataset<Row> clusters = persist(ids.clusters());
      ids = new StableIds.Result(ids.records(), overlap, clusters);
      Dataset<Row> stable = persist(ids.records());
      Dataset<Row> links = persist(ProfileTables.identityLinks(stable, ctx.runId()));
      Dataset<Row> profiles = persist(ProfileTables.profiles(stable, links, job.survivorship(), ctx.runId()));
      int reversibleDays = job.history().reversibleDays();
      // Profiles new tonight log the source entities they joined (and the scored pairs inside them);
      // profiles that existed log merges and splits of previous profiles.
      Dataset<Row> newClusters =
          clusters.where(size(col(StableIds.INHERITED)).equalTo(0)).select(col(StableIds.CLUSTER), col(Cols.PROFILE_ID));
      Dataset<Row> newRecords = stable.join(newClusters.select(StableIds.CLUSTER), StableIds.CLUSTER, "left_semi");
      Dataset<Row> historyRows =
          ProfileTables.mergeHistory(newRecords, ctx.runId(), ctx.startedAt(), reversibleDays)
              .unionByName(
                  HistoryEvents.merges(
                      ids, stable, previousInScope, manual.info(), ctx.runId(), ctx.startedAt(), reversibleDays))
              .unionByName(HistoryEvents.splits(ids, manual.info(), stable, ctx.runId(), ctx.startedAt()));
      Dataset<Row> snapshotRows = HistoryEvents.snapshots(ids, previousInScope, ctx.runId());
      if (mergeCandidates != null) {
        Dataset<Row> tonightToStable =
            stable.groupBy(col(TONIGHT).as("_tonight")).agg(max(Cols.PROFILE_ID).as("_stable"));
        Dataset<Row> review = manual.reviewStatus();
        mergeCandidates =
            persist(
                mergeCandidates
                    .join(tonightToStable, col(Cols.PROFILE_ID).equalTo(col("_tonight")), "left")
                    .withColumn(Cols.PROFILE_ID, coalesce(col("_stable"), col(Cols.PROFILE_ID)))
                    .join(review, new String[] {Cols.CANDIDATE_ID}, "left")
                    .withColumn(ScoredLinks.STATUS, coalesce(col("_review"), col(ScoredLinks.STATUS)))
                    .drop("_tonight", "_stable", "_review"));
        Dataset<Row> pairMerges =
            ProfileTables.probabilisticMerges(
                    mergeCandidates.join(newClusters.select(Cols.PROFILE_ID), Cols.PROFILE_ID, "left_semi"),
                    ctx.runId(),
                    ctx.startedAt(),
                    reversibleDays);
        historyRows = historyRows.unionByName(pairMerges);
        snapshotRows = snapshotRows.unionByName(HistoryEvents.pairSnapshots(pairMerges, stable));
      }
      Dataset<Row> merges = persist(historyRows);
      Dataset<Row> snapshots = persist(snapshotRows);
      Dataset<Row> changes = persist(HistoryEvents.changes(ids, previousInScope, ctx.runId(), ctx.startedAt()));
      Dataset<Row> recordProfiles = ProfileTables.recordProfiles(stable, ctx.runId());
      // The current-state tables: tonight's rows, and on a scoped night the previous rows to replace.
      StateTable profilesOut = StateTable.whole(OutputTables.PROFILES, profiles);
      StateTable linksOut = StateTable.whole(OutputTables.IDENTITY_LINKS, links);
      StateTable recordProfilesOut = StateTable.whole(OutputTables.RECORD_PROFILES, recordProfiles);
      StateTable eventsOut = StateTable.whole(OutputTables.PROFILE_EVENTS, ProfileEvents.of(stable, ctx.runId()));
      StateTable edgesOut = StateTable.whole(OutputTables.IDENTITY_EDGES, edges);
      StateTable candidatesOut =
          mergeCandidates == null ? null : StateTable.whole(OutputTables.MERGE_CANDIDATES, mergeCandidates);
      long untouchedProfiles = 0;
      if (scope != null) {
        // Rows of affected profiles are replaced by tonight's; every other profile keeps its rows.
        Dataset<Row> affected = scope.profiles();
        Dataset<Row> staleProfiles = affected.select(col(Cols.OLD_PROFILE_ID).as(Cols.PROFILE_ID));
        profilesOut = profilesOut.replacing(before.profiles(), staleProfiles, Cols.PROFILE_ID);
        linksOut = linksOut.replacing(before.links(), staleProfiles, Cols.PROFILE_ID);
        recordProfilesOut = recordProfilesOut.replacing(before.records(), staleProfiles, Cols.PROFILE_ID);
        eventsOut = eventsOut.replacing(before.events(), staleProfiles, Cols.PROFILE_ID);
        if (candidatesOut != null) {
          candidatesOut = candidatesOut.replacing(before.candidates(), staleProfiles, Cols.PROFILE_ID);
        }
        Dataset<Row> scopeIds =
            previousLinkKeys
                .join(affected, col(Cols.PROFILE_ID).equalTo(col(Cols.OLD_PROFILE_ID)), "left_semi")
                .select(Cols.ID_HASH)
                .unionByName(links.select(Cols.ID_HASH));
        edgesOut =
            edgesOut.replacing(
                before.edges(),
                // Stored: the MERGE reads its source twice, and this one scans every previous edge.
                persist(AffectedScope.staleEdges(before.edges(), scopeIds, smallScope)),
                Cols.SRC_HASH,
                Cols.DST_HASH);
        untouchedProfiles =
            stage(
                "profiles",
                () -> AffectedScope.untouchedRows(before.profiles(), Cols.PROFILE_ID, affected).count());
      }
      // The state: tonight's records replace their previous versions and the records that left it.
      StateTable stateOut = StateTable.whole(OutputTables.SOURCE_RECORDS, state);
      if (scope != null) {
        // Only records new, changed or gone tonight: a record re-sent unchanged keeps its row (and the
        // file that last changed it).
        Dataset<Row> touched = scope.touched();
        stateOut =
            new StateTable(
                OutputTables.SOURCE_RECORDS,
                tonight.join(touched, new String[] {Cols.SOURCE, Cols.RECORD_ID}, "left_semi"),
                state,
                touched,
                new String[] {Cols.SOURCE, Cols.RECORD_ID});
      } else if (previousState != null) {
        // The records of sources read whole are replaced, but for the unchanged rows of re-read
        // snapshots: their stored records stand.
        Dataset<Row> keys = previousState.select(Cols.SOURCE, Cols.RECORD_ID);
        stateOut =
            new StateTable(
                OutputTables.SOURCE_RECORDS,
                tonight,
                state,
                keys.where(not(col(Cols.SOURCE).isin(plan.keptSources().toArray())))
                    .unionByName(tonight.select(Cols.SOURCE, Cols.RECORD_ID))
                    .distinct(),
                new String[] {Cols.SOURCE, Cols.RECORD_ID});
      }
      StateTable finalProfiles = profilesOut;
      StateTable finalLinks = linksOut;
      StateTable finalRecordProfiles = recordProfilesOut;
      StateTable finalEvents = eventsOut;
      StateTable finalEdges = edgesOut;
      StateTable finalCandidates = candidatesOut;
      StateTable finalState = stateOut;
      Dataset<Row> parameters = modelParameters;
      ConcurrentJobs counts = new ConcurrentJobs();
      Supplier<Long> profileCount = counts.query(profiles::count);
      Supplier<Long> mergeCount = counts.query(merges::count);
      counts
              .add(snapshots::count)
              .add(changes::count);
      if (finalCandidates != null) {
        counts.add(finalCandidates.tonight()::count);
      }
      stage(
          "profiles",
          () -> {
            counts.run();
            return null;
          });
      fact("%,d profiles %s, %,d merge history rows", profileCount.get(), scope == null ? "built" : "rebuilt in scope",
          mergeCount.get());

      enter("publish-gate");
      // Counted before the write replaces the tables the previous run is read from. The records by
      // source serve the gate and the metrics alike.
      ConcurrentJobs gateCounts = new ConcurrentJobs();
      Supplier<Long> previousCount =
          gateCounts.query(() -> previous.present() ? previous.profiles().count() : 0L);
      Supplier<Map<String, Long>> bySource = gateCounts.query(() -> countBy(records, Cols.SOURCE));
      Supplier<Long> merged =
          gateCounts.query(() -> changes.where(col(Cols.CHANGE_TYPE).equalTo(HistoryEvents.MERGED)).count());
      gateCounts.run();
      long previousProfiles = previousCount.get();
      Map<String, Long> recordsBySource = bySource.get();
      checkPublishGate(ctx, recordsBySource, previous.present(), previousProfiles, merged.get());

      DeltaSink sink = new DeltaSink(spark, ctx.outputRoot(), ctx.runId());
      stage(
          "write",
          () -> {
            // The slowest writes first, so that the short appends fill in around them.
            ConcurrentJobs writes =
                new ConcurrentJobs()
                    .add(() -> finalEdges.write(sink))
                    .add(() -> finalProfiles.write(sink))
                    .add(() -> finalLinks.write(sink))
                    .add(() -> finalRecordProfiles.write(sink))
                    .add(() -> finalEvents.write(sink))
                    .add(() -> finalState.write(sink));
            if (finalCandidates != null) {
              // The review queue as of tonight (idgraph review approves or rejects its rows).
              writes
                  .add(() -> finalCandidates.write(sink))
                  .add(() -> sink.append(OutputTables.MODEL_PARAMETERS, parameters));
            }
            writes
                .add(() -> sink.append(OutputTables.MERGE_HISTORY, merges))
                .add(() -> sink.append(OutputTables.MERGE_SNAPSHOTS, snapshots))
                .add(() -> sink.append(OutputTables.PROFILE_ID_CHANGES, changes))
                .add(() -> sink.append(OutputTables.REJECTED_RECORDS, rejected))
                .add(() -> sink.append(OutputTables.LINK_DECISIONS, allDecisions))
                .add(() -> sink.append(OutputTables.RECORD_CHANGES, recordChanges))
                .run();
            FaultPoints.reach(FaultPoints.WRITE);
            // Last: once the manifest lists tonight's files, the next night takes them as consumed.
            sink.append(
                OutputTables.RUN_MANIFEST,
                RunManifest.rows(
                    spark,
                    ctx.runId(),
                    plan.sequence(),
                    ctx.startedAt(),
                    plan.decisions(),
                    plan.sourceHashes(),
                    plan.configHash(),
                    acceptedByFile));
            return null;
          });
      fact("tables written under %s", ctx.outputRoot());

      endStage();
      long metricsStart = System.nanoTime();
      Map<String, Long> idChanges = new LinkedHashMap<>();
      if (previous.present()) {
        idChanges.put("previous_profiles", previousProfiles);
        // Profiles outside tonight's scope keep their ids untouched.
        idChanges.put(
            "kept",
            untouchedProfiles
                + clusters.where(array_contains(col(StableIds.INHERITED), col(Cols.PROFILE_ID))).count());
        for (String type :
            List.of(HistoryEvents.MERGED, HistoryEvents.SPLIT, HistoryEvents.UNMERGED, HistoryEvents.DELETED)) {
          idChanges.put(type, 0L);
        }
        for (Row r : changes.groupBy(Cols.CHANGE_TYPE).count().collectAsList()) {
          idChanges.put(r.getString(0), r.getLong(1));
        }
      }
      // A scoped night wrote only its rows: the metrics count the tables as written.
      Dataset<Row> allLinks = scope == null ? links : sink.current(OutputTables.IDENTITY_LINKS);
      Dataset<Row> allProfiles = scope == null ? profiles : sink.current(OutputTables.PROFILES);
      long allEdges = scope == null ? edgeCount : sink.current(OutputTables.IDENTITY_EDGES).count();
      RunMetrics metrics =
          metrics(
              ctx, records, recordsBySource, rejected, allLinks, allProfiles, merges, allDecisions, allEdges,
              metricsStart, idChanges, nightClustering.stats().asMap());
      sink.append(OutputTables.RUN_METRICS, MetricsTable.of(spark, metrics));
      // The night counts from here: one atomic append records every table's version (RunCommits).
      RunCommits.commit(spark, ctx.outputRoot(), ctx.runId(), RunCommits.RUN);
      // <output>/report.html from the tables as written; a failure there only warns (RunReports).
      if (job.report().enabled()) {
        RunReports.write(spark, ctx.outputRoot(), metrics);
      }
      return RunResult.ran(metrics);
    } finally {
      spark.sparkContext().clearJobGroup();
      clustering.release();
      driverClustering.release();
      persisted.forEach(Plans::release);
      spark.conf().unset("spark.databricks.delta.commitInfo.userMetadata");
      spark.sparkContext().setLocalProperty("mdc." + RUN_ID_LOG_KEY, null);
      MDC.remove(RUN_ID_LOG_KEY);
    }
  }

  /**
   * The previous outputs a scoped incremental night builds on, or null when tonight recomputes every
   * profile: a first night, --full-rebuild, a changed config, an admin operation since the last run
   * (it may reshape any profile), or a previous table missing.
   */
  private PreviousOutputs scopeOf(
      RunContext ctx, RunInputs.Plan plan, PreviousRun previous, boolean manualSinceLastRun) {
    String refusal = null;
    if (plan.previousState() == null || plan.fullRebuild() || plan.history().isEmpty() || !previous.present()) {
      return null;
    } else if (!plan.configHash().equals(plan.history().get().configHash())) {
      refusal = "the config changed since the last run";
    } else if (manualSinceLastRun) {
      refusal = "an admin recorded an operation since the last run";
    }
    PreviousOutputs.Either read =
        refusal != null
            ? null
            : PreviousOutputs.read(spark, ctx.outputRoot(), config.job().scoring(), plan.history().get().lastRunId());
    if (read != null && read.outputs() != null) {
      return read.outputs();
    }
    LOG.info(
        "[{}] incremental input, but every profile is recomputed: {}",
        runId,
        refusal != null ? refusal : read.refusal());
    return null;
  }

  /** When the given run started, from run_metrics (null if it left no row). */
  private java.sql.Timestamp lastRunStart(String outputRoot, String lastRunId) {
    return OutputTables.read(spark, outputRoot, OutputTables.RUN_METRICS)
        .flatMap(
            m ->
                m.where(col(Cols.RUN_ID).equalTo(lastRunId)).select("started_at").collectAsList().stream()
                    .findFirst())
        .map(r -> r.getTimestamp(0))
        .orElse(null);
  }

  /**
   * Caches a stage's result under a fresh plan. Every later query is planned against the plans it
   * builds on; without the cut, the plans of the whole night pile up and planning each query took
   * longer than running it (sample data: profiles 3.8 s → 16.7 s once scoring added its stages).
   */
  private Dataset<Row> persist(Dataset<Row> ds) {
    Dataset<Row> p = Plans.store(ds, "idgraph");
    persisted.add(p);
    return p;
  }

  /**
   * Stops the night before any write if a source collapsed against the previous run, or if more than
   * history.max_merge_ratio of the previous run's profiles merged into others tonight.
   */
  private void checkPublishGate(
      RunContext ctx,
      Map<String, Long> recordsBySource,
      boolean hasPrevious,
      long previousProfiles,
      long mergedTonight) {
    double minRatio = config.job().history().minSourceRatio();
    double maxMerges = config.job().history().maxMergeRatio();
    List<String> problems = new ArrayList<>();
    if (minRatio > 0) {
      Map<String, Long> tonight = new TreeMap<>();
      config.job().sources().forEach(s -> tonight.put(s.name(), 0L));
      tonight.putAll(recordsBySource);
      for (PublishGate.Collapse c :
          PublishGate.collapses(PublishGate.previousAccepted(spark, ctx.outputRoot()), tonight, minRatio)) {
        problems.add(c.describe(minRatio));
      }
    }
    if (maxMerges > 0 && hasPrevious) {
      PublishGate.mergeSpike(previousProfiles, mergedTonight, maxMerges).ifPresent(problems::add);
    }
    if (problems.isEmpty()) {
      return;
    }
    StringBuilder message = new StringBuilder("publish gate: nothing written, yesterday's tables stand.");
    for (String p : problems) {
      message.append(" ").append(p).append(";");
    }
    if (ctx.skipPublishGate()) {
      LOG.warn("[{}] {} Written anyway: --skip-publish-gate.", runId, message);
      return;
    }
    message.append(" If the export is right, run again with --skip-publish-gate.");
    throw new PublishGateException(message.toString());
  }

  /** Rows by the value of {@code column} (a string column). */
  private static Map<String, Long> countBy(Dataset<Row> rows, String column) {
    Map<String, Long> out = new HashMap<>();
    for (Row r : rows.groupBy(column).count().collectAsList()) {
      out.put(r.getString(0), r.getLong(1));
    }
    return out;
  }

  /** Enters {@code name} (see {@link #enter}) and runs its eager part. */
  private <T> T stage(String name, Supplier<T> body) {
    enter(name);
    return body.get();
  }

  /**
   * Ends the current stage and starts {@code name}: every second of the night until the next stage
   * counts for this one, so the stage times add up to the night. Persisting a Dataset runs its
   * query, and the persists between two eager steps were once counted nowhere (measured at 1M
   * persons: 7.5 minutes of reading and normalizing before "normalize" started). Each stage runs
   * under a Spark job group of its name.
   */
  private void enter(String name) {
    if (name.equals(currentStage)) {
      return;
    }
    endStage();
    spark.sparkContext().setJobGroup(name, "idgraph: " + name, false);
    LOG.info("[{}] stage {} started", runId, name);
    currentStage = name;
    stageStart = System.nanoTime();
  }

  /** Notes what the current stage produced; printed with the stage's end. */
  private void fact(String format, Object... args) {
    stageFacts.add(String.format(format, args));
  }

  /** Ends the current stage, if any, adding its time to {@link #stageSeconds}. */
  private void endStage() {
    if (currentStage == null) {
      return;
    }
    double seconds = (System.nanoTime() - stageStart) / 1e9;
    stageSeconds.merge(currentStage, seconds, Double::sum);
    LOG.info(
        "[{}] stage {} done in {} s{}",
        runId,
        currentStage,
        String.format("%.1f", seconds),
        stageFacts.isEmpty() ? "" : ": " + String.join("; ", stageFacts));
    stageFacts.clear();
    currentStage = null;
  }

  private RunMetrics metrics(
      RunContext ctx,
      Dataset<Row> records,
      Map<String, Long> recordsBySource,
      Dataset<Row> rejected,
      Dataset<Row> links,
      Dataset<Row> profiles,
      Dataset<Row> merges,
      Dataset<Row> decisions,
      long edgeCount,
      long metricsStart,
      Map<String, Long> idChanges,
      Map<String, Long> clustering) {
    spark.sparkContext().setJobGroup("metrics", "idgraph: metrics", false);
    // Small queries, each mostly scheduling: run a few at a time.
    ConcurrentJobs queries = new ConcurrentJobs();
    Supplier<List<Row>> rejectedRows =
        queries.query(() -> rejected.groupBy(Cols.SOURCE, Cols.REASON).count().collectAsList());
    Supplier<List<Row>> idRows =
        queries.query(() -> links.groupBy(Cols.ID_TYPE).agg(countDistinct(Cols.ID_HASH)).collectAsList());
    Supplier<List<Row>> stateRows = queries.query(() -> profiles.groupBy(Cols.STATE).count().collectAsList());
    Supplier<List<Row>> largestRows =
        queries.query(
            () ->
                profiles
                    .orderBy(col(Cols.RECORD_COUNT).desc(), col(Cols.PROFILE_ID))
                    .select(Cols.PROFILE_ID, Cols.RECORD_COUNT)
                    .limit(1)
                    .collectAsList());
    Supplier<Long> entityCount = queries.query(() -> records.select(Cols.ENTITY).distinct().count());
    Supplier<List<Row>> decisionRows =
        queries.query(
            () ->
                decisions
                    .groupBy(Cols.RULE)
                    .agg(count(lit(1)), coalesce(sum(LinkRules.RECORDS), lit(0L)))
                    .collectAsList());
    Supplier<Long> mergeRows = queries.query(merges::count);
    queries.run();
    Map<String, Map<String, Long>> rejectedBySource = new HashMap<>();
    Map<String, Long> byReason = new TreeMap<>();
    for (Row r : rejectedRows.get()) {
      rejectedBySource
          .computeIfAbsent(r.getString(0), s -> new HashMap<>())
          .put(r.getString(1), r.getLong(2));
      byReason.merge(r.getString(1), r.getLong(2), Long::sum);
    }
    List<SourceCounts> sources = new ArrayList<>();
    for (SourceConfig s : config.job().sources()) {
      Map<String, Long> reasons = rejectedBySource.getOrDefault(s.name(), Map.of());
      long whole =
          reasons.getOrDefault(RejectReason.MALFORMED_ROW.name(), 0L)
              + reasons.getOrDefault(RejectReason.INVALID_JSON.name(), 0L)
              + reasons.getOrDefault(RejectReason.UNDECODABLE_TEXT.name(), 0L)
              + reasons.getOrDefault(RejectReason.MISSING_RECORD_ID.name(), 0L)
              + reasons.getOrDefault(RejectReason.ERASED.name(), 0L);
      long duplicates = reasons.getOrDefault(RejectReason.DUPLICATE_SUPERSEDED.name(), 0L);
      long values = reasons.values().stream().mapToLong(Long::longValue).sum() - whole - duplicates;
      long acc = recordsBySource.getOrDefault(s.name(), 0L);
      sources.add(new SourceCounts(s.name(), acc + whole + duplicates, acc, whole, duplicates, values));
    }
    Map<String, Long> idsByType = new TreeMap<>();
    for (Row r : idRows.get()) {
      idsByType.put(r.getString(0), r.getLong(1));
    }
    Map<String, Long> byState = new TreeMap<>();
    long profileCount = 0;
    for (Row r : stateRows.get()) {
      byState.put(r.getString(0), r.getLong(1));
      profileCount += r.getLong(1);
    }
    List<Row> largest = largestRows.get();
    long entities = entityCount.get();
    Map<String, Long> decisionIds = new TreeMap<>();
    Map<String, Long> decisionRecords = new TreeMap<>();
    for (Row r : decisionRows.get()) {
      decisionIds.put(r.getString(0), r.getLong(1));
      decisionRecords.put(r.getString(0), r.getLong(2));
    }
    long mergeCount = mergeRows.get();
    stageSeconds.put("metrics", (System.nanoTime() - metricsStart) / 1e9);
    return new RunMetrics(
        ctx.runId(),
        ctx.startedAt(),
        Instant.now(),
        sources,
        idsByType,
        byState,
        profileCount,
        mergeCount,
        largest.isEmpty() ? 0 : largest.get(0).getLong(1),
        largest.isEmpty() ? null : largest.get(0).getString(0),
        edgeCount,
        entities,
        entities == 0 ? 0.0 : (entities - profileCount) / (double) entities,
        byReason,
        decisionIds,
        decisionRecords,
        new LinkedHashMap<>(stageSeconds),
        new LinkedHashMap<>(scoringCounts),
        idChanges,
        clustering);
  }
}
