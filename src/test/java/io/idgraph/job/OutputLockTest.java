package io.idgraph.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputLockTest {
  @TempDir Path out;
  private final Configuration conf = new Configuration();

  private Path lockFile() {
    return out.resolve(OutputLock.FILE_NAME);
  }

  private void heldBy(String host, long pid) throws Exception {
    Files.writeString(lockFile(), "run_id=crashed\nhost=" + host + "\npid=" + pid + "\n");
  }

  private static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    return p.pid();
  }

  private static String thisHost() throws Exception {
    return InetAddress.getLocalHost().getHostName();
  }

  @Test
  void aLockOfALiveProcessRefusesTheRun() throws Exception {
    heldBy(thisHost(), ProcessHandle.current().pid());
    assertThatThrownBy(() -> OutputLock.acquire(out.toString(), "run-2", conf))
        .isInstanceOf(OutputLockedException.class)
        .hasMessageContaining("run_id=crashed");
    assertThat(Files.readString(lockFile())).contains("run_id=crashed");
  }

  @Test
  void aLockOfADeadProcessOnThisHostIsTakenOver() throws Exception {
    heldBy(thisHost(), deadPid());
    try (OutputLock lock = OutputLock.acquire(out.toString(), "run-2", conf)) {
      assertThat(Files.readString(lockFile()))
          .contains("run_id=run-2")
          .contains("pid=" + ProcessHandle.current().pid());
    }
    assertThat(lockFile()).doesNotExist();
  }

  @Test
  void anotherHostsLockIsTakenOverOnlyOnceItStopsBeingRefreshed() throws Exception {
    heldBy("some-other-host", 1);
    assertThatThrownBy(() -> OutputLock.acquire(out.toString(), "run-2", conf, Duration.ofMinutes(15)))
        .isInstanceOf(OutputLockedException.class);
    Files.setLastModifiedTime(lockFile(), FileTime.from(Instant.now().minus(Duration.ofMinutes(20))));
    try (OutputLock lock = OutputLock.acquire(out.toString(), "run-2", conf, Duration.ofMinutes(15))) {
      assertThat(Files.readString(lockFile())).contains("run_id=run-2");
    }
  }

  @Test
  void aLockWithoutHolderDetailsIsRespectedWhileFresh() throws Exception {
    Files.writeString(lockFile(), "run_id=manual\n");
    assertThatThrownBy(() -> OutputLock.acquire(out.toString(), "run-2", conf))
        .isInstanceOf(OutputLockedException.class)
        .hasMessageContaining("run_id=manual");
  }

  @Test
  void aSecondAcquireWhileHeldIsRefused() throws Exception {
    try (OutputLock first = OutputLock.acquire(out.toString(), "run-1", conf)) {
      assertThatThrownBy(() -> OutputLock.acquire(out.toString(), "run-2", conf))
          .isInstanceOf(OutputLockedException.class)
          .hasMessageContaining("run_id=run-1");
    }
    assertThat(lockFile()).doesNotExist();
  }
}
