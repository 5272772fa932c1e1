package io.idgraph.normalize;

/**
 * The outcome of normalizing one value: a normalized value, a rejection with its reason, or absent
 * (blank input, which is not an error: any value may be empty).
 */
public record Normalized(String value, RejectReason reason) {
  private static final Normalized ABSENT = new Normalized(null, null);

  public static Normalized of(String value) {
    return new Normalized(value, null);
  }

  public static Normalized rejected(RejectReason reason) {
    return new Normalized(null, reason);
  }

  public static Normalized absent() {
    return ABSENT;
  }

  public boolean isPresent() {
    return value != null;
  }

  public boolean isRejected() {
    return reason != null;
  }
}
