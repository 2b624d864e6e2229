package io.agentainer.flow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {

  private static String print(Table table) {
    StringWriter text = new StringWriter();
    try (PrintWriter out = new PrintWriter(text)) {
      table.print(out);
    }
    return text.toString();
  }

  @Test
  void columnsAreAsWideAsTheirWidestCellWithNoTrailingBlanks() {
    Table table = new Table("A", "LONG HEADER", "C").row("wide value", 1, "x").row("b", null, "");
    assertThat(print(table))
        .isEqualTo(
            """
            A           LONG HEADER  C
            wide value  1            x
            b           -            -
            """);
  }

  @Test
  void controlCharactersCannotBreakTheLayout() {
    assertThat(print(new Table("A", "B").row("two\nlines", "tab\there")))
        .isEqualTo("A          B\ntwo lines  tab here\n");
  }

  @Test
  void widthCountsCharactersNotUtf16Units() {
    assertThat(print(new Table("A", "B").row("\uD83D\uDE00", "x")))
        .isEqualTo("A  B\n\uD83D\uDE00  x\n");
  }

  @Test
  void aRowMustFillEveryColumn() {
    assertThatThrownBy(() -> new Table("A", "B").row("only one"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
