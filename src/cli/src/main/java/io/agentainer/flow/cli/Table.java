package io.agentainer.flow.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain text table: a header row, then one row per item, each column as wide as its widest cell
 * and two spaces apart. A missing cell shows as {@code -}; control characters show as spaces, so a
 * value cannot break the layout. No trailing blanks.
 */
final class Table {

  private static final String GAP = "  ";

  private final List<String[]> rows = new ArrayList<>();
  private final int columns;

  Table(String... headers) {
    this.columns = headers.length;
    rows.add(headers.clone());
  }

  /** Adds a row; {@code null} cells show as {@code -}. */
  Table row(Object... cells) {
    if (cells.length != columns) {
      throw new IllegalArgumentException(
          "a row needs " + columns + " cells, got " + Arrays.toString(cells));
    }
    String[] text = new String[columns];
    for (int i = 0; i < columns; i++) {
      text[i] = cell(cells[i]);
    }
    rows.add(text);
    return this;
  }

  /** Whether the table has rows besides the header. */
  boolean isEmpty() {
    return rows.size() == 1;
  }

  static String cell(Object value) {
    if (value == null) {
      return "-";
    }
    String text = value.toString();
    StringBuilder clean = new StringBuilder(text.length());
    text.codePoints().forEach(c -> clean.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
    return clean.toString().isBlank() ? "-" : clean.toString();
  }

  void print(PrintWriter out) {
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], width(row[i]));
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(row[i]);
        if (i < columns - 1) {
          line.append(" ".repeat(widths[i] - width(row[i]))).append(GAP);
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }

  private static int width(String text) {
    return text.codePointCount(0, text.length());
  }
}
