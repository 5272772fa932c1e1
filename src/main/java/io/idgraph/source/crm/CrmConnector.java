package io.idgraph.source.crm;

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
 * CRM contact export, one row per contact: contact_id, email, phone, first_name, last_name, company,
 * city, country (ISO alpha-2), user_id, created_at, updated_at. The contact id becomes the identifier
 * {@code external_id:<source name>}; a national phone number is read in the contact's country, else
 * in the source's {@code default_region}. The record's time is updated_at, else created_at, so the
 * newest version of a contact wins among duplicates.
 */
public final class CrmConnector extends CsvExportConnector {
  private static final List<String> COLUMNS =
      List.of(
          "contact_id",
          "email",
          "phone",
          "first_name",
          "last_name",
          "company",
          "city",
          "country",
          "user_id",
          "created_at",
          "updated_at");

  @Override
  public String type() {
    return "crm";
  }

  @Override
  protected List<String> standardColumns() {
    return COLUMNS;
  }

  @Override
  protected String idColumn() {
    return "contact_id";
  }

  @Override
  protected Column[] toRawRecords(SourceConfig config) {
    String contactType = IdType.EXTERNAL_ID_PREFIX + config.name();
    Map<String, Column> traits = new LinkedHashMap<>();
    traits.put(Cols.FIRST_NAME, col("first_name"));
    traits.put(Cols.LAST_NAME, col("last_name"));
    traits.put(Cols.COMPANY, col("company"));
    traits.put(Cols.CITY, col("city"));
    traits.put(Cols.COUNTRY, upper(col("country")));
    return new Column[] {
      blankToNull(col("contact_id")).as(Cols.RECORD_ID),
      coalesce(blankToNull(col("updated_at")), blankToNull(col("created_at")))
          .as(Cols.EVENT_TIME_RAW),
      rawIds(
              rawId(contactType, col("contact_id")),
              rawId(IdType.EMAIL, col("email")),
              rawId(IdType.PHONE, col("phone"), region(col("country"), config)),
              rawId(IdType.USER_ID, col("user_id")))
          .as(Cols.RAW_IDS),
      stringMap(traits).as(Cols.TRAITS),
      rawSignals().as(Cols.RAW_SIGNALS),
      // Timeline events (profile_events): when the contact was created and last updated.
      stringMap(
              new TreeMap<>(
                  Map.of(
                  "created_at", col("created_at"),
                  EVENT_KEY_PREFIX + "contact_created", col("created_at"),
                  EVENT_KEY_PREFIX + "contact_updated", col("updated_at"))))
          .as(Cols.ATTRIBUTES),
      lit(contactType).as(Cols.ENTITY_TYPE)
    };
  }
}
