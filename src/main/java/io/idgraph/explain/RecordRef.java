package io.idgraph.explain;

import io.idgraph.config.BadInputException;

/** A record as named on the command line: {@code source:record_id}. */
public record RecordRef(String source, String recordId) {

  /**
   * Parses {@code source:record_id}, splitting at the first ':' only, so record ids may contain ':'
   * ({@code web:anon:42} is record {@code anon:42} of source {@code web}).
   *
   * @throws BadInputException when there is no ':' or either part is empty
   */
  public static RecordRef parse(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new BadInputException(
          "Cannot read record '" + text + "': expected SOURCE:RECORD_ID, e.g. crm:c-1042");
    }
    return new RecordRef(text.substring(0, colon), text.substring(colon + 1));
  }

  public String label() {
    return source + ":" + recordId;
  }
}
