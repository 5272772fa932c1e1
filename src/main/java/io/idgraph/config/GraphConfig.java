package io.idgraph.config;

import java.util.List;

/**
 * Deterministic identity-graph options.
 *
 * @param linkTypes identifier types whose shared values link records; {@code external_id} stands for
 *     every {@code external_id:<system>} (default: email, phone, user_id, anonymous_id, device_id,
 *     push_endpoint, external_id). Scoring signals (fingerprint, ip24, ip16) can never link here.
 * @param algorithm connected-components implementation (default {@code graphx})
 */
public record GraphConfig(List<String> linkTypes, String algorithm) {
  public static final List<String> DEFAULT_LINK_TYPES =
      List.of("email", "phone", "user_id", "anonymous_id", "device_id", "push_endpoint", "external_id");
  public static final GraphConfig DEFAULTS = new GraphConfig(DEFAULT_LINK_TYPES, "graphx");

  public GraphConfig {
    linkTypes = linkTypes == null ? DEFAULT_LINK_TYPES : List.copyOf(linkTypes);
    algorithm = algorithm == null ? "graphx" : algorithm;
  }

  /** Whether identifiers of this type link records. */
  public boolean links(String idType) {
    if (idType.startsWith("external_id:")) {
      return linkTypes.contains("external_id") || linkTypes.contains(idType);
    }
    return linkTypes.contains(idType);
  }
}
