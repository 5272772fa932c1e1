package io.idgraph.inspect;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.idgraph.inspect.ProfileReport.Decision;
import io.idgraph.inspect.ProfileReport.Holder;
import java.util.List;

/**
 * What {@code idgraph lookup} found: the full report when one profile holds the identifier (or a
 * profile id was asked for), the holders in brief when several do (a value the identity rules kept
 * from linking, such as an isolated hub or a browser two people shared), neither when none does.
 *
 * @param key the looked-up identifier; null when a profile id was asked for
 * @param askedProfileId the profile id asked for; null when an identifier was
 * @param holders the profiles holding the identifier when there are two or more, else empty
 * @param decisions link_decisions rows about the identifier (its latest run's), if any
 * @param report the one profile's report, or null
 */
public record LookupResult(
    LookupKey key,
    String askedProfileId,
    List<Holder> holders,
    List<Decision> decisions,
    ProfileReport report) {

  /** Whether any profile holds the identifier. */
  @JsonProperty("found")
  public boolean found() {
    return report != null || !holders.isEmpty();
  }
}
