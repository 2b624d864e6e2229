package io.agentainer.flow.server.event;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * How far the event log is settled: every event id up to {@link #settled()} is committed, or will
 * never be. A live stream sends events up to there and no further, so it never goes past an event
 * that is still to commit.
 *
 * <p>Event ids come from one sequence, taken when a transaction writes its events, and transactions
 * commit in any order: event 41 may commit after event 42. So the horizon moves over the committed
 * ids in order, and a missing id (a gap) stops it until the id commits, or until every transaction
 * that was running when the gap was first seen has ended (then the id's transaction rolled back,
 * and the gap stays for good). Should some long transaction keep the database's oldest running
 * transaction from moving, a gap stops the horizon for {@code longestHold} at most.
 *
 * <p>Transaction ids are PostgreSQL's: those of one snapshot ({@code pg_current_snapshot()}), taken
 * with the committed ids it saw. Not thread-safe: one caller looks at a time.
 */
final class EventHorizon {

  /**
   * One look at the log: the committed ids above the horizon, ascending, read in one snapshot, and
   * that snapshot's oldest running transaction and next transaction id (all transactions below
   * {@code oldestRunning} have ended; all that were running have ids below {@code
   * nextTransaction}).
   */
  record Look(List<Long> committed, long oldestRunning, long nextTransaction, Instant at) {}

  /**
   * The missing ids up to {@code upTo} (beyond earlier sightings) were first seen missing at {@code
   * since}, while only transactions below {@code nextTransaction} could have held them.
   */
  private record Sighting(long upTo, Instant since, long nextTransaction) {}

  private final Duration longestHold;
  private final Deque<Sighting> sightings = new ArrayDeque<>();
  private long settled;
  private boolean holding;

  /**
   * @param settled the id up to which the log counts as settled from the start
   */
  EventHorizon(long settled, Duration longestHold) {
    this.settled = settled;
    this.longestHold = longestHold;
  }

  /** Every id up to this one is committed, or never will be. */
  long settled() {
    return settled;
  }

  /** Whether a gap holds the horizon below committed ids: worth another look soon. */
  boolean holding() {
    return holding;
  }

  /** Moves the horizon over what {@code look} saw; returns where it is now. */
  long advance(Look look) {
    List<Long> committed = look.committed();
    if (committed.isEmpty()) {
      holding = false;
      return settled;
    }
    long highest = committed.get(committed.size() - 1);
    if (sightings.isEmpty() || sightings.peekLast().upTo() < highest) {
      sightings.addLast(new Sighting(highest, look.at(), look.nextTransaction()));
    }
    holding = false;
    for (long id : committed) {
      if (id <= settled) {
        continue;
      }
      if (id > settled + 1 && !mayPass(id - 1, look)) {
        holding = true;
        break;
      }
      settled = id;
    }
    while (!sightings.isEmpty() && sightings.peekFirst().upTo() <= settled) {
      sightings.removeFirst();
    }
    return settled;
  }

  /**
   * Whether the gap that ends at {@code lastMissing} is for good: the transactions that were
   * running when its last id was first seen missing have all ended, or it has been missing for
   * {@code longestHold}.
   */
  private boolean mayPass(long lastMissing, Look look) {
    Sighting first =
        sightings.stream().filter(s -> s.upTo() >= lastMissing).findFirst().orElseThrow();
    return look.oldestRunning() >= first.nextTransaction()
        || !look.at().isBefore(first.since().plus(longestHold));
  }
}
