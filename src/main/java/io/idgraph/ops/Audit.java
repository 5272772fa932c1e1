package io.idgraph.ops;

import io.idgraph.config.BadInputException;

/**
 * Who asks for a manual operation and why. Both are required and stored in manual_operations, so
 * every correction of the identity graph can be traced to a person and a reason.
 */
public record Audit(String actor, String reason) {
  public Audit {
    actor = required(actor, "--actor", "who asks for this change");
    reason = required(reason, "--reason", "why the change is needed");
  }

  private static String required(String value, String option, String meaning) {
    if (value == null || value.isBlank()) {
      throw new BadInputException(
          option
              + " is required and must not be blank ("
              + meaning
              + "; it is kept in the audit table manual_operations); nothing recorded");
    }
    return value.strip();
  }
}
