package io.idgraph.source;

import java.time.Instant;

/**
 * One file of a source export as the file system lists it. Path, size and modification time together
 * say whether a night has seen this file before: a file rewritten in place gets a new size or time.
 *
 * @param path the fully qualified path (e.g. {@code file:/data/web/2026-11-24.jsonl}, {@code s3a://...})
 */
public record InputFile(String path, long size, Instant modifiedAt) {

  /** The last path segment, as Spark's {@code _metadata.file_name} gives it. */
  public String name() {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
