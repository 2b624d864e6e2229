package io.agentainer.flow.server.definition;

import java.math.BigDecimal;

/**
 * How many of a step's tasks may fail while the step still succeeds: at least {@code
 * minSuccessRatio} of all tasks succeeded (0 &lt; ratio &le; 1), or at most {@code maxFailures}
 * failed, or (neither set, {@link #ALL}) none failed. A definition sets one of the two at most.
 */
public record ToleranceSpec(Double minSuccessRatio, Integer maxFailures) {

  /** Every task must succeed. */
  public static final ToleranceSpec ALL = new ToleranceSpec(null, null);

  public static ToleranceSpec ratio(double minSuccessRatio) {
    return new ToleranceSpec(minSuccessRatio, null);
  }

  public static ToleranceSpec failures(int maxFailures) {
    return new ToleranceSpec(null, maxFailures);
  }

  /**
   * Whether the step counts as succeeded once all its tasks have ended: {@code succeeded} of {@code
   * total} tasks succeeded and {@code failed} failed (tasks that ended otherwise, cancelled say,
   * count as not succeeded). A step of no tasks succeeds.
   */
  public boolean accepts(int succeeded, int failed, int total) {
    if (total <= 0) {
      return true;
    }
    if (minSuccessRatio == null && maxFailures == null) {
      return failed == 0 && succeeded >= total;
    }
    boolean ok = true;
    if (minSuccessRatio != null) {
      ok = enoughSuccesses(succeeded, total);
    }
    if (maxFailures != null) {
      ok = ok && failed <= maxFailures;
    }
    return ok;
  }

  /**
   * Whether so many tasks failed that the step cannot succeed even if every other task does: the
   * engine may end the step at once.
   */
  public boolean alreadyLost(int failed, int total) {
    if (failed <= 0) {
      return false;
    }
    if (minSuccessRatio == null && maxFailures == null) {
      return true;
    }
    boolean lost = false;
    if (minSuccessRatio != null) {
      lost = !enoughSuccesses(Math.max(total - failed, 0), total);
    }
    if (maxFailures != null) {
      lost = lost || failed > maxFailures;
    }
    return lost;
  }

  /** {@code succeeded / total >= minSuccessRatio}, in decimal so that 0.7 of 10 is 7, not 8. */
  private boolean enoughSuccesses(int succeeded, int total) {
    return BigDecimal.valueOf(succeeded)
            .compareTo(BigDecimal.valueOf(minSuccessRatio).multiply(BigDecimal.valueOf(total)))
        >= 0;
  }
}
