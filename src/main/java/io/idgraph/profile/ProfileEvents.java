package io.idgraph.profile;

import static org.apache.spark.sql.functions.*;

import io.idgraph.normalize.PiiScrubber;
import io.idgraph.normalize.RecordNormalizer;
import io.idgraph.schema.Cols;
import io.idgraph.source.RawRecords;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The unified timeline: one row per thing a profile did, from every source, so that a segment such
 * as "visited pricing, opened an e-mail this week, filed a ticket this month, has not signed in for
 * two weeks" is one GROUP BY profile_id. Pure: records (with their profile id) in, events out.
 *
 * <p>Where events come from:
 *
 * <ul>
 *   <li>a web record is one event: {@code event_type} is its Segment type (page, track, identify,
 *       screen), {@code event_name} the track event's name ("Signed In"), at the record's time;
 *   <li>other records declare theirs as {@code event:<type>} attributes holding the raw time (crm:
 *       contact_created, contact_updated; email: email_subscribed, email_opened; support:
 *       ticket_created), parsed like every record time; a declared event without a time is not one;
 *   <li>a record that declares nothing (a generic source) is one event {@code record} at its time.
 * </ul>
 *
 * Page paths, campaigns and properties come from the record's attributes, scrubbed of e-mails,
 * phones, IPs and query-string values (normalize.PiiScrubber; the normalize stage already did it).
 * {@code properties} holds the other attributes (referrer, campaign source and medium, device type,
 * channel, subscription status).
 */
public final class ProfileEvents {
  private ProfileEvents() {}

  public static final String EVENT_TYPE = "event_type";
  public static final String EVENT_NAME = "event_name";
  public static final String PAGE_PATH = "page_path";
  public static final String CAMPAIGN = "campaign";
  public static final String PROPERTIES = "properties";

  /** Type of the one event of a record that declares none. */
  public static final String RECORD_EVENT = "record";

  /** Attributes with columns of their own (or that are the event itself), not repeated in properties. */
  private static final List<String> NOT_PROPERTIES =
      List.of("type", "event", "page_path", "campaign_name", "created_at");

  private static final String EVENTS = Cols.INTERNAL_PREFIX + "events";
  private static final String EVENT = Cols.INTERNAL_PREFIX + "event";

  /**
   * The events of {@code records} (columns profile_id, source, record_id, event_time, attributes),
   * in the profile_events shape.
   */
  public static Dataset<Row> of(Dataset<Row> records, String runId) {
    // Scrubbed again (a no-op on scrubbed values): records an older idgraph stored in source_records
    // kept their attributes raw, and a scoped night builds events from them.
    Column attributes = PiiScrubber.scrubAttributes(col(Cols.ATTRIBUTES));
    Column declared =
        transform(
            map_entries(
                map_filter(attributes, (k, v) -> k.startsWith(RawRecords.EVENT_KEY_PREFIX))),
            e ->
                event(
                    substring(e.getField("key"), RawRecords.EVENT_KEY_PREFIX.length() + 1, 1000),
                    lit(null).cast("string"),
                    RecordNormalizer.parseTime(e.getField("value"))));
    Column withTime = filter(declared, e -> e.getField(Cols.EVENT_TIME).isNotNull());
    Column webType = attributes.getItem("type");
    Column events =
        when(webType.isNotNull(), array(event(webType, attributes.getItem("event"), col(Cols.EVENT_TIME))))
            .when(size(declared).gt(0), withTime)
            .otherwise(array(event(lit(RECORD_EVENT), lit(null).cast("string"), col(Cols.EVENT_TIME))));
    Column properties =
        map_filter(
            attributes,
            (k, v) ->
                not(k.startsWith(RawRecords.EVENT_KEY_PREFIX))
                    .and(not(k.isin(NOT_PROPERTIES.toArray()))));
    return records
        .select(
            col(Cols.PROFILE_ID),
            col(Cols.SOURCE),
            col(Cols.RECORD_ID),
            explode(events).as(EVENT),
            attributes.getItem("page_path").as(PAGE_PATH),
            attributes.getItem("campaign_name").as(CAMPAIGN),
            properties.as(PROPERTIES))
        .select(
            col(Cols.PROFILE_ID),
            col(Cols.SOURCE),
            col(Cols.RECORD_ID),
            col(EVENT).getField(EVENT_TYPE).as(EVENT_TYPE),
            col(EVENT).getField(EVENT_NAME).as(EVENT_NAME),
            col(EVENT).getField(Cols.EVENT_TIME).as(Cols.EVENT_TIME),
            col(PAGE_PATH),
            col(CAMPAIGN),
            col(PROPERTIES),
            lit(runId).as(Cols.RUN_ID));
  }

  private static Column event(Column type, Column name, Column time) {
    return struct(type.as(EVENT_TYPE), name.as(EVENT_NAME), time.as(Cols.EVENT_TIME));
  }
}
