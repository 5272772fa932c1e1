package io.idgraph.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.idgraph.explain.Explanation.End;
import io.idgraph.explain.Explanation.Hop;
import io.idgraph.explain.Scope.Candidate;
import io.idgraph.explain.Scope.Decision;
import io.idgraph.explain.Scope.Identifier;
import io.idgraph.explain.Scope.RecordRow;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LinkChainTest {
  private static final String E = "e".repeat(64);
  private static final String X = "a".repeat(64);
  private static final String Y = "b".repeat(64);

  @Test
  void avoidsRefusedIdentifiersAndFallsBackOnlyToPartlyRefusedOnes() {
    RecordRow r1 = row("r1", "F", "D", id("email", E), id("user_id", X));
    RecordRow r2 = row("r2", "F", "D", id("email", E), id("phone", Y));
    RecordRow r3 = row("r3", "F", "D", id("user_id", X), id("phone", Y));
    Decision limit = new Decision("limit", "email", E, 2L, 2L, "kept from 1 group");

    Explanation around =
        explain(
            rec("r1", "F", "D"),
            rec("r2", "F", "D"),
            new Scope(List.of(r1, r2, r3), List.of(), List.of(limit)));
    assertThat(around.hops())
        .extracting(Hop::from, Hop::to, Hop::idType, Hop::idHashPrefix, Hop::note)
        .containsExactly(
            tuple("t:r1", "t:r3", "user_id", "aaaaaaaaaaaa", null),
            tuple("t:r3", "t:r2", "phone", "bbbbbbbbbbbb", null));

    Explanation through =
        explain(
            rec("r1", "F", "D"),
            rec("r2", "F", "D"),
            new Scope(List.of(r1, r2), List.of(), List.of(limit)));
    assertThat(through.hops()).hasSize(1);
    assertThat(through.hops().get(0).idType()).isEqualTo("email");
    assertThat(through.hops().get(0).note())
        .isEqualTo(
            "this identifier was refused for some links: limit (kept from 1 group);"
                + " no path avoids it");
    assertThat(through.summary()).isEqualTo("joined by 1 link: 1 deterministic, 0 probabilistic");

    Decision blocked = new Decision("blocklist", "email", E, 2L, null, "junk");
    Explanation none =
        explain(
            rec("r1", "F", "D"),
            rec("r2", "F", "D"),
            new Scope(List.of(r1, r2), List.of(), List.of(blocked)));
    assertThat(none.joined()).isTrue();
    assertThat(none.hops()).isEmpty();
    assertThat(none.summary())
        .isEqualTo("joined in final profile F, but the tables do not show the links between them");
  }

  @Test
  void chainsMergedPairsAcrossDeterministicProfilesAndIgnoresOthers() {
    Scope scope =
        new Scope(
            List.of(row("r1", "F", "D1"), row("r2", "F", "D2"), row("r3", "F", "D3")),
            List.of(
                pair("c12", "D1", "D2", 0.95, "merged"),
                pair("c23", "D2", "D3", 0.91, "merged"),
                pair("c13", "D1", "D3", 0.99, "pending")),
            List.of());

    Explanation e = explain(End.ofDeterministicProfile("D1", "F"), rec("r3", "F", "D3"), scope);

    assertThat(e.hops())
        .extracting(Hop::number, Hop::method, Hop::from, Hop::to, Hop::candidateId)
        .containsExactly(
            tuple(1, "probabilistic", "D1", "D2", "c12"),
            tuple(2, "probabilistic", "D2", "D3", "c23"));
    assertThat(e.summary())
        .isEqualTo(
            "joined by 2 links: 0 deterministic, 2 probabilistic (lowest probability 0.910)");
    assertThat(e.notes())
        .containsExactly(
            "t:r3 stands for its deterministic profile D3 (1 record): a scored pair joins"
                + " deterministic profiles as wholes");

    Explanation same =
        explain(
            End.ofDeterministicProfile("D2", "F"), End.ofDeterministicProfile("D2", "F"), scope);
    assertThat(same.hops()).isEmpty();
    assertThat(same.summary()).isEqualTo("joined: same deterministic profile D2, no links needed");
  }

  @Test
  void apartProfilesListRefusedPairsOrSayNothingConnectsThem() {
    Candidate refused =
        new Candidate(
            "c1",
            "D1",
            "D2",
            0.97,
            5.0,
            Map.of("prior", -6.0, "fingerprint", 11.0),
            Map.of("fingerprint", "same"),
            List.of("fingerprint"),
            "refused",
            "do-not-link pair set by an operator");
    Scope scope =
        new Scope(
            List.of(row("r1", "F1", "D1"), row("r2", "F2", "D2")), List.of(refused), List.of());

    Explanation e = explain(End.ofFinalProfile("F1"), End.ofFinalProfile("F2"), scope);

    assertThat(e.joined()).isFalse();
    assertThat(e.reasons()).hasSize(1);
    assertThat(e.reasons().get(0).text())
        .isEqualTo(
            "scored pair D1 - D2 was refused at probability 0.970: do-not-link pair set by an"
                + " operator");
    assertThat(Explanation.formatContributions(e.reasons().get(0).contributions()))
        .isEqualTo("fingerprint +11.00 (same), prior -6.00");
    assertThat(e.summary()).isEqualTo("not joined: 1 scored pair refused");

    Explanation nothing =
        explain(
            End.ofFinalProfile("F1"),
            End.ofFinalProfile("F2"),
            new Scope(scope.records(), List.of(), List.of()));
    assertThat(nothing.reasons()).isEmpty();
    assertThat(nothing.summary())
        .isEqualTo("not joined: no shared identifier or scored pair connects them");
  }

  private static Explanation explain(End a, End b, Scope scope) {
    return LinkChain.explain(a, b, scope);
  }

  private static End rec(String recordId, String profile, String deterministic) {
    return End.ofRecord(new RecordRef("t", recordId), profile, deterministic);
  }

  private static RecordRow row(
      String recordId, String profile, String deterministic, Identifier... ids) {
    return new RecordRow("t", recordId, profile, deterministic, List.of(ids));
  }

  private static Identifier id(String type, String hash) {
    return new Identifier(type, hash);
  }

  private static Candidate pair(String id, String a, String b, double p, String status) {
    return new Candidate(
        id, a, b, p, 3.0, Map.of("prior", -1.0), Map.of(), List.of(), status, null);
  }
}
