package io.idgraph.normalize;

/** Why a row or a value was rejected; stored by name in rejected_records.reason. */
public enum RejectReason {
  /** A CSV row with the wrong number of columns or broken quoting. */
  MALFORMED_ROW,
  /** A JSON Lines line that is not a JSON object. */
  INVALID_JSON,
  /**
   * A row with bytes its file's encoding cannot decode (a Latin-1 export read as UTF-8): quarantined
   * rather than stored as mojibake.
   */
  UNDECODABLE_TEXT,
  /** A row without a record id. */
  MISSING_RECORD_ID,
  /** An older row of a record id that a newer row replaced. */
  DUPLICATE_SUPERSEDED,
  /** Not an email address. */
  INVALID_EMAIL,
  /** Not a valid phone number, or a national number without a region to read it in. */
  INVALID_PHONE,
  /** Not an IPv4 or IPv6 address. */
  INVALID_IP,
  /** An identifier value that its type does not allow. */
  INVALID_IDENTIFIER,
  /** A time that is neither ISO-8601 nor epoch milliseconds. */
  UNPARSEABLE_TIMESTAMP,
  /** An identifier type idgraph does not know. */
  UNKNOWN_ID_TYPE,
  /** A value longer than its type allows. */
  VALUE_TOO_LONG,
  /** A junk value on the blocklist: counted in link_decisions, not in rejected_records. */
  BLOCKED,
  /**
   * A record carrying an identifier whose person was erased (idgraph forget; the hash is in
   * erasure_requests): the whole record stays out of the graph. Its row names the source, file and
   * matched identifier type, never the record id.
   */
  ERASED
}
