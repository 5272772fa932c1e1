package io.idgraph.job;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A lock file {@code <output>/_idgraph.lock} that keeps two runs from writing the same output at once.
 * Created atomically through Hadoop's FileSystem (create without overwrite), so any launcher on any
 * host respects it; it names the run, host and process holding it. Removed when the run ends, whether
 * it succeeded or failed. A run killed hard leaves it behind: the error says how to check and remove it.
 */
public final class OutputLock implements AutoCloseable {
  public static final String FILE_NAME = "_idgraph.lock";

  private final FileSystem fs;
  private final Path path;

  private OutputLock(FileSystem fs, Path path) {
    this.fs = fs;
    this.path = path;
  }

  public static OutputLock acquire(String outputRoot, String runId, Configuration hadoopConf) {
    Path path = new Path(outputRoot, FILE_NAME);
    try {
      FileSystem fs = path.getFileSystem(hadoopConf);
      fs.mkdirs(path.getParent());
      try (OutputStream out = fs.create(path, false)) {
        String holder =
            "run_id="
                + runId
                + "\nhost="
                + InetAddress.getLocalHost().getHostName()
                + "\npid="
                + ProcessHandle.current().pid()
                + "\n";
        out.write(holder.getBytes(StandardCharsets.UTF_8));
      }
      return new OutputLock(fs, path);
    } catch (FileAlreadyExistsException e) {
      throw locked(path, hadoopConf);
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().contains("already exists")) {
        throw locked(path, hadoopConf);
      }
      throw new IllegalStateException("Cannot create the lock file " + path + ": " + e, e);
    }
  }

  private static OutputLockedException locked(Path path, Configuration conf) {
    String holder = "";
    try (var in = path.getFileSystem(conf).open(path)) {
      holder = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace('\n', ' ').trim();
    } catch (IOException ignored) {
      // The holder's details are a courtesy; the lock itself is what matters.
    }
    return new OutputLockedException(
        "Another run holds the output lock "
            + path
            + " ("
            + holder
            + "); if no run is active (a killed run leaves it behind), delete that file and retry");
  }

  @Override
  public void close() {
    try {
      fs.delete(path, false);
    } catch (IOException e) {
      System.err.println("idgraph: warning: could not remove the lock file " + path + ": " + e);
    }
  }
}
