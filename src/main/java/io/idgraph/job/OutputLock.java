package io.idgraph.job;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lock file {@code <output>/_idgraph.lock} that keeps two runs from writing the same output at once.
 * Created atomically through Hadoop's FileSystem (create without overwrite), so any launcher on any
 * host respects it; it names the run, host and process holding it. Removed when the run ends, whether
 * it succeeded or failed.
 *
 * <p>Stale-lock recovery: a run killed hard (SIGKILL, a lost container) leaves the file behind, and
 * the next night must not wait for a human. A lock is taken over when
 *
 * <ul>
 *   <li>it names this host and a process id that is no longer running (the common case: a cron job
 *       on the same edge node), or
 *   <li>its holder stopped refreshing it: a live holder touches the file every {@link #HEARTBEAT}, so
 *       a file untouched for {@link #STALE_AFTER} belongs to a dead run on another host (a driver in
 *       YARN cluster mode or a Kubernetes pod). A store that cannot set modification times (some object
 *       stores) never ages a lock this way; its holder must be checked by hand.
 * </ul>
 *
 * Every take-over is logged with the holder it replaced. Deleting and re-creating is not atomic: two
 * runs that find the same stale lock at the same instant race for the create, and exactly one wins.
 */
public final class OutputLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OutputLock.class);

  public static final String FILE_NAME = "_idgraph.lock";
  /** How often a holder touches its lock file. */
  public static final Duration HEARTBEAT = Duration.ofMinutes(1);
  /** A lock untouched this long is a dead run's. */
  public static final Duration STALE_AFTER = Duration.ofMinutes(15);

  private final FileSystem fs;
  private final Path path;
  private final ScheduledExecutorService heartbeat;

  private OutputLock(FileSystem fs, Path path, ScheduledExecutorService heartbeat) {
    this.fs = fs;
    this.path = path;
    this.heartbeat = heartbeat;
  }

  public static OutputLock acquire(String outputRoot, String runId, Configuration hadoopConf) {
    return acquire(outputRoot, runId, hadoopConf, STALE_AFTER);
  }

  /** {@link #acquire}, with the age after which an untouched lock counts as stale (tests). */
  static OutputLock acquire(String outputRoot, String runId, Configuration hadoopConf, Duration staleAfter) {
    Path path = new Path(outputRoot, FILE_NAME);
    try {
      FileSystem fs = path.getFileSystem(hadoopConf);
      fs.mkdirs(path.getParent());
      if (!tryCreate(fs, path, runId)) {
        String stale = staleReason(fs, path, staleAfter);
        if (stale == null) {
          throw locked(fs, path);
        }
        LOG.warn(
            "[{}] taking over the stale output lock {} ({}): {}", runId, path, holderText(fs, path), stale);
        fs.delete(path, false);
        if (!tryCreate(fs, path, runId)) {
          throw locked(fs, path);
        }
      }
      return new OutputLock(fs, path, startHeartbeat(fs, path));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot create the lock file " + path + ": " + e, e);
    }
  }

  private static boolean tryCreate(FileSystem fs, Path path, String runId) throws IOException {
    try (OutputStream out = fs.create(path, false)) {
      String holder =
          "run_id=" + runId + "\nhost=" + thisHost() + "\npid=" + ProcessHandle.current().pid() + "\n";
      out.write(holder.getBytes(StandardCharsets.UTF_8));
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().contains("already exists")) {
        return false;
      }
      throw e;
    }
  }

  /** Why the existing lock is a dead run's, or null when its holder may be alive. */
  static String staleReason(FileSystem fs, Path path, Duration staleAfter) throws IOException {
    Map<String, String> holder = holder(fs, path);
    String pid = holder.get("pid");
    if (thisHost().equals(holder.get("host")) && pid != null && pid.matches("[0-9]+")) {
      boolean alive = ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
      if (!alive) {
        return "process " + pid + " on this host (" + thisHost() + ") is no longer running";
      }
      return null;
    }
    long age = System.currentTimeMillis() - fs.getFileStatus(path).getModificationTime();
    if (age > staleAfter.toMillis()) {
      return "not refreshed for " + Duration.ofMillis(age).toMinutes() + " min (a live run refreshes it every "
          + HEARTBEAT.toMinutes() + " min)";
    }
    return null;
  }

  private static ScheduledExecutorService startHeartbeat(FileSystem fs, Path path) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "idgraph-lock-heartbeat");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleAtFixedRate(
        () -> {
          try {
            fs.setTimes(path, System.currentTimeMillis(), -1);
          } catch (IOException | UnsupportedOperationException e) {
            // An object store without modification times: the lock then only ages by hand.
            LOG.debug("cannot refresh the lock file {}: {}", path, e.toString());
          }
        },
        HEARTBEAT.toMillis(),
        HEARTBEAT.toMillis(),
        TimeUnit.MILLISECONDS);
    return timer;
  }

  private static Map<String, String> holder(FileSystem fs, Path path) {
    Map<String, String> fields = new HashMap<>();
    for (String line : holderText(fs, path).split(" ")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        fields.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return fields;
  }

  private static String holderText(FileSystem fs, Path path) {
    try (var in = fs.open(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace('\n', ' ').trim();
    } catch (IOException ignored) {
      // The holder's details are a courtesy; the lock itself is what matters.
      return "";
    }
  }

  private static String thisHost() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }

  private static OutputLockedException locked(FileSystem fs, Path path) {
    return new OutputLockedException(
        "Another run holds the output lock "
            + path
            + " ("
            + holderText(fs, path)
            + "); it is taken over automatically once its process is gone (same host) or it has not"
            + " been refreshed for "
            + STALE_AFTER.toMinutes()
            + " min; if you are sure no run is active, delete that file and retry");
  }

  @Override
  public void close() {
    heartbeat.shutdownNow();
    try {
      fs.delete(path, false);
    } catch (IOException e) {
      System.err.println("idgraph: warning: could not remove the lock file " + path + ": " + e);
    }
  }
}
