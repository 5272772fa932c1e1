package io.idgraph.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.testing.SparkTest;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class ProfileEventsTest {

  private static Dataset<Row> records(SparkSession spark) {
    return spark.sql(
        "SELECT * FROM VALUES "
            + "('p1', 'web', 'm1', TIMESTAMP '2026-03-01 10:00:00', map('type', 'page', 'page_path', '/pricing',"
            + "   'campaign_name', 'winter-sale', 'referrer', 'https://www.google.com/', 'device_type', 'ios')),"
            + "('p1', 'web', 'm2', TIMESTAMP '2026-03-01 10:05:00', map('type', 'track', 'event', 'Signed In',"
            + "   'page_path', '/login?email=ann@x.org')),"
            + "('p1', 'email', 's1', TIMESTAMP '2026-03-02 08:00:00', map('status', 'subscribed',"
            + "   'event:email_subscribed', '2026-01-01', 'event:email_opened', '2026-03-02T08:00:00Z')),"
            + "('p2', 'support', 't1', TIMESTAMP '2026-02-10 09:00:00', map('channel', 'phone',"
            + "   'event:ticket_created', '2026-02-10T09:00:00Z')),"
            + "('p2', 'crm', 'c1', TIMESTAMP '2026-02-01 00:00:00', map('created_at', '2026-01-15',"
            + "   'event:contact_created', '2026-01-15', 'event:contact_updated', 'not a time')),"
            + "('p3', 'partner', 'x1', TIMESTAMP '2026-02-03 00:00:00', map()) "
            + "AS r(profile_id, source, record_id, event_time, attributes)");
  }

  private static String describe(Row r) {
    return String.join(
        "|",
        r.getAs("profile_id"),
        r.getAs("record_id"),
        r.getAs(ProfileEvents.EVENT_TYPE),
        String.valueOf((Object) r.getAs(ProfileEvents.EVENT_NAME)),
        String.valueOf((Object) r.getAs("event_time")),
        String.valueOf((Object) r.getAs(ProfileEvents.PAGE_PATH)),
        String.valueOf((Object) r.getAs(ProfileEvents.CAMPAIGN)),
        String.valueOf(r.getJavaMap(r.fieldIndex(ProfileEvents.PROPERTIES))));
  }

  @Test
  void everySourceBecomesTimelineEvents(SparkSession spark) {
    List<String> events =
        ProfileEvents.of(records(spark), "run-1").collectAsList().stream()
            .map(ProfileEventsTest::describe)
            .sorted()
            .collect(Collectors.toList());
    assertThat(events)
        .containsExactly(
            "p1|m1|page|null|2026-03-01 10:00:00.0|/pricing|winter-sale|"
                + "{referrer=https://www.google.com/, device_type=ios}",
            // Stored raw by an older idgraph: scrubbed on the way to the timeline.
            "p1|m2|track|Signed In|2026-03-01 10:05:00.0|/login?email=[redacted]|null|{}",
            "p1|s1|email_opened|null|2026-03-02 08:00:00.0|null|null|{status=subscribed}",
            "p1|s1|email_subscribed|null|2026-01-01 00:00:00.0|null|null|{status=subscribed}",
            // The contact's update time does not parse: no event for it, the creation stands.
            "p2|c1|contact_created|null|2026-01-15 00:00:00.0|null|null|{}",
            "p2|t1|ticket_created|null|2026-02-10 09:00:00.0|null|null|{channel=phone}",
            // A source that declares no events: the record itself, at its time.
            "p3|x1|record|null|2026-02-03 00:00:00.0|null|null|{}");
  }

  @Test
  void carriesTheRunId(SparkSession spark) {
    assertThat(
            ProfileEvents.of(records(spark), "run-7").select("run_id").distinct().collectAsList())
        .extracting(r -> r.getString(0))
        .containsExactly("run-7");
  }
}
