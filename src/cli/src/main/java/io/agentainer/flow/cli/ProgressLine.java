package io.agentainer.flow.cli;

import io.agentainer.flow.sdk.client.Run;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * One line on a terminal that shows a run moving, rewritten in place with {@code \r}: {@code
 * [#####-----] 50% count 10/20 eta 12s}. Only for a terminal: piped output gets no such line.
 */
final class ProgressLine {

  static final int CELLS = 10;

  private final PrintWriter err;
  private final Clock clock;
  private int shown;

  ProgressLine(PrintWriter err, Clock clock) {
    this.err = err;
    this.clock = clock;
  }

  /** Rewrites the line for the run as it is now. */
  void show(Run run) {
    String text = render(run, clock.instant());
    // blanks wipe what a longer line before left behind
    err.print("\r" + text + " ".repeat(Math.max(0, shown - text.length())));
    err.flush();
    shown = text.length();
  }

  /** Ends the line, so what follows starts on a new one. */
  void finish() {
    if (shown > 0) {
      err.println();
      err.flush();
      shown = 0;
    }
  }

  /**
   * The bar and percentage; then where the run is: queued (with the jobs ahead), the first running
   * step with its tasks done of total, or how it ended; then the time left, when the server
   * estimates it.
   */
  static String render(Run run, Instant now) {
    int percent = percent(run.progress());
    int cells = percent * CELLS / 100;
    StringBuilder line =
        new StringBuilder("[")
            .append("#".repeat(cells))
            .append("-".repeat(CELLS - cells))
            .append("] ")
            .append(percent)
            .append('%');
    if (run.finished()) {
      return line.append("  ").append(run.status()).toString();
    }
    if (Run.PENDING.equals(run.status())) {
      line.append("  queued");
      if (run.queuePosition() != null && run.queuePosition() > 0) {
        line.append(", ").append(run.queuePosition()).append(" jobs ahead");
      }
    }
    if (run.steps() != null) {
      run.steps().stream()
          .filter(step -> Run.RUNNING.equals(step.status()))
          .findFirst()
          .ifPresent(
              step ->
                  line.append("  ")
                      .append(step.name())
                      .append(' ')
                      .append(step.done())
                      .append('/')
                      .append(step.total()));
    }
    if (run.eta() != null && run.eta().isAfter(now)) {
      line.append("  eta ").append(Times.remaining(Duration.between(now, run.eta())));
    }
    return line.toString();
  }

  /** A progress from 0 to 1 as a whole percentage, rounded down (100 only when done). */
  static int percent(Double progress) {
    if (progress == null || progress.isNaN()) {
      return 0;
    }
    return (int) Math.floor(Math.max(0, Math.min(1, progress)) * 100);
  }
}
