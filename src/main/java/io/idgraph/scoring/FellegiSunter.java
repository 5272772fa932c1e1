package io.idgraph.scoring;

/**
 * A Fellegi-Sunter model: for each comparison k and level l, m = P(level | same person) and u =
 * P(level | different people), plus the prior probability λ that a candidate pair is the same person.
 * A pair's match weight is log2(λ / (1 - λ)) + Σ log2(m / u) over its non-null comparisons, and its
 * probability is 2^w / (1 + 2^w). Each term is one signal's contribution, which is what an explanation
 * shows. Immutable.
 */
public final class FellegiSunter implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private final double lambda;
  private final double[][] m;
  private final double[][] u;

  public FellegiSunter(double lambda, double[][] m, double[][] u) {
    if (!(lambda > 0 && lambda < 1)) {
      throw new IllegalArgumentException("prior must be in (0, 1): " + lambda);
    }
    if (m.length != u.length) {
      throw new IllegalArgumentException("m and u describe different comparisons");
    }
    this.lambda = lambda;
    this.m = deepCopy(m);
    this.u = deepCopy(u);
  }

  private static double[][] deepCopy(double[][] a) {
    double[][] c = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }

  public double lambda() {
    return lambda;
  }

  public int comparisons() {
    return m.length;
  }

  public int levels(int comparison) {
    return m[comparison].length;
  }

  public double m(int comparison, int level) {
    return m[comparison][level];
  }

  public double u(int comparison, int level) {
    return u[comparison][level];
  }

  /** A copy of u, comparison by level. */
  public double[][] uTable() {
    return deepCopy(u);
  }

  /** A copy of m, comparison by level. */
  public double[][] mTable() {
    return deepCopy(m);
  }

  public double priorWeight() {
    return log2(lambda / (1 - lambda));
  }

  /** log2(m / u) of one comparison level; 0 for {@link Comparisons#NULL}. */
  public double weight(int comparison, int level) {
    return level == Comparisons.NULL ? 0 : log2(m[comparison][level] / u[comparison][level]);
  }

  /**
   * Term-frequency adjusted weight of an exact agreement, as Splink does: the chance that two
   * different people agree on this particular value is its frequency {@code valueFrequency}, not the
   * average u of the level, so a fingerprint shared by half the profiles counts for little.
   */
  public double weight(int comparison, int level, double valueFrequency) {
    if (level == Comparisons.NULL) {
      return 0;
    }
    double tfU = Math.max(valueFrequency, 1e-9);
    return log2(m[comparison][level] / tfU);
  }

  /** The match weight of a comparison vector (one level per comparison, NULL allowed). */
  public double matchWeight(int[] gamma) {
    double w = priorWeight();
    for (int k = 0; k < gamma.length; k++) {
      w += weight(k, gamma[k]);
    }
    return w;
  }

  public double probability(int[] gamma) {
    return probability(matchWeight(gamma));
  }

  public static double probability(double matchWeight) {
    double odds = Math.pow(2, matchWeight);
    return Double.isInfinite(odds) ? 1.0 : odds / (1 + odds);
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
