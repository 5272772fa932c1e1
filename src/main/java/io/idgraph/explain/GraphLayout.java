package io.idgraph.explain;

import java.util.List;
import java.util.Random;

/**
 * Places nodes for a drawing with a Fruchterman-Reingold force-directed layout: linked nodes attract,
 * all nodes repel, a weak pull to the centre keeps unlinked ones on the canvas. Deterministic: nodes
 * start on a circle in the order given, nudged by a fixed-seed random so that no two coincide, and a
 * fixed number of rounds with a linear cooling schedule follow; the same graph always gives the same
 * picture. Quadratic per round, which is why drawings are capped at a few hundred nodes.
 */
public final class GraphLayout {
  private static final int ROUNDS = 300;
  private static final long SEED = 42;
  private static final double GRAVITY = 0.3;

  private GraphLayout() {}

  /**
   * @param n number of nodes
   * @param edges pairs of node indexes (self-loops and repeats are allowed, and ignored or counted)
   * @param width canvas width the positions fill
   * @param height canvas height
   * @param margin space kept free at each border
   * @return x and y of each node, within [margin, width - margin] x [margin, height - margin]
   */
  public static double[][] place(int n, List<int[]> edges, double width, double height, double margin) {
    double[][] pos = new double[n][2];
    if (n == 0) {
      return pos;
    }
    double cx = width / 2;
    double cy = height / 2;
    if (n == 1) {
      pos[0][0] = cx;
      pos[0][1] = cy;
      return pos;
    }
    Random random = new Random(SEED);
    double radius = Math.min(width, height) / 2 - margin;
    for (int i = 0; i < n; i++) {
      double angle = 2 * Math.PI * i / n;
      pos[i][0] = cx + radius * Math.cos(angle) + random.nextDouble() - 0.5;
      pos[i][1] = cy + radius * Math.sin(angle) + random.nextDouble() - 0.5;
    }
    double k = Math.sqrt((width - 2 * margin) * (height - 2 * margin) / n);
    double[][] disp = new double[n][2];
    for (int round = 0; round < ROUNDS; round++) {
      double temperature = (width / 10) * (1 - (double) round / ROUNDS);
      for (double[] d : disp) {
        d[0] = 0;
        d[1] = 0;
      }
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          double dx = pos[i][0] - pos[j][0];
          double dy = pos[i][1] - pos[j][1];
          double d = Math.max(0.01, Math.hypot(dx, dy));
          double force = k * k / d;
          disp[i][0] += dx / d * force;
          disp[i][1] += dy / d * force;
          disp[j][0] -= dx / d * force;
          disp[j][1] -= dy / d * force;
        }
      }
      for (int[] e : edges) {
        if (e[0] == e[1]) {
          continue;
        }
        double dx = pos[e[0]][0] - pos[e[1]][0];
        double dy = pos[e[0]][1] - pos[e[1]][1];
        double d = Math.max(0.01, Math.hypot(dx, dy));
        double force = d * d / k;
        disp[e[0]][0] -= dx / d * force;
        disp[e[0]][1] -= dy / d * force;
        disp[e[1]][0] += dx / d * force;
        disp[e[1]][1] += dy / d * force;
      }
      for (int i = 0; i < n; i++) {
        disp[i][0] -= (pos[i][0] - cx) * GRAVITY * k / 10;
        disp[i][1] -= (pos[i][1] - cy) * GRAVITY * k / 10;
        double d = Math.max(0.01, Math.hypot(disp[i][0], disp[i][1]));
        double step = Math.min(d, temperature);
        pos[i][0] += disp[i][0] / d * step;
        pos[i][1] += disp[i][1] / d * step;
      }
    }
    return fit(pos, width, height, margin);
  }

  /** Scales and moves the positions to fill the canvas inside the margins, keeping proportions. */
  private static double[][] fit(double[][] pos, double width, double height, double margin) {
    double minX = Double.MAX_VALUE;
    double minY = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    for (double[] p : pos) {
      minX = Math.min(minX, p[0]);
      maxX = Math.max(maxX, p[0]);
      minY = Math.min(minY, p[1]);
      maxY = Math.max(maxY, p[1]);
    }
    double spanX = Math.max(1e-9, maxX - minX);
    double spanY = Math.max(1e-9, maxY - minY);
    double scale = Math.min((width - 2 * margin) / spanX, (height - 2 * margin) / spanY);
    double offX = (width - spanX * scale) / 2;
    double offY = (height - spanY * scale) / 2;
    for (double[] p : pos) {
      p[0] = offX + (p[0] - minX) * scale;
      p[1] = offY + (p[1] - minY) * scale;
    }
    return pos;
  }
}
