package io.idgraph.quality;

import java.util.Locale;

/** Pairwise precision and recall of a run against ground truth, with over- and under-merge counts. */
public record EvaluationResult(
    double precision,
    double recall,
    double f1,
    long truePositivePairs,
    long predictedPairs,
    long truePairs,
    long profiles,
    long persons,
    long overMergedProfiles,
    long recordsInOverMergedProfiles,
    long splitPersons,
    String largestProfileId,
    long largestProfileRecords,
    long largestProfilePersons,
    long truthRecords,
    long outputRecords,
    long matchedRecords,
    long truthRecordsMissingFromOutput,
    long outputRecordsNotInTruth) {

  public String format() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "pairwise precision   %.4f  (%d of %d predicted pairs)%n",
        precision, truePositivePairs, predictedPairs));
    out.append(String.format(Locale.ROOT, "pairwise recall      %.4f  (%d of %d true pairs)%n",
        recall, truePositivePairs, truePairs));
    out.append(String.format(Locale.ROOT, "F1                   %.4f%n", f1));
    out.append(String.format(Locale.ROOT, "profiles             %d for %d persons%n", profiles, persons));
    out.append(String.format(Locale.ROOT, "over-merged profiles %d (holding %d records)%n",
        overMergedProfiles, recordsInOverMergedProfiles));
    out.append(String.format(Locale.ROOT, "split persons        %d%n", splitPersons));
    out.append(String.format(Locale.ROOT, "largest profile      %s: %d records of %d persons%n",
        largestProfileId, largestProfileRecords, largestProfilePersons));
    out.append(String.format(Locale.ROOT,
        "records              %d in truth, %d in output, %d matched; %d truth records not in output"
            + " (rejected), %d output records not in truth%n",
        truthRecords, outputRecords, matchedRecords, truthRecordsMissingFromOutput,
        outputRecordsNotInTruth));
    return out.toString();
  }
}
