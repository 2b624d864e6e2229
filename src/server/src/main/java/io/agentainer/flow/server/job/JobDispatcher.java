package io.agentainer.flow.server.job;

import io.agentainer.flow.server.config.FlowSettings;
import io.agentainer.flow.server.infra.db.QueueNotifications;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes due jobs from the queue and runs them, at most {@code FLOW_MAX_PARALLEL} at once on this
 * node. It is woken when a job is queued (here, or on another node through PostgreSQL {@code
 * NOTIFY}), when a job ends or is cancelled (a slot frees up, and so does room under its run's and
 * step's {@code maxParallel}), and when the next retry or delayed job falls due; it does not poll.
 * Due jobs that their run's or step's limits hold back are not a reason to look again: the end of a
 * job is. (A wake-up every {@link #LONGEST_WAIT} is a safety net, should a notification be lost
 * with a connection.)
 */
@ApplicationScoped
public class JobDispatcher {

  private static final Logger LOG = Logger.getLogger(JobDispatcher.class.getName());
  static final Duration LONGEST_WAIT = Duration.ofSeconds(30);

  /** How soon to look again when another node held jobs this one could have taken. */
  static final Duration CONTENDED_PAUSE = Duration.ofMillis(25);

  @Inject JobClaimer claimer;
  @Inject JobRunner runner;
  @Inject FlowSettings settings;
  @Inject Clock clock;

  @Resource(lookup = "java:jboss/ee/concurrency/executor/flow-engine")
  ManagedExecutorService executor;

  @Resource ManagedThreadFactory threads;

  @Resource(lookup = "java:jboss/datasources/FlowDS")
  javax.sql.DataSource dataSource;

  @Inject jakarta.persistence.EntityManager em;

  private volatile QueueNotifications notifications;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private boolean signalled;
  private Duration waiting; // the wait the loop is blocked in, if it is
  private volatile boolean stopping;
  private volatile Thread loop;
  private Semaphore slots;
  private String nodeId;

  /** Starts dispatching for {@code nodeId}. */
  public void start(String nodeId) {
    startLoop(nodeId, settings.maxParallel());
    listen();
  }

  /** Starts the loop that claims and runs jobs, {@code maxParallel} at once at most. */
  void startLoop(String nodeId, int maxParallel) {
    this.nodeId = nodeId;
    this.slots = new Semaphore(maxParallel);
    this.stopping = false;
    Thread thread = threads.newThread(this::dispatch);
    thread.setName("flow-dispatcher");
    loop = thread;
    thread.start();
  }

  /** Stops taking jobs; running ones go on until the runner stops their agents. */
  public void stop() {
    stopping = true;
    if (notifications != null) {
      notifications.close();
    }
    wake();
    Thread thread = loop;
    if (thread != null) {
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  void onQueued(@Observes(during = TransactionPhase.AFTER_SUCCESS) JobEvent.Queued queued) {
    wake();
  }

  /** Jobs queued in this transaction: the other nodes hear of it when it commits. */
  void tellOtherNodes(@Observes(during = TransactionPhase.IN_PROGRESS) JobEvent.Queued queued) {
    if (nodeId != null) {
      em.createNativeQuery(QueueNotifications.notifySql())
          .setParameter(1, nodeId)
          .getSingleResult();
    }
  }

  /** Listens for jobs other nodes queue, and wakes this node's dispatcher. */
  private void listen() {
    QueueNotifications listener = new QueueNotifications(dataSource, nodeId, other -> wake());
    notifications = listener;
    Thread thread = threads.newThread(listener);
    thread.setName("flow-queue-listener");
    thread.start();
  }

  /**
   * A job ended: the jobs its run's or step's limits held back may go now; or it went back to the
   * queue for a retry, whose due time may be the next one.
   */
  void onEnded(@Observes(during = TransactionPhase.AFTER_SUCCESS) JobEvent.Ended ended) {
    wake();
  }

  void onCancelled(@Observes(during = TransactionPhase.AFTER_SUCCESS) JobEvent.Cancelled event) {
    if (event.wasRunning()) {
      executor.submit(() -> runner.cancelled(event.jobId()));
    }
    wake(); // a cancelled running job no longer counts against its run's and step's limits
  }

  /** Something changed: look at the queue again. */
  public void wake() {
    lock.lock();
    try {
      signalled = true;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void dispatch() {
    while (!stopping) {
      try {
        await(claimAndRun());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) { // also what a commit throws unchecked: the loop must not die
        if (stopping) {
          return;
        }
        LOG.log(Level.WARNING, "dispatching failed; trying again", e);
        try {
          await(Duration.ofSeconds(1));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /**
   * Claims as many due jobs as there are free slots and starts them.
   *
   * @return how long to wait for a wake-up before looking at the queue again
   */
  private Duration claimAndRun() throws InterruptedException {
    int free = slots.availablePermits();
    if (free == 0) {
      return LONGEST_WAIT; // a job that ends frees its slot and wakes the loop
    }
    Instant asOf = clock.instant();
    JobClaimer.Claim claim = claimer.claim(nodeId, free);
    boolean rejected = false;
    for (ClaimedJob job : claim.jobs()) {
      slots.acquire();
      try {
        executor.submit(
            () -> {
              try {
                runner.run(job, nodeId);
              } finally {
                slots.release();
                wake();
              }
            });
      } catch (java.util.concurrent.RejectedExecutionException full) {
        // no thread for it now: give the job back to the queue as it was
        slots.release();
        claimer.unclaim(job.id(), job.attempt());
        rejected = true;
        LOG.warning(
            "the engine's executor is full; job "
                + job.id()
                + " waits (raise FLOW_ENGINE_THREADS)");
      }
    }
    if (rejected || slots.availablePermits() == 0) {
      return LONGEST_WAIT; // until a running job ends and frees its slot and its thread
    }
    if (!claim.jobs().isEmpty()) {
      return Duration.ZERO; // slots are left: more jobs may be due
    }
    if (claim.contended()) {
      return CONTENDED_PAUSE; // another node held them; once it has them, the next ones are free
    }
    return untilNextDue(asOf);
  }

  /**
   * Until the next job falls due that was not due yet when the claim looked ({@code asOf}). The
   * jobs due by then that are still queued are held back by their run's or step's {@code
   * maxParallel}: the end of a job (here, or a job queued anywhere) wakes the loop for them, and
   * looking again before that would find them held back still.
   */
  private Duration untilNextDue(Instant asOf) {
    return claimer
        .nextDueAfter(asOf)
        .map(due -> Duration.between(clock.instant(), due))
        .map(d -> d.isNegative() ? Duration.ZERO : d)
        .filter(d -> d.compareTo(LONGEST_WAIT) < 0)
        .orElse(LONGEST_WAIT);
  }

  private void await(Duration limit) throws InterruptedException {
    lock.lock();
    try {
      long nanos = limit.toNanos();
      waiting = limit;
      while (!signalled && !stopping && nanos > 0) {
        nanos = wake.awaitNanos(nanos);
      }
      signalled = false;
    } finally {
      waiting = null;
      lock.unlock();
    }
  }

  /**
   * For tests: how long the loop waits for a wake-up now; empty while it claims or starts jobs, or
   * when it was woken.
   */
  Optional<Duration> waitingFor() {
    lock.lock();
    try {
      return signalled || stopping ? Optional.empty() : Optional.ofNullable(waiting);
    } finally {
      lock.unlock();
    }
  }

  /** For tests: jobs due at {@code now} would be claimed at once. */
  boolean isRunning() {
    Thread thread = loop;
    return thread != null && thread.isAlive();
  }
}
