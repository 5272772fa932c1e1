package io.idgraph.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** EM recovers the m and u probabilities that generated the data. */
class ExpectationMaximisationTest {
  // Three comparisons shaped like fingerprint (2 levels), session gap (4) and IP prefix (3).
  private static final double LAMBDA = 0.15;
  private static final double[][] M = {{0.85, 0.15}, {0.55, 0.25, 0.12, 0.08}, {0.60, 0.25, 0.15}};
  private static final double[][] U = {{0.10, 0.90}, {0.05, 0.15, 0.25, 0.55}, {0.08, 0.22, 0.70}};
  private static final int[] LEVELS = {2, 4, 3};
  private static final double NULL_RATE = 0.1;

  /** A level drawn from the distribution p; shared with the other scoring tests. */
  static int draw(SplittableRandom rnd, double[] p) {
    double x = rnd.nextDouble();
    for (int l = 0; l < p.length; l++) {
      x -= p[l];
      if (x < 0) {
        return l;
      }
    }
    return p.length - 1;
  }

  /** Pattern counts of {@code pairs} pairs, a share {@code lambda} of them matches. */
  private static Map<List<Integer>, Long> simulate(long seed, int pairs, double lambda) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Map<List<Integer>, Long> counts = new HashMap<>();
    for (int i = 0; i < pairs; i++) {
      boolean match = rnd.nextDouble() < lambda;
      List<Integer> gamma = new ArrayList<>();
      for (int k = 0; k < LEVELS.length; k++) {
        gamma.add(rnd.nextDouble() < NULL_RATE ? Comparisons.NULL : draw(rnd, (match ? M : U)[k]));
      }
      counts.merge(gamma, 1L, Long::sum);
    }
    return counts;
  }

  private static FellegiSunter uninformedStart(double[][] u) {
    double[][] m = new double[LEVELS.length][];
    for (int k = 0; k < LEVELS.length; k++) {
      m[k] = new double[LEVELS[k]];
      // Agreement levels are more likely for matches: a decreasing guess, as Splink starts from.
      double sum = 0;
      for (int l = 0; l < LEVELS[k]; l++) {
        m[k][l] = LEVELS[k] - l;
        sum += m[k][l];
      }
      for (int l = 0; l < LEVELS[k]; l++) {
        m[k][l] /= sum;
      }
    }
    return new FellegiSunter(0.3, m, u);
  }

  private static double[][] flat() {
    double[][] u = new double[LEVELS.length][];
    for (int k = 0; k < LEVELS.length; k++) {
      u[k] = new double[LEVELS[k]];
      java.util.Arrays.fill(u[k], 1.0 / LEVELS[k]);
    }
    return u;
  }

  @Test
  void recoversMAndUAndThePriorWithinTwoHundredths() {
    FellegiSunter fit =
        ExpectationMaximisation.fit(simulate(11, 200_000, LAMBDA), uninformedStart(flat()), false, 500, 1e-7);
    assertThat(fit.lambda()).isCloseTo(LAMBDA, within(0.02));
    for (int k = 0; k < LEVELS.length; k++) {
      for (int l = 0; l < LEVELS[k]; l++) {
        assertThat(fit.m(k, l)).as("m[%d][%d]", k, l).isCloseTo(M[k][l], within(0.02));
        assertThat(fit.u(k, l)).as("u[%d][%d]", k, l).isCloseTo(U[k][l], within(0.02));
      }
    }
  }

  @Test
  void uFromRandomPairsThenMByEm() {
    // Random pairs are nearly all different people (0.1% matches here).
    double[][] u = ExpectationMaximisation.uFromRandomPairs(simulate(5, 100_000, 0.001), LEVELS);
    for (int k = 0; k < LEVELS.length; k++) {
      for (int l = 0; l < LEVELS[k]; l++) {
        assertThat(u[k][l]).as("u[%d][%d]", k, l).isCloseTo(U[k][l], within(0.02));
      }
    }
    FellegiSunter fit =
        ExpectationMaximisation.fit(simulate(12, 100_000, LAMBDA), uninformedStart(u), true, 500, 1e-7);
    assertThat(fit.lambda()).isCloseTo(LAMBDA, within(0.02));
    for (int k = 0; k < LEVELS.length; k++) {
      for (int l = 0; l < LEVELS[k]; l++) {
        assertThat(fit.m(k, l)).as("m[%d][%d]", k, l).isCloseTo(M[k][l], within(0.02));
        assertThat(fit.u(k, l)).isEqualTo(u[k][l]);
      }
    }
  }

  @Test
  void pairsBlockedOnOneComparisonTrainTheOthers() {
    // Only pairs that agree on comparison 0 (as blocking on a fingerprint would give).
    Map<List<Integer>, Long> blockedOnFirst = new HashMap<>();
    simulate(21, 300_000, LAMBDA).forEach((gamma, n) -> {
      if (gamma.get(0) == 0) {
        blockedOnFirst.merge(gamma, n, Long::sum);
      }
    });
    FellegiSunter start = uninformedStart(new FellegiSunter(0.5, M, U).uTable());
    FellegiSunter fit =
        ExpectationMaximisation.fit(blockedOnFirst, start, true, java.util.Set.of(0), false, 500, 1e-7);
    for (int k = 1; k < LEVELS.length; k++) {
      for (int l = 0; l < LEVELS[k]; l++) {
        assertThat(fit.m(k, l)).as("m[%d][%d]", k, l).isCloseTo(M[k][l], within(0.02));
      }
    }
    // The blocked comparison learned nothing and kept its start.
    assertThat(fit.m(0, 0)).isEqualTo(start.m(0, 0));
    // λ among all pairs, with m and u known: only the prior moves.
    FellegiSunter truth = new FellegiSunter(0.5, M, U);
    FellegiSunter prior =
        ExpectationMaximisation.fit(simulate(22, 100_000, LAMBDA), truth, true, java.util.Set.of(), true, 500, 1e-8);
    assertThat(prior.lambda()).isCloseTo(LAMBDA, within(0.01));
    assertThat(prior.m(1, 0)).isEqualTo(M[1][0]);
  }

  @Test
  void matchWeightIsThePriorPlusEachSignalsLogRatioAndNullsCountZero() {
    FellegiSunter model = new FellegiSunter(LAMBDA, M, U);
    int[] gamma = {0, Comparisons.NULL, 2};
    double expected =
        Math.log(LAMBDA / (1 - LAMBDA)) / Math.log(2)
            + Math.log(0.85 / 0.10) / Math.log(2)
            + Math.log(0.15 / 0.70) / Math.log(2);
    assertThat(model.matchWeight(gamma)).isCloseTo(expected, within(1e-9));
    assertThat(model.weight(1, Comparisons.NULL)).isZero();
    double p = model.probability(gamma);
    assertThat(p).isCloseTo(Math.pow(2, expected) / (1 + Math.pow(2, expected)), within(1e-12));
    // Term frequency: a fingerprint half the profiles share is weaker evidence than the average.
    assertThat(model.weight(0, 0, 0.5)).isLessThan(model.weight(0, 0));
    assertThat(model.weight(0, 0, 0.001)).isGreaterThan(model.weight(0, 0));
    assertThat(FellegiSunter.probability(2000)).isEqualTo(1.0);
  }
}
