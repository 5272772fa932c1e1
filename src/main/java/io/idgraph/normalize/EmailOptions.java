package io.idgraph.normalize;

import java.io.Serializable;

/**
 * Email normalization options.
 *
 * @param stripPlusTag drop "+tag" from the local part, so ann+news@x.com is ann@x.com (default true)
 */
public record EmailOptions(boolean stripPlusTag) implements Serializable {
  public static final EmailOptions DEFAULTS = new EmailOptions(true);
}
