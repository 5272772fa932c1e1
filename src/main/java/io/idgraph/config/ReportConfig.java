package io.idgraph.config;

/**
 * The run report ({@code <output>/report.html}).
 *
 * @param enabled write the report after every night that writes its tables (default true); off, the
 *     night skips the report's read-back queries (a few seconds a night, which only tests and
 *     back-to-back reruns notice)
 */
public record ReportConfig(Boolean enabled) {
  public static final ReportConfig DEFAULTS = new ReportConfig(true);

  public ReportConfig {
    enabled = enabled == null ? Boolean.TRUE : enabled;
  }
}
