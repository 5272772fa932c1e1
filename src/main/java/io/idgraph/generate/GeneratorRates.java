package io.idgraph.generate;

/**
 * Probabilities per person (or per row, where named) of each shape and hard case. Tuned so that even
 * 300 persons show every hard case a few times.
 */
public record GeneratorRates(
    double crmContact,
    double subscriber,
    double web,
    double tickets,
    double account,
    double nonUs,
    double emailVariant,
    double junkEmail,
    double junkPhone,
    double junkUserId,
    double sharedBrowser,
    double switchboard,
    double cookieReset,
    double office,
    double malformedRow,
    double duplicateContact,
    double duplicateMessage,
    double invalidValue) {

  public static final GeneratorRates DEFAULTS =
      new GeneratorRates(
          0.70, 0.50, 0.85, 0.20, 0.65, 0.25, 0.30, 0.02, 0.015, 0.015, 0.02, 0.05, 0.05, 0.04,
          0.03, 0.02, 0.01, 0.02);
}
