package io.idgraph.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultFormatTest {
  private static ResultPage page(boolean truncated, List<String>... rows) {
    return new ResultPage(
        List.of("name", "n"), List.of(false, true), Arrays.asList(rows), List.of(), truncated);
  }

  @Test
  void tableAlignsTextLeftAndNumbersRightAndShowsNull() {
    String text =
        ResultFormat.TABLE.render(page(false, List.of("ann", "7"), Arrays.asList(null, "1234")));
    assertThat(text)
        .isEqualTo(
            "name     n\n" //
                + "----  ----\n"
                + "ann      7\n"
                + "NULL  1234\n"
                + "(2 rows)\n");
  }

  @Test
  void tableCutsLongValuesAndKeepsEachRowOnOneLine() {
    String longValue = "x".repeat(200);
    String text =
        ResultFormat.TABLE.render(page(true, List.of(longValue, "1"), List.of("a\nb", "2")));
    assertThat(text).contains("x".repeat(ResultFormat.MAX_CELL - 3) + "...  ");
    assertThat(text).doesNotContain("x".repeat(ResultFormat.MAX_CELL - 2));
    assertThat(text).contains("a\\nb");
    assertThat(text.lines().count()).isEqualTo(5);
    assertThat(text).endsWith("(first 2 rows; use --limit)\n");
  }

  @Test
  void csvQuotesPerRfc4180() {
    String text =
        ResultFormat.CSV.render(
            page(
                false,
                List.of("plain", "1"),
                List.of("a,b", "2"),
                List.of("say \"hi\"", "3"),
                List.of("two\nlines", "4"),
                Arrays.asList(null, "5")));
    assertThat(text)
        .isEqualTo(
            "name,n\r\n"
                + "plain,1\r\n"
                + "\"a,b\",2\r\n"
                + "\"say \"\"hi\"\"\",3\r\n"
                + "\"two\nlines\",4\r\n"
                + ",5\r\n");
  }

  @Test
  void jsonPrintsOneObjectPerLine() {
    ResultPage page =
        new ResultPage(
            List.of("a"), List.of(false), List.of(), List.of("{\"a\":1}", "{\"a\":2}"), false);
    assertThat(ResultFormat.JSON.render(page)).isEqualTo("{\"a\":1}\n{\"a\":2}\n");
  }
}
