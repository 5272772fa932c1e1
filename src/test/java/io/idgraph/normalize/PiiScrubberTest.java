package io.idgraph.normalize;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.idgraph.testing.SparkTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class PiiScrubberTest {

  private static List<String> scrubbed(SparkSession spark, List<String> values) {
    List<String> out = new ArrayList<>();
    for (Row r :
        spark.createDataset(values, Encoders.STRING()).select(PiiScrubber.scrub(col("value"))).collectAsList()) {
      out.add(r.getString(0));
    }
    return out;
  }

  @Test
  void cutsEmailsPhonesIpsAndQueryStringValues(SparkSession spark) {
    List<String> values =
        List.of(
            "/pricing",
            "/products/31",
            "/account?email=ann.lee@example.org&tab=billing#top",
            "/welcome?uid=u0000123&utm_source=newsletter&utm_campaign=winter-sale",
            "https://shop.example.com/cart?gclid=EAIaIQobChMI&fbclid=IwAR0x",
            "/contact/ann.lee%40gmail.com",
            "call me at +1 (415) 555-0100 or 020 7946 0958",
            "from 192.168.10.24",
            "winter-sale");
    assertThat(scrubbed(spark, values))
        .containsExactly(
            "/pricing",
            "/products/31",
            "/account?email=[redacted]&tab=[redacted]#top",
            "/welcome?uid=[redacted]&utm_source=newsletter&utm_campaign=winter-sale",
            "https://shop.example.com/cart?gclid=[redacted]&fbclid=[redacted]",
            "/contact/[email]",
            "call me at [phone] or [phone]",
            "from [ip]",
            "winter-sale");
  }

  @Test
  void utmValuesAreKeptButStillLoseEmailsAndPhones(SparkSession spark) {
    assertThat(scrubbed(spark, List.of("/?utm_content=bob@mail.com&utm_term=+44 7700 900123")))
        .containsExactly("/?utm_content=[email]&utm_term=[phone]");
  }

  @Test
  void timeValuedAttributesAreLeftAlone(SparkSession spark) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("referrer", "https://mail.example.net/?to=ann@x.org");
    attributes.put("event:email_opened", "2026-03-29T02:26:12Z");
    attributes.put("created_at", "2026-03-29");
    Row row =
        spark
            .createDataFrame(List.of(new MapHolder(attributes)), MapHolder.class)
            .select(PiiScrubber.scrubAttributes(col("attributes")))
            .first();
    Map<String, String> out = row.getJavaMap(0);
    assertThat(out)
        .containsEntry("referrer", "https://mail.example.net/?to=[redacted]")
        .containsEntry("event:email_opened", "2026-03-29T02:26:12Z")
        .containsEntry("created_at", "2026-03-29");
  }

  /** A bean for a one-column map Dataset. */
  public static final class MapHolder implements java.io.Serializable {
    private Map<String, String> attributes;

    public MapHolder() {}

    MapHolder(Map<String, String> attributes) {
      this.attributes = attributes;
    }

    public Map<String, String> getAttributes() {
      return attributes;
    }

    public void setAttributes(Map<String, String> attributes) {
      this.attributes = attributes;
    }
  }
}
