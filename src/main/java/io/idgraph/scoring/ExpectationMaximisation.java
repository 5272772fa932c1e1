package io.idgraph.scoring;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Estimates a {@link FellegiSunter} model from unlabelled candidate pairs by expectation-maximisation,
 * as Splink does. Works on comparison-vector counts (pattern → number of pairs), which Spark
 * aggregates; the patterns are few (the product of the levels), so the iterations run on the driver
 * in microseconds whatever the number of pairs.
 *
 * <p>E-step: each pattern's probability of being a match under the current model. M-step: λ is the
 * expected share of matches; m (and u, unless it is fixed from random pairs) are the expected shares of
 * each level among matches (non-matches), ignoring pairs whose comparison is null.
 */
public final class ExpectationMaximisation {
  /** Floor for m and u so that no level gets probability 0 (an infinite weight). */
  static final double FLOOR = 1e-6;
  /** Added to every level's count when shares are estimated from sampled pairs. */
  static final double PSEUDO_COUNT = 0.5;

  private ExpectationMaximisation() {}

  /**
   * u from random pairs, which are almost all different people: the share of each level among the
   * pairs where the comparison is not null, each level's count raised by half a pair. Also gives m
   * from labelled matches.
   */
  public static double[][] uFromRandomPairs(Map<List<Integer>, Long> patterns, int[] levels) {
    double[][] u = new double[levels.length][];
    for (int k = 0; k < levels.length; k++) {
      u[k] = new double[levels[k]];
    }
    for (var e : patterns.entrySet()) {
      for (int k = 0; k < levels.length; k++) {
        int l = e.getKey().get(k);
        if (l != Comparisons.NULL) {
          u[k][l] += e.getValue();
        }
      }
    }
    for (double[] row : u) {
      // Half a pair of pseudo-count per level: a level no sampled pair showed is rare, not
      // impossible, and must not weigh 20 bits because the sample was small.
      for (int l = 0; l < row.length; l++) {
        row[l] += PSEUDO_COUNT;
      }
      normalize(row);
    }
    return u;
  }

  /**
   * @param patterns comparison vector → number of candidate pairs with it
   * @param start initial model (its u is kept when {@code fixU})
   * @param fixU keep u (estimated from random pairs) and estimate only λ and m
   */
  public static FellegiSunter fit(
      Map<List<Integer>, Long> patterns, FellegiSunter start, boolean fixU, int maxIterations, double tolerance) {
    return fit(patterns, start, fixU, Set.of(), false, maxIterations, tolerance);
  }

  /**
   * A training session as Splink runs them: the pairs were found by blocking on some comparisons,
   * which therefore agree for matches and non-matches alike and say nothing here. Those comparisons
   * are ignored and keep their start values; m (and u unless fixed) of the others are estimated.
   * With {@code onlyPrior}, m and u are all kept and only λ is estimated.
   */
  public static FellegiSunter fit(
      Map<List<Integer>, Long> patterns,
      FellegiSunter start,
      boolean fixU,
      Set<Integer> blocked,
      boolean onlyPrior,
      int maxIterations,
      double tolerance) {
    FellegiSunter model = start;
    for (int it = 0; it < maxIterations; it++) {
      FellegiSunter next = step(patterns, model, fixU, blocked, onlyPrior);
      double change = Math.abs(next.lambda() - model.lambda());
      for (int k = 0; k < model.comparisons(); k++) {
        for (int l = 0; l < model.levels(k); l++) {
          change = Math.max(change, Math.abs(next.m(k, l) - model.m(k, l)));
          change = Math.max(change, Math.abs(next.u(k, l) - model.u(k, l)));
        }
      }
      model = next;
      if (change < tolerance) {
        break;
      }
    }
    return model;
  }

  /**
   * λ over all pairs of profiles, not just the candidates: P(match | γ) needs the prior of the
   * population the pair was drawn from, and blocking only selects on γ. Pairs outside the candidates
   * are taken as non-matches (blocking is meant to miss almost no match), so λ solves
   * λ = Σ candidates P(match | γ; λ) / totalPairs, found by iterating from the model's λ.
   */
  public static FellegiSunter priorOverAllPairs(
      Map<List<Integer>, Long> candidates, double totalPairs, FellegiSunter model, int maxIterations) {
    double lambda = Math.min(model.lambda(), 0.5);
    for (int it = 0; it < maxIterations; it++) {
      FellegiSunter current = new FellegiSunter(lambda, model.mTable(), model.uTable());
      double expected = 0;
      for (var e : candidates.entrySet()) {
        expected += e.getValue() * current.probability(e.getKey().stream().mapToInt(Integer::intValue).toArray());
      }
      double next = Math.min(1 - FLOOR, Math.max(1e-12, expected / totalPairs));
      if (Math.abs(next - lambda) < 1e-12 + 1e-6 * lambda) {
        lambda = next;
        break;
      }
      lambda = next;
    }
    return new FellegiSunter(lambda, model.mTable(), model.uTable());
  }

  static FellegiSunter step(
      Map<List<Integer>, Long> patterns,
      FellegiSunter model,
      boolean fixU,
      Set<Integer> blocked,
      boolean onlyPrior) {
    int n = model.comparisons();
    double[][] m = new double[n][];
    double[][] u = new double[n][];
    for (int k = 0; k < n; k++) {
      m[k] = new double[model.levels(k)];
      u[k] = new double[model.levels(k)];
    }
    double matches = 0;
    double total = 0;
    for (var e : patterns.entrySet()) {
      int[] gamma = e.getKey().stream().mapToInt(Integer::intValue).toArray();
      for (int k : blocked) {
        gamma[k] = Comparisons.NULL;
      }
      double count = e.getValue();
      double p = model.probability(gamma);
      matches += p * count;
      total += count;
      for (int k = 0; k < n; k++) {
        if (gamma[k] != Comparisons.NULL) {
          m[k][gamma[k]] += p * count;
          u[k][gamma[k]] += (1 - p) * count;
        }
      }
    }
    for (int k = 0; k < n; k++) {
      normalize(m[k]);
      if (onlyPrior || blocked.contains(k)) {
        for (int l = 0; l < m[k].length; l++) {
          m[k][l] = model.m(k, l);
        }
      }
      if (fixU || onlyPrior || blocked.contains(k)) {
        for (int l = 0; l < u[k].length; l++) {
          u[k][l] = model.u(k, l);
        }
      } else {
        normalize(u[k]);
      }
    }
    double lambda = Math.min(1 - FLOOR, Math.max(FLOOR, matches / total));
    return new FellegiSunter(lambda, m, u);
  }

  private static void normalize(double[] row) {
    double sum = Arrays.stream(row).sum();
    for (int l = 0; l < row.length; l++) {
      row[l] = sum == 0 ? 1.0 / row.length : Math.max(FLOOR, row[l] / sum);
    }
  }
}
