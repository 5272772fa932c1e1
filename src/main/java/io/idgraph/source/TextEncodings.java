package io.idgraph.source;

import io.idgraph.config.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Which character encoding each text export is read in. A byte-order mark at the start of a file
 * says it (UTF-8, UTF-16 little- or big-endian) and wins; a file without one is read in the source's
 * {@code reader_options.encoding} (Spark's own option, e.g. ISO-8859-1 for Latin-1 exports), else
 * UTF-8. Looking for the mark reads the first bytes of every file once, on the driver.
 *
 * <p>Bytes that are not valid in the encoding a file is read in come out of Spark's decoder as
 * U+FFFD; connectors quarantine such rows ({@code UNDECODABLE_TEXT}) rather than store mojibake.
 */
public final class TextEncodings {
  private TextEncodings() {}

  /** Spark's reader option naming the encoding (it also takes the alias "charset"). */
  public static final String OPTION = "encoding";

  private static final String CHARSET_ALIAS = "charset";

  /** The byte-order mark as a character, as a decoder that does not consume it leaves it. */
  public static final String BYTE_ORDER_MARK = "\uFEFF";

  /** What Spark's decoders put where bytes are not valid in the encoding read. */
  public static final String REPLACEMENT = "\uFFFD";

  /** The encoding configured for a source, UTF-8 when none is. */
  public static String configured(Map<String, String> readerOptions) {
    for (Map.Entry<String, String> e : readerOptions.entrySet()) {
      String key = e.getKey().toLowerCase(Locale.ROOT);
      if (key.equals(OPTION) || key.equals(CHARSET_ALIAS)) {
        return e.getValue();
      }
    }
    return "UTF-8";
  }

  /** Whether the JVM (and so Spark) can decode the named encoding. */
  public static boolean supported(String name) {
    try {
      return name != null && Charset.isSupported(name);
    } catch (IllegalCharsetNameException e) {
      return false;
    }
  }

  /**
   * The encoding a byte-order mark at the start of {@code head} declares: "UTF-8", "UTF-16LE",
   * "UTF-16BE", or null without a mark.
   */
  public static String fromByteOrderMark(byte[] head, int length) {
    if (length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
      return "UTF-8";
    }
    if (length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE) {
      return "UTF-16LE";
    }
    if (length >= 2 && (head[0] & 0xFF) == 0xFE && (head[1] & 0xFF) == 0xFF) {
      return "UTF-16BE";
    }
    return null;
  }

  /** Whether an encoding uses two bytes per code unit, so a line end is not a single 0x0A byte. */
  public static boolean wide(String encoding) {
    return encoding.toUpperCase(Locale.ROOT).startsWith("UTF-16");
  }

  /**
   * The files grouped by the encoding each is read in (its byte-order mark's, else {@code
   * configured}), groups in order of their first file.
   */
  public static Map<String, List<String>> byEncoding(
      SparkSession spark, String source, List<String> files, String configured) {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (String file : files) {
      String marked = byteOrderMark(spark, source, file);
      groups
          .computeIfAbsent(marked == null ? configured : marked, k -> new java.util.ArrayList<>())
          .add(file);
    }
    return groups;
  }

  private static String byteOrderMark(SparkSession spark, String source, String file) {
    Path p = new Path(file);
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      byte[] head = new byte[3];
      int n = 0;
      try (InputStream in = fs.open(p)) {
        int r;
        while (n < head.length && (r = in.read(head, n, head.length - n)) > 0) {
          n += r;
        }
      }
      return fromByteOrderMark(head, n);
    } catch (IOException e) {
      throw new BadInputException("Cannot read source '" + source + "': " + file + ": " + e.getMessage(), e);
    }
  }
}
