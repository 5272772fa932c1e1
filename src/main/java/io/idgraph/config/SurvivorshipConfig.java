package io.idgraph.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which value of a trait survives into a profile when its records disagree (see README, "How traits
 * survive"). The section may be omitted: every trait then takes its most recent value, as before.
 *
 * @param defaultStrategy YAML {@code default}: the strategy of traits not named in {@code traits}
 *     (default {@link #MOST_RECENT})
 * @param sourcePriority source names (from {@code sources:}) from most to least trusted, used by
 *     {@link #SOURCE_PRIORITY}; sources left out rank after the listed ones, equal among themselves
 *     (default none)
 * @param traits trait name (first_name, last_name, company, city, country, email_consent) to its
 *     strategy (default none: every trait takes {@code default})
 */
public record SurvivorshipConfig(
    @JsonProperty("default") String defaultStrategy,
    List<String> sourcePriority,
    Map<String, String> traits) {

  /** The latest record's value wins; records without a time count as oldest. */
  public static final String MOST_RECENT = "most_recent";

  /** The value of the highest-priority source that has one wins; within a source, the latest. */
  public static final String SOURCE_PRIORITY = "source_priority";

  /** The value carried by the most records wins; ties go to the value seen most recently. */
  public static final String MOST_FREQUENT = "most_frequent";

  public static final List<String> STRATEGIES = List.of(MOST_RECENT, SOURCE_PRIORITY, MOST_FREQUENT);

  public static final SurvivorshipConfig DEFAULTS = new SurvivorshipConfig(null, null, null);

  public SurvivorshipConfig {
    defaultStrategy = defaultStrategy == null ? MOST_RECENT : defaultStrategy;
    // Copies that keep null entries, so the validator can name them instead of a bare NPE.
    sourcePriority =
        sourcePriority == null
            ? List.of()
            : Collections.unmodifiableList(new ArrayList<>(sourcePriority));
    traits = traits == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(traits));
  }

  /** The strategy that decides {@code trait}: its own entry, else the default. */
  public String strategyFor(String trait) {
    return traits.getOrDefault(trait, defaultStrategy);
  }
}
