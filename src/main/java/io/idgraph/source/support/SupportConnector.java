package io.idgraph.source.support;

import static io.idgraph.source.RawRecords.*;
import static org.apache.spark.sql.functions.*;

import io.idgraph.config.SourceConfig;
import io.idgraph.normalize.IdType;
import io.idgraph.schema.Cols;
import io.idgraph.source.CsvExportConnector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;

/**
 * Help-desk ticket export: ticket_id, requester_email, requester_phone, requester_name, channel,
 * subject, created_at. A ticket links through its requester's email and phone (national numbers read
 * in {@code default_region}); the requester name is split at the first space into first and last
 * name. The subject is free text that may hold anything, so it is not carried forward.
 */
public final class SupportConnector extends CsvExportConnector {
  private static final List<String> COLUMNS =
      List.of(
          "ticket_id",
          "requester_email",
          "requester_phone",
          "requester_name",
          "channel",
          "subject",
          "created_at");

  @Override
  public String type() {
    return "support";
  }

  @Override
  protected List<String> standardColumns() {
    return COLUMNS;
  }

  @Override
  protected String idColumn() {
    return "ticket_id";
  }

  @Override
  protected Column[] toRawRecords(SourceConfig config) {
    Column name = regexp_replace(trim(col("requester_name")), "\\s+", " ");
    Map<String, Column> traits = new LinkedHashMap<>();
    traits.put(Cols.FIRST_NAME, substring_index(name, " ", 1));
    traits.put(Cols.LAST_NAME, regexp_extract(name, "^\\S+ (.+)$", 1));
    return new Column[] {
      blankToNull(col("ticket_id")).as(Cols.RECORD_ID),
      blankToNull(col("created_at")).as(Cols.EVENT_TIME_RAW),
      rawIds(
              rawId(IdType.EMAIL, col("requester_email")),
              rawId(IdType.PHONE, col("requester_phone"), defaultRegion(config)))
          .as(Cols.RAW_IDS),
      stringMap(traits).as(Cols.TRAITS),
      rawSignals().as(Cols.RAW_SIGNALS),
      stringMap(
              new TreeMap<>(
                  Map.of(
                  "channel", lower(col("channel")),
                  // Timeline event (profile_events): the ticket was filed.
                  EVENT_KEY_PREFIX + "ticket_created", col("created_at"))))
          .as(Cols.ATTRIBUTES),
      when(blankToNull(col("requester_email")).isNotNull(), lit(IdType.EMAIL))
          .when(blankToNull(col("requester_phone")).isNotNull(), lit(IdType.PHONE))
          .as(Cols.ENTITY_TYPE)
    };
  }
}
