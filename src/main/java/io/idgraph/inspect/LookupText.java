package io.idgraph.inspect;

import io.idgraph.inspect.ProfileReport.Decision;
import io.idgraph.inspect.ProfileReport.Holder;
import io.idgraph.inspect.ProfileReport.IdChange;
import io.idgraph.inspect.ProfileReport.Identifier;
import io.idgraph.inspect.ProfileReport.Merge;
import io.idgraph.inspect.ProfileReport.Trait;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The text {@code idgraph lookup} prints for a {@link LookupResult}: sections for the profile,
 * identifiers (hash shortened to {@link #HASH_CHARS} hex characters; --json has them whole),
 * traits with where each came from, records by source, merge history and old ids absorbed.
 */
public final class LookupText {
  /** Hex characters of a hash shown in text; enough to tell identifiers of one profile apart. */
  public static final int HASH_CHARS = 16;
  /** Profile ids shown per merge_history row; the rest are counted. */
  private static final int IDS_PER_MERGE = 4;

  private LookupText() {}

  public static String format(LookupResult result) {
    StringBuilder out = new StringBuilder();
    if (!result.found()) {
      out.append("no profile holds ").append(result.key().describe()).append('\n');
      decisions(out, result.decisions());
      if (result.decisions().isEmpty()) {
        out.append(
            "(no record of the last run carries it; if one should, check that --config hashes with"
                + " the nightly job's key: IDGRAPH_HASH_KEY or hashing.key_file)\n");
      }
      return out.toString();
    }
    if (result.key() != null) {
      out.append("looked up: ").append(result.key().describe()).append('\n');
    }
    if (result.report() == null) {
      List<Holder> holders = result.holders();
      out.append("held by ")
          .append(holders.size() >= ProfileLookup.MAX_HOLDERS ? "at least " : "")
          .append(holders.size())
          .append(" profiles: the identity rules kept it from joining them into one")
          .append(" (look one up with --profile-id)\n");
      decisions(out, result.decisions());
      List<List<String>> rows = new ArrayList<>();
      rows.add(List.of("profile", "state", "records", "sources", "records with it", "link"));
      for (Holder h : holders) {
        rows.add(
            List.of(
                h.profileId(),
                String.valueOf(h.state()),
                String.valueOf(h.recordCount()),
                String.join(",", h.sources()),
                String.valueOf(h.identifierRecords()),
                link(h.linkMethod(), h.confidence())));
      }
      table(out, rows);
      return out.toString();
    }
    decisions(out, result.decisions());
    report(out, result.report());
    return out.toString();
  }

  private static void decisions(StringBuilder out, List<Decision> decisions) {
    for (Decision d : decisions) {
      out.append("rule ")
          .append(d.rule())
          .append(" (run ")
          .append(d.runId())
          .append("): ")
          .append(d.detail() == null ? "" : d.detail())
          .append('\n');
    }
  }

  private static void report(StringBuilder out, ProfileReport r) {
    ProfileReport.Profile p = r.profile();
    if (r.redirect() != null) {
      out.append("note: ").append(r.redirect()).append('\n');
    }
    out.append("profile ")
        .append(p.profileId())
        .append(" (")
        .append(p.state())
        .append("): ")
        .append(p.recordCount())
        .append(p.recordCount() == 1 ? " record" : " records")
        .append(" from ")
        .append(String.join(", ", p.sources()))
        .append("; first seen ")
        .append(p.firstSeen())
        .append(", last seen ")
        .append(p.lastSeen())
        .append("; run ")
        .append(p.runId())
        .append('\n');

    out.append("\nidentifiers (")
        .append(r.identifiers().size() + r.identifiersOmitted())
        .append(")\n");
    List<List<String>> rows = new ArrayList<>();
    rows.add(
        List.of(
            "type",
            "hash (first " + HASH_CHARS + ")",
            "records",
            "first seen",
            "last seen",
            "sources",
            "link",
            "rules"));
    for (Identifier i : r.identifiers()) {
      rows.add(
          List.of(
              i.idType(),
              shortHash(i.idHash()),
              String.valueOf(i.records()),
              String.valueOf(i.firstSeen()),
              String.valueOf(i.lastSeen()),
              String.join(",", i.sources()),
              link(i.linkMethod(), i.confidence()),
              String.join(",", i.rules())));
    }
    table(out, rows);
    if (r.identifiersOmitted() > 0) {
      out.append("  (")
          .append(r.identifiersOmitted())
          .append(" more not listed; query identity_links)\n");
    }

    out.append("\ntraits\n");
    if (r.traits().isEmpty()) {
      out.append("  none\n");
    }
    rows = new ArrayList<>();
    for (Trait t : r.traits()) {
      rows.add(
          List.of(
              t.name(),
              t.value(),
              t.source() == null
                  ? ""
                  : "from " + t.source() + ":" + t.recordId() + " at " + t.observedAt() + " (" + t.strategy() + ")"));
    }
    if (!rows.isEmpty()) {
      table(out, rows);
    }

    out.append("\nrecords by source: ");
    List<String> counts = new ArrayList<>();
    for (Map.Entry<String, Long> e : r.recordsBySource().entrySet()) {
      counts.add(e.getKey() + " " + e.getValue());
    }
    out.append(String.join(", ", counts)).append('\n');

    out.append("\nmerge history (").append(r.merges().size()).append(")\n");
    if (r.merges().isEmpty()) {
      out.append("  none\n");
    }
    for (Merge m : r.merges()) {
      out.append("  ")
          .append(m.mergedAt())
          .append(' ')
          .append(m.event())
          .append(' ')
          .append(m.method());
      if (m.probability() != null) {
        out.append(String.format(Locale.ROOT, " p=%.3f", m.probability()));
      }
      out.append(" by ").append(m.actor()).append(" (").append(m.mergeId()).append(")");
      if (!m.survivingProfileId().equals(p.profileId())) {
        out.append(" into ").append(m.survivingProfileId());
      }
      if ("split".equals(m.event())) {
        out.append(": ").append(ids(m.mergedProfileIds())).append(" split into ").append(ids(m.splitProfileIds()));
      } else {
        out.append(": joined ").append(ids(m.mergedProfileIds()));
      }
      if (m.reason() != null) {
        out.append("; ").append(m.reason());
      }
      out.append('\n');
    }

    out.append("\nold profile ids absorbed (").append(r.absorbedIds().size()).append(")\n");
    if (r.absorbedIds().isEmpty()) {
      out.append("  none\n");
    }
    for (IdChange c : r.absorbedIds()) {
      out.append("  ")
          .append(c.changedAt())
          .append(' ')
          .append(c.oldProfileId())
          .append(' ')
          .append(c.changeType())
          .append(" (run ")
          .append(c.runId())
          .append(c.mergeId() == null ? "" : ", " + c.mergeId())
          .append(")\n");
    }
  }

  /** Profile ids or entities; an entity is "type:hash" (e.g. external_id:crm:&lt;hash&gt;), shortened. */
  private static String ids(List<String> ids) {
    List<String> shown = new ArrayList<>();
    for (int i = 0; i < Math.min(IDS_PER_MERGE, ids.size()); i++) {
      String id = ids.get(i);
      int colon = id.lastIndexOf(':');
      shown.add(colon >= 0 && id.length() - colon - 1 > HASH_CHARS ? id.substring(0, colon + 1) + shortHash(id.substring(colon + 1)) : id);
    }
    String text = String.join(", ", shown);
    return ids.size() > IDS_PER_MERGE ? text + " (+" + (ids.size() - IDS_PER_MERGE) + " more)" : text;
  }

  static String shortHash(String hash) {
    return hash == null || hash.length() <= HASH_CHARS ? String.valueOf(hash) : hash.substring(0, HASH_CHARS);
  }

  private static String link(String method, Double confidence) {
    if (method == null) {
      return "";
    }
    return confidence == null || confidence >= 1.0
        ? method
        : method + String.format(Locale.ROOT, " %.3f", confidence);
  }

  /** Left-aligned columns, two spaces apart, indented by two. */
  private static void table(StringBuilder out, List<List<String>> rows) {
    int[] width = new int[rows.get(0).size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder("  ");
      for (int i = 0; i < row.size(); i++) {
        line.append(row.get(i)).append(" ".repeat(width[i] - row.get(i).length() + 2));
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
  }
}
