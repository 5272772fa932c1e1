package io.idgraph.job;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes a night's tables a few at a time. Each Delta write spends much of its time on the driver
 * (planning, reading the table's log, committing) with the executors idle; a few writes at once keep
 * both busy. Measured on the 100k-person incremental night: the write stage went from 27.3 s to
 * 20.9 s with three writers. Writes to different tables are independent Delta transactions; the
 * caller writes whatever must come last (the run manifest) after {@link #run}.
 *
 * <p>Once a write fails, writes not yet started are skipped (the ones running finish) and the first
 * failure is thrown, as the sequential loop did.
 */
final class ConcurrentWrites {
  /** Enough to overlap driver and executor work on a small machine; more only adds contention. */
  static final int WRITERS = 3;

  private final List<Runnable> writes = new ArrayList<>();

  ConcurrentWrites add(Runnable write) {
    writes.add(write);
    return this;
  }

  /** Runs every write added and returns when all have finished. */
  void run() {
    // Threads created here inherit the caller's Spark job group (the stage name) and session.
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    AtomicBoolean failed = new AtomicBoolean();
    try {
      List<Future<?>> pending = new ArrayList<>();
      for (Runnable write : writes) {
        pending.add(
            pool.submit(
                () -> {
                  if (failed.get()) {
                    return;
                  }
                  try {
                    write.run();
                  } catch (RuntimeException | Error e) {
                    failed.set(true);
                    throw e;
                  }
                }));
      }
      RuntimeException first = null;
      for (Future<?> f : pending) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (first == null) {
            first =
                e.getCause() instanceof RuntimeException r
                    ? r
                    : new IllegalStateException("writing a table failed", e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while writing the tables", e);
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
