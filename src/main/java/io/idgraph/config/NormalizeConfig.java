package io.idgraph.config;

/**
 * Identifier normalization options.
 *
 * @param emailStripPlusTag drop "+tag" from an email's local part, so ann+news@x.com is ann@x.com
 *     (default true)
 */
public record NormalizeConfig(Boolean emailStripPlusTag) {
  public static final NormalizeConfig DEFAULTS = new NormalizeConfig(true);

  public NormalizeConfig {
    emailStripPlusTag = emailStripPlusTag == null || emailStripPlusTag;
  }
}
