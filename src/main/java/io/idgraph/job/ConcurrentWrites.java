package io.idgraph.job;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a night's independent table writes a few at a time. Most of a small write (a scoped night's
 * MERGE, a history append) is per-commit overhead on the driver (planning, Delta log reads and
 * commits, tiny tasks), which overlaps well; each table is still its own atomic commit. The threads
 * inherit the caller's Spark job group and local properties.
 */
final class ConcurrentWrites {
  /** Writes run at once: enough to overlap the driver work, few enough not to crowd the executors. */
  static final int PARALLELISM = 3;

  private ConcurrentWrites() {}

  /**
   * Runs every write and waits for all of them, also after one failed (so no write is still running
   * when the night reports its failure); then throws the first failure.
   */
  static void run(List<Runnable> writes) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLELISM, Math.max(1, writes.size())));
    try {
      List<Future<?>> running = new ArrayList<>();
      for (Runnable w : writes) {
        running.add(pool.submit(w));
      }
      RuntimeException first = null;
      for (Future<?> f : running) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (first == null) {
            first =
                e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          if (first == null) {
            first = new IllegalStateException("interrupted while writing the tables", e);
          }
        }
      }
      if (first != null) {
        throw first;
      }
    } finally {
      pool.shutdown();
    }
  }
}
