package io.agentainer.flow.cli;

import io.agentainer.flow.sdk.client.FlowEvent;
import java.io.PrintWriter;
import java.util.List;

/**
 * How events read in a terminal: {@code ID AT TYPE STEP JOB PAYLOAD}. History is an aligned table;
 * followed events come one at a time, so their columns have fixed widths instead (a longer value
 * pushes the rest of its line right).
 */
final class EventPrinter {

  private static final String[] HEADERS = {"ID", "AT", "TYPE", "STEP", "JOB", "PAYLOAD"};
  private static final int[] WIDTHS = {6, 24, 14, 12, 8};

  private final PrintWriter out;
  private final boolean wide;

  EventPrinter(PrintWriter out, boolean wide) {
    this.out = out;
    this.wide = wide;
  }

  /** Events as a table, or {@code no events}. */
  void table(List<FlowEvent> events) {
    if (events.isEmpty()) {
      out.println("no events");
      return;
    }
    Table table = new Table(HEADERS);
    events.forEach(event -> table.row((Object[]) cells(event)));
    table.print(out);
  }

  /** The header of followed events. */
  void header() {
    line(HEADERS);
  }

  /** One followed event. */
  void follow(FlowEvent event) {
    line(cells(event));
  }

  private void line(String[] cells) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      line.append(cells[i]);
      if (i < cells.length - 1) {
        int width = i == 4 && wide ? 36 : WIDTHS[i];
        line.append(" ".repeat(Math.max(0, width - cells[i].length()))).append("  ");
      }
    }
    out.println(line.toString().stripTrailing());
    out.flush();
  }

  private String[] cells(FlowEvent event) {
    boolean noPayload =
        event.payload() == null
            || event.payload().isNull()
            || (event.payload().isContainerNode() && event.payload().isEmpty());
    return new String[] {
      String.valueOf(event.id()),
      Times.instant(event.at()),
      Table.cell(event.type()),
      Table.cell(event.stepId()),
      Table.cell(JobPrinter.id(event.jobId(), wide)),
      noPayload ? "-" : Table.cell(Json.compact(event.payload()))
    };
  }
}
