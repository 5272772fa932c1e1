package io.idgraph.source.email;

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
 * Email-tool audience export: subscriber_id, email, status, first_name, last_name, subscribed_at,
 * last_opened_at. The subscriber id becomes {@code external_id:<source name>}; the record's time is
 * the last open, else the subscription time. Unsubscribed and cleaned subscribers are still the same
 * person, so status is kept as an attribute (lower-cased), not a filter. A status of subscribed,
 * unsubscribed or cleaned (hard-bounced, removed by the tool) is also the trait {@code email_consent},
 * so consent survives into the profile with its source and time like any other trait; other statuses
 * (pending, archived, ...) say nothing about consent and give no trait.
 */
public final class EmailToolConnector extends CsvExportConnector {
  private static final List<String> COLUMNS =
      List.of(
          "subscriber_id",
          "email",
          "status",
          "first_name",
          "last_name",
          "subscribed_at",
          "last_opened_at");

  /** Statuses that state consent (Mailchimp's names); the value becomes trait email_consent. */
  public static final List<String> CONSENT_STATUSES =
      List.of("subscribed", "unsubscribed", "cleaned");

  @Override
  public String type() {
    return "email";
  }

  @Override
  protected List<String> standardColumns() {
    return COLUMNS;
  }

  @Override
  protected String idColumn() {
    return "subscriber_id";
  }

  @Override
  protected Column[] toRawRecords(SourceConfig config) {
    String subscriberType = IdType.EXTERNAL_ID_PREFIX + config.name();
    Map<String, Column> traits = new LinkedHashMap<>();
    traits.put(Cols.FIRST_NAME, col("first_name"));
    traits.put(Cols.LAST_NAME, col("last_name"));
    Column status = lower(trim(col("status")));
    traits.put(Cols.EMAIL_CONSENT, when(status.isin(CONSENT_STATUSES.toArray()), status));
    return new Column[] {
      blankToNull(col("subscriber_id")).as(Cols.RECORD_ID),
      coalesce(blankToNull(col("last_opened_at")), blankToNull(col("subscribed_at")))
          .as(Cols.EVENT_TIME_RAW),
      rawIds(rawId(subscriberType, col("subscriber_id")), rawId(IdType.EMAIL, col("email")))
          .as(Cols.RAW_IDS),
      stringMap(traits).as(Cols.TRAITS),
      rawSignals().as(Cols.RAW_SIGNALS),
      // Timeline events (profile_events): the subscription and the last opened e-mail.
      stringMap(
              new TreeMap<>(
                  Map.of(
                  "status", status,
                  EVENT_KEY_PREFIX + "email_subscribed", col("subscribed_at"),
                  EVENT_KEY_PREFIX + "email_opened", col("last_opened_at"))))
          .as(Cols.ATTRIBUTES),
      lit(subscriberType).as(Cols.ENTITY_TYPE)
    };
  }
}
