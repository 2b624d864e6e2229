package io.agentainer.flow.server.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's loop against a queue held in memory: it claims when there is a reason to (a
 * wake-up, a job falling due), and waits otherwise, however many due jobs the limits hold back.
 */
class JobDispatcherTest {

  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

  private final Queue queue = new Queue();
  private final Runner runner = new Runner();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final JobDispatcher dispatcher = new JobDispatcher();

  /**
   * The queue as the claim sees it: what each claim takes (nothing when no answer is set: the due
   * jobs are held back by their run's or step's limits), and the due times of the queued jobs.
   */
  private static final class Queue extends JobClaimer {
    final List<Instant> dueTimes = new CopyOnWriteArrayList<>();
    final BlockingQueue<Claim> answers = new LinkedBlockingQueue<>();
    final AtomicInteger claims = new AtomicInteger();

    @Override
    public Claim claim(String nodeId, int limit) {
      claims.incrementAndGet();
      Claim answer = answers.poll();
      return answer != null ? answer : new Claim(List.of(), false);
    }

    @Override
    public Optional<Instant> nextDueAfter(Instant after) {
      return dueTimes.stream().filter(due -> due.isAfter(after)).min(Comparator.naturalOrder());
    }

    @Override
    public void unclaim(UUID jobId, int attempt) {
      throw new AssertionError("nothing is given back here");
    }
  }

  /** Runs a job until the test lets it end. */
  private static final class Runner extends JobRunner {
    final List<UUID> started = new CopyOnWriteArrayList<>();
    final CountDownLatch end = new CountDownLatch(1);

    @Override
    public void run(ClaimedJob job, String nodeId) {
      started.add(job.id());
      try {
        end.await(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @BeforeEach
  void wire() {
    dispatcher.claimer = queue;
    dispatcher.runner = runner;
    dispatcher.clock = Clock.fixed(T0, ZoneOffset.UTC);
    dispatcher.threads =
        (ManagedThreadFactory)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {ManagedThreadFactory.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("newThread") && args[0] instanceof Runnable r) {
                    Thread thread = new Thread(r);
                    thread.setDaemon(true);
                    return thread;
                  }
                  throw new UnsupportedOperationException(method.getName());
                });
    dispatcher.executor =
        (ManagedExecutorService)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {ManagedExecutorService.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("submit")
                      && args.length == 1
                      && args[0] instanceof Runnable r) {
                    return threads.submit(r);
                  }
                  throw new UnsupportedOperationException(method.getName());
                });
  }

  @AfterEach
  void stop() {
    runner.end.countDown();
    dispatcher.stop();
    threads.shutdownNow();
  }

  private static ClaimedJob job() {
    return new ClaimedJob(
        UUID.randomUUID(),
        1,
        UUID.randomUUID(),
        "only",
        0,
        null,
        "process",
        "img:1",
        "echo",
        null,
        "{}",
        null,
        null,
        Duration.ofMinutes(1),
        null);
  }

  private static ConditionFactory soon() {
    return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5));
  }

  /**
   * Waits until the loop blocks for a wake-up, and tells for how long it means to. A loop that
   * claims again and again never blocks.
   */
  private Duration blocked() {
    return soon()
        .alias("the dispatcher to wait for a wake-up instead of claiming again")
        .until(dispatcher::waitingFor, Optional::isPresent)
        .orElseThrow();
  }

  @Test
  void dueJobsThatTheirLimitsHoldBackAreNotClaimedAgainUntilSomethingChanges() {
    queue.dueTimes.add(T0.minusSeconds(5)); // due, but its run is at its maxParallel
    dispatcher.startLoop("n1", 4);

    assertThat(blocked()).isEqualTo(JobDispatcher.LONGEST_WAIT);
    assertThat(queue.claims).hasValue(1);

    dispatcher.wake(); // something changed: a job was queued or ended
    soon().until(() -> queue.claims.get() == 2);
    assertThat(blocked()).isEqualTo(JobDispatcher.LONGEST_WAIT);
    assertThat(queue.claims).hasValue(2);
  }

  @Test
  void aJobThatFallsDueLaterIsWaitedForBesideTheHeldBackOnes() {
    queue.dueTimes.add(T0.minusSeconds(5));
    queue.dueTimes.add(T0.plusSeconds(7)); // a retry after its backoff
    dispatcher.startLoop("n1", 4);

    assertThat(blocked()).isEqualTo(Duration.ofSeconds(7));
    assertThat(queue.claims).hasValue(1);
  }

  @Test
  void jobsAnotherNodeHeldAreLookedAtAgainShortly() {
    queue.answers.add(new JobClaimer.Claim(List.of(), true));
    dispatcher.startLoop("n1", 4);

    soon().until(() -> queue.claims.get() >= 2);
    assertThat(blocked()).isEqualTo(JobDispatcher.LONGEST_WAIT);
  }

  @Test
  void theEndOfARunningJobReleasesTheJobsItsLimitsHeldBack() {
    ClaimedJob first = job();
    ClaimedJob second = job();
    queue.answers.add(new JobClaimer.Claim(List.of(first), false));
    queue.dueTimes.add(T0.minusSeconds(1)); // the second, held back while the first runs
    dispatcher.startLoop("n1", 4);

    assertThat(blocked()).isEqualTo(JobDispatcher.LONGEST_WAIT);
    assertThat(runner.started).containsExactly(first.id());
    assertThat(queue.claims).hasValue(2); // the first, then nothing: the second is held back

    queue.answers.add(new JobClaimer.Claim(List.of(second), false));
    runner.end.countDown();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(runner.started).containsExactly(first.id(), second.id()));
  }

  @Test
  void aJobThatEndsOrIsCancelledElsewhereWakesTheDispatcher() {
    queue.dueTimes.add(T0.minusSeconds(5));
    dispatcher.startLoop("n1", 4);
    blocked();

    dispatcher.onEnded(new JobEvent.Ended(UUID.randomUUID(), JobStatus.SUCCEEDED));
    soon().until(() -> queue.claims.get() == 2);
    blocked();

    dispatcher.onCancelled(new JobEvent.Cancelled(UUID.randomUUID(), false));
    soon().until(() -> queue.claims.get() == 3);
    assertThat(blocked()).isEqualTo(JobDispatcher.LONGEST_WAIT);
  }
}
