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
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes due jobs from the queue and runs them, at most {@code FLOW_MAX_PARALLEL} at once on this
 * node. It is woken when a job is queued (here, or on another node through PostgreSQL {@code
 * NOTIFY}), when a slot frees up, and when the next retry falls due; it does not poll. (A wake-up
 * every {@link #LONGEST_WAIT} is a safety net, should a notification be lost with a connection.)
 */
@ApplicationScoped
public class JobDispatcher {

  private static final Logger LOG = Logger.getLogger(JobDispatcher.class.getName());
  static final Duration LONGEST_WAIT = Duration.ofSeconds(30);

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
  private volatile boolean stopping;
  private volatile Thread loop;
  private Semaphore slots;
  private String nodeId;

  /** Starts dispatching for {@code nodeId}. */
  public void start(String nodeId) {
    this.nodeId = nodeId;
    this.slots = new Semaphore(settings.maxParallel());
    this.stopping = false;
    Thread thread = threads.newThread(this::dispatch);
    thread.setName("flow-dispatcher");
    loop = thread;
    thread.start();
    listen();
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

  void onEnded(@Observes(during = TransactionPhase.AFTER_SUCCESS) JobEvent.Ended ended) {
    if (ended.status() == JobStatus.QUEUED) {
      wake(); // a retry is queued: its due time may be the next one
    }
  }

  void onCancelled(@Observes(during = TransactionPhase.AFTER_SUCCESS) JobEvent.Cancelled event) {
    if (event.wasRunning()) {
      executor.submit(() -> runner.cancelled(event.jobId()));
    }
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
        int free = slots.availablePermits();
        int claimed = 0;
        if (free > 0) {
          List<ClaimedJob> jobs = claimer.claim(nodeId, free);
          claimed = jobs.size();
          for (ClaimedJob job : jobs) {
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
              LOG.warning(
                  "the engine's executor is full; job "
                      + job.id()
                      + " waits (raise FLOW_ENGINE_THREADS)");
            }
          }
        }
        if (claimed == 0 || slots.availablePermits() == 0) {
          await(free > 0 ? untilNextDue() : LONGEST_WAIT);
        }
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

  private Duration untilNextDue() {
    return claimer
        .nextDue()
        .map(due -> Duration.between(clock.instant(), due))
        .map(d -> d.isNegative() ? Duration.ZERO : d)
        .filter(d -> d.compareTo(LONGEST_WAIT) < 0)
        .orElse(LONGEST_WAIT);
  }

  private void await(Duration limit) throws InterruptedException {
    lock.lock();
    try {
      long nanos = limit.toNanos();
      while (!signalled && !stopping && nanos > 0) {
        nanos = wake.awaitNanos(nanos);
      }
      signalled = false;
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
