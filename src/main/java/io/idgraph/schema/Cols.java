package io.idgraph.schema;

/**
 * Every column name idgraph reads or writes, in one place. Internal helper columns that never reach an
 * output table start with {@link #INTERNAL_PREFIX}.
 */
public final class Cols {
  private Cols() {}

  public static final String INTERNAL_PREFIX = "_ig_";

  // Canonical record (what every connector produces)
  public static final String SOURCE = "source";
  public static final String RECORD_ID = "record_id";
  public static final String EVENT_TIME = "event_time";
  public static final String EVENT_TIME_RAW = "event_time_raw";
  public static final String RAW_IDS = "raw_ids";
  public static final String IDENTIFIERS = "identifiers";
  public static final String TRAITS = "traits";
  public static final String RAW_SIGNALS = "raw_signals";
  public static final String SIGNALS = "signals";
  public static final String ATTRIBUTES = "attributes";
  public static final String ENTITY_TYPE = "entity_type";
  public static final String ENTITY = "entity";

  // Fields of identifier / signal structs
  public static final String ID_TYPE = "id_type";
  public static final String ID_HASH = "id_hash";
  public static final String VALUE = "value";
  public static final String REGION = "region";
  public static final String REJECT_REASON = "reject_reason";
  public static final String SIGNAL_TYPE = "signal_type";
  public static final String SIGNAL_HASH = "signal_hash";

  // Rejections
  public static final String RECORD_REF = "record_ref";
  public static final String FILE = "file";
  /**
   * A hash of a raw row's content, kept with its record in source_records: a snapshot row re-sent
   * unchanged is not normalized again (job.UnchangedSnapshotRows).
   */
  public static final String RAW_FINGERPRINT = "raw_fingerprint";
  public static final String FIELD = "field";
  public static final String REASON = "reason";
  public static final String DETAIL = "detail";

  // Graph
  public static final String SRC_HASH = "src_hash";
  public static final String DST_HASH = "dst_hash";
  public static final String SRC = "src";
  public static final String DST = "dst";
  public static final String VERTEX_ID = "vertex_id";
  public static final String COMPONENT = "component";
  public static final String METHOD = "method";
  public static final String RULE = "rule";
  public static final String CONFIDENCE = "confidence";

  // Outputs
  public static final String RUN_ID = "run_id";
  public static final String PROFILE_ID = "profile_id";
  public static final String STATE = "state";
  public static final String FIRST_SEEN = "first_seen";
  public static final String LAST_SEEN = "last_seen";
  public static final String RECORD_COUNT = "record_count";
  public static final String SOURCES = "sources";
  public static final String LINK_METHOD = "link_method";
  public static final String IDENTIFIER_COUNTS = "identifier_counts";
  public static final String PERSON_ID = "person_id";
  /** A record's profile from deterministic links alone, before probabilistic links joined profiles. */
  public static final String DETERMINISTIC_PROFILE_ID = "deterministic_profile_id";

  // merge_candidates (scored pairs of deterministic profiles; match_weight and contributions:
  // scoring.ScoringModel)
  public static final String PROFILE_A = "profile_a";
  public static final String PROFILE_B = "profile_b";
  public static final String PROBABILITY = "probability";
  public static final String CANDIDATE_ID = "candidate_id";
  public static final String LEVELS = "levels";
  public static final String BLOCKING_KEYS = "blocking_keys";
  public static final String STATUS = "status";

  // History between runs (profile_id_changes, merge_history, merge_snapshots)
  public static final String OLD_PROFILE_ID = "old_profile_id";
  public static final String NEW_PROFILE_ID = "new_profile_id";
  public static final String CHANGE_TYPE = "change_type";
  public static final String CHANGED_AT = "changed_at";
  public static final String MERGE_ID = "merge_id";
  public static final String EVENT = "event";
  public static final String MERGED_AT = "merged_at";
  public static final String SURVIVING_PROFILE_ID = "surviving_profile_id";
  public static final String MERGED_PROFILE_IDS = "merged_profile_ids";
  public static final String SPLIT_PROFILE_IDS = "split_profile_ids";
  public static final String ACTOR = "actor";
  public static final String REVERSIBLE_UNTIL = "reversible_until";

  // Traits
  public static final String FIRST_NAME = "first_name";
  public static final String LAST_NAME = "last_name";
  public static final String COMPANY = "company";
  public static final String CITY = "city";
  public static final String COUNTRY = "country";
  /** Email-tool subscription status as consent: subscribed, unsubscribed or cleaned. */
  public static final String EMAIL_CONSENT = "email_consent";

  // profiles.trait_sources: trait name to the record its value came from
  public static final String TRAIT_SOURCES = "trait_sources";
  public static final String OBSERVED_AT = "observed_at";
  public static final String STRATEGY = "strategy";
}
