package io.idgraph.quality;

import java.util.Locale;

/**
 * Quality of the partition a run would have produced at one merge threshold: one row of the threshold
 * table. {@code threshold} is null for the deterministic-only partition. {@code linkPrecision} is NaN
 * when no pair is used ({@code links} = 0), since it is then undefined; the CSV leaves it empty.
 */
public record ThresholdRow(
    Double threshold,
    long links,
    double linkPrecision,
    double pairwisePrecision,
    double pairwiseRecall,
    double f1,
    long profiles,
    long overMergedProfiles) {

  public static final String DETERMINISTIC = "deterministic";
  public static final String CSV_HEADER =
      "threshold,links,link_precision,pairwise_precision,pairwise_recall,f1,profiles,"
          + "over_merged_profiles";

  /** "deterministic", or the threshold with two decimals ("0.85"). */
  public String label() {
    return threshold == null ? DETERMINISTIC : String.format(Locale.ROOT, "%.2f", threshold);
  }

  /** The row as a CSV line, ratios with six decimals, in the order of {@link #CSV_HEADER}. */
  public String csvLine() {
    return String.join(
        ",",
        label(),
        Long.toString(links),
        Double.isNaN(linkPrecision) ? "" : ratio(linkPrecision),
        ratio(pairwisePrecision),
        ratio(pairwiseRecall),
        ratio(f1),
        Long.toString(profiles),
        Long.toString(overMergedProfiles));
  }

  private static String ratio(double value) {
    return String.format(Locale.ROOT, "%.6f", value);
  }
}
