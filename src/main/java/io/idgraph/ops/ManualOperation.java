package io.idgraph.ops;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * One row of manual_operations: a standing instruction that every later nightly run applies. Built
 * only through the factories, which fill exactly the fields their operation uses (the others are
 * null or empty, as the table contract in {@link ManualOperations} says).
 *
 * @param opId "op_" + 16 hex: SHA-256 of operation, arguments, actor and requested_at
 * @param requestedAt when it was recorded, truncated to microseconds (what a Delta timestamp holds)
 * @param profileIds merge: the two profile ids; approve/reject: profile_a, profile_b; else empty
 * @param anchorRecords one record per entry of profileIds, in the same order; else empty
 */
public record ManualOperation(
    String opId,
    String operation,
    Instant requestedAt,
    String actor,
    String reason,
    List<String> profileIds,
    List<AnchorRecord> anchorRecords,
    String mergeId,
    String idType,
    String idHash,
    String candidateId) {

  public ManualOperation {
    profileIds = List.copyOf(profileIds);
    anchorRecords = List.copyOf(anchorRecords);
  }

  static ManualOperation merge(
      List<String> profileIds, List<AnchorRecord> anchors, Audit audit, Instant at) {
    return of(ManualOperations.MERGE, audit, at, profileIds, anchors, null, null, null, null);
  }

  static ManualOperation unmerge(String mergeId, Audit audit, Instant at) {
    return of(ManualOperations.UNMERGE, audit, at, List.of(), List.of(), mergeId, null, null, null);
  }

  static ManualOperation block(String idType, String idHash, Audit audit, Instant at) {
    return of(ManualOperations.BLOCK, audit, at, List.of(), List.of(), null, idType, idHash, null);
  }

  /** An approve or reject decision on a scored pair; {@code operation} is one of the two. */
  static ManualOperation review(
      String operation,
      String candidateId,
      List<String> profileIds,
      List<AnchorRecord> anchors,
      Audit audit,
      Instant at) {
    return of(operation, audit, at, profileIds, anchors, null, null, null, candidateId);
  }

  private static ManualOperation of(
      String operation,
      Audit audit,
      Instant at,
      List<String> profileIds,
      List<AnchorRecord> anchors,
      String mergeId,
      String idType,
      String idHash,
      String candidateId) {
    Instant micros = at.truncatedTo(ChronoUnit.MICROS);
    List<String> parts = new ArrayList<>();
    parts.add(operation);
    parts.addAll(profileIds);
    anchors.forEach(a -> parts.add(a.source() + ":" + a.recordId()));
    parts.add(Objects.toString(mergeId, ""));
    parts.add(Objects.toString(idType, ""));
    parts.add(Objects.toString(idHash, ""));
    parts.add(Objects.toString(candidateId, ""));
    parts.add(audit.actor());
    parts.add(micros.toString());
    String opId =
        "op_"
            + DigestUtils.sha256Hex(String.join("|", parts).getBytes(StandardCharsets.UTF_8))
                .substring(0, 16);
    return new ManualOperation(
        opId,
        operation,
        micros,
        audit.actor(),
        audit.reason(),
        profileIds,
        anchors,
        mergeId,
        idType,
        idHash,
        candidateId);
  }

  /** A few words naming what the operation does, for the confirmation line. */
  public String describe() {
    switch (operation) {
      case ManualOperations.MERGE:
        return "merge of " + String.join(" and ", profileIds);
      case ManualOperations.UNMERGE:
        return "unmerge of " + mergeId;
      case ManualOperations.BLOCK:
        return "block of " + idType + " " + idHash.substring(0, 12) + "…";
      default:
        return operation
            + " of candidate "
            + candidateId
            + " ("
            + String.join(" + ", profileIds)
            + ")";
    }
  }
}
