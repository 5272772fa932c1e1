package io.idgraph.config;

import java.nio.file.Path;

/**
 * A validated job config and the file it came from; relative paths in it resolve against that file's
 * folder (key file) or against the run's input root (sources).
 */
public record LoadedConfig(Path file, JobConfig job) {

  /** The source's path resolved against the input root, or the path itself when absolute or a URI. */
  public static String resolveSourcePath(String inputRoot, String path) {
    if (path.contains("://") || path.startsWith("/") || inputRoot == null) {
      return path;
    }
    if (inputRoot.contains("://")) {
      // A URI root (s3a://bucket/exports) is joined as text: java.nio's Path folds "//" into "/",
      // which loses the bucket or the namenode.
      return inputRoot.endsWith("/") ? inputRoot + path : inputRoot + "/" + path;
    }
    return Path.of(inputRoot).resolve(path).toString();
  }

  /** A path named in the config, resolved against the config file's folder. */
  public Path resolveNextToConfig(String path) {
    Path p = Path.of(path);
    Path dir = file.toAbsolutePath().getParent();
    return p.isAbsolute() || dir == null ? p : dir.resolve(p).normalize();
  }
}
