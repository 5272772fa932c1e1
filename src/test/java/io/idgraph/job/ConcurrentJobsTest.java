package io.idgraph.job;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ConcurrentJobsTest {

  @Test
  void runsEveryWriteOnceAndReturnsWhenAllHaveFinished() {
    Set<Integer> done = ConcurrentHashMap.newKeySet();
    ConcurrentJobs writes = new ConcurrentJobs();
    for (int i = 0; i < 10; i++) {
      int n = i;
      writes.add(
          () -> {
            sleep(20);
            assertTrue(done.add(n), "write " + n + " ran twice");
          });
    }
    writes.run();
    assertEquals(10, done.size());
  }

  @Test
  void eachQueryHandleGivesItsOwnValueWhateverOrderTheyFinishIn() {
    ConcurrentJobs jobs = new ConcurrentJobs();
    Supplier<Integer> slow =
        jobs.query(
            () -> {
              sleep(80);
              return 1;
            });
    Supplier<Integer> fast = jobs.query(() -> 2);
    Supplier<String> middle =
        jobs.query(
            () -> {
              sleep(40);
              return "three";
            });
    jobs.run();
    assertEquals(List.of(1, 2, "three"), List.of(slow.get(), fast.get(), middle.get()));
  }

  @Test
  void aFailureSkipsTheWritesNotYetStartedAndIsThrown() {
    Set<String> ran = ConcurrentHashMap.newKeySet();
    CountDownLatch never = new CountDownLatch(1);
    CountDownLatch othersStarted = new CountDownLatch(ConcurrentJobs.THREADS - 1);
    IllegalStateException boom = new IllegalStateException("disk full");
    ConcurrentJobs writes =
        new ConcurrentJobs()
            .add(
                () -> {
                  await(othersStarted, 10);
                  throw boom;
                });
    // The other writers stay busy, so the writes queued behind them go to the failed write's thread,
    // which skips them.
    for (int i = 1; i < ConcurrentJobs.THREADS; i++) {
      String name = "busy " + i;
      writes.add(
          () -> {
            othersStarted.countDown();
            await(never, 1);
            ran.add(name);
          });
    }
    writes.add(() -> ran.add("queued a")).add(() -> ran.add("queued b"));

    IllegalStateException thrown = assertThrows(IllegalStateException.class, writes::run);

    assertSame(boom, thrown);
    assertFalse(ran.contains("queued a"), "a write queued after the failure ran");
    assertFalse(ran.contains("queued b"), "a write queued after the failure ran");
    assertTrue(ran.contains("busy 1"), "a write already running must finish");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void await(CountDownLatch latch, long seconds) {
    try {
      latch.await(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
