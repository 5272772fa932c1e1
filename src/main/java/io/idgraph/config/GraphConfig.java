package io.idgraph.config;

import java.util.List;

/**
 * Deterministic identity-graph options.
 *
 * @param linkTypes identifier types whose shared values link records; {@code external_id} stands for
 *     every {@code external_id:<system>} (default: email, phone, user_id, anonymous_id, device_id,
 *     push_endpoint, external_id). Scoring signals (fingerprint, ip24, ip16) can never link here.
 * @param algorithm connected-components implementation: {@code contraction} (default; see
 *     io.idgraph.cluster.ContractingConnectedComponents) or {@code graphx} (GraphX's Pregel)
 * @param driverFinishMaxEdges the contraction algorithm finishes on the driver once at most this many
 *     edges remain (default 1,000,000, about 40 MB of driver memory); 0 keeps every round distributed
 */
public record GraphConfig(List<String> linkTypes, String algorithm, Long driverFinishMaxEdges) {
  public static final List<String> DEFAULT_LINK_TYPES =
      List.of("email", "phone", "user_id", "anonymous_id", "device_id", "push_endpoint", "external_id");
  public static final String DEFAULT_ALGORITHM = "contraction";
  public static final long DEFAULT_DRIVER_FINISH_MAX_EDGES = 1_000_000L;
  public static final GraphConfig DEFAULTS = new GraphConfig(DEFAULT_LINK_TYPES, null, null);

  public GraphConfig {
    linkTypes = linkTypes == null ? DEFAULT_LINK_TYPES : List.copyOf(linkTypes);
    algorithm = algorithm == null ? DEFAULT_ALGORITHM : algorithm;
    driverFinishMaxEdges =
        driverFinishMaxEdges == null ? DEFAULT_DRIVER_FINISH_MAX_EDGES : driverFinishMaxEdges;
  }

  public GraphConfig(List<String> linkTypes, String algorithm) {
    this(linkTypes, algorithm, null);
  }

  /** Whether identifiers of this type link records. */
  public boolean links(String idType) {
    if (idType.startsWith("external_id:")) {
      return linkTypes.contains("external_id") || linkTypes.contains(idType);
    }
    return linkTypes.contains(idType);
  }
}
