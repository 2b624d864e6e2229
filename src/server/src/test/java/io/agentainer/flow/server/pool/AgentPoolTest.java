package io.agentainer.flow.server.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentainer.flow.server.agent.AgentClient;
import io.agentainer.flow.server.agent.AgentHandle;
import io.agentainer.flow.server.agent.AgentLabels;
import io.agentainer.flow.server.agent.AgentLaunch;
import io.agentainer.flow.server.agent.AgentRuntimesProducer;
import io.agentainer.flow.server.agent.AgentStartException;
import io.agentainer.flow.server.agent.PortAllocator;
import io.agentainer.flow.server.agent.ProcessRuntime;
import io.agentainer.flow.server.pool.AgentPool.Lease;
import io.agentainer.flow.server.pool.AgentPool.Return;
import io.agentainer.flow.server.pool.AgentPool.Stats;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-memory pool of one node with real local agents: the process runtime running the example
 * agent's jar that the server carries, and the real agent client.
 */
class AgentPoolTest {

  private static final String EXAMPLE = AgentRuntimesProducer.EXAMPLE_IMAGE;
  private static final String UNKNOWN = "agentainer/no-such-agent:1";
  private static final String NODE = "pool-test-" + UUID.randomUUID().toString().substring(0, 8);
  private static final Duration BOOT = Duration.ofSeconds(30);

  @TempDir static Path jars;
  private static List<String> command;

  @TempDir Path home;
  private ProcessRuntime runtime;
  private final AgentClient client = new AgentClient(new ObjectMapper());
  private ExecutorService work;
  private ExecutorService side;
  private final List<AgentPool> pools = new ArrayList<>();
  private final List<TestAgents> allAgents = new ArrayList<>();

  /** What the pool stopped, why, and after how many uses. */
  record Stop(UUID agent, String reason, int uses) {}

  /** The pool's host as the server has it, over the process runtime and the agent client. */
  final class TestAgents implements AgentPool.Agents {
    final String image;
    final Map<UUID, AgentHandle> handles = new ConcurrentHashMap<>();
    final List<Stop> stops = new CopyOnWriteArrayList<>();
    final List<UUID> readies = new CopyOnWriteArrayList<>();
    final AtomicInteger starts = new AtomicInteger();
    final AtomicInteger stopping = new AtomicInteger();

    /** When set, starts wait for it (to hold agents in STARTING). */
    volatile CountDownLatch startGate;

    /** When set, stops wait for it. */
    volatile CountDownLatch stopGate;

    TestAgents(String image) {
      this.image = image;
    }

    @Override
    public AgentHandle start(UUID agentId) {
      starts.incrementAndGet();
      pass(startGate);
      AgentHandle handle =
          runtime.start(
              new AgentLaunch(
                  agentId,
                  image,
                  Map.of(),
                  Map.of(
                      AgentLabels.NODE,
                      NODE,
                      AgentLabels.AGENT,
                      agentId.toString(),
                      AgentLabels.POOL,
                      "test"),
                  null,
                  null));
      handles.put(agentId, handle);
      return handle;
    }

    @Override
    public boolean awaitReady(AgentHandle agent) throws InterruptedException {
      return client.awaitReady(agent.endpoint(), BOOT, () -> runtime.isRunning(agent));
    }

    @Override
    public boolean healthy(AgentHandle agent) {
      return client.healthy(agent.endpoint(), Duration.ofSeconds(1));
    }

    @Override
    public void stop(AgentHandle agent, String reason, int uses) {
      stopping.incrementAndGet();
      pass(stopGate);
      runtime.stop(agent);
      stops.add(new Stop(agent.agentId(), reason, uses));
    }

    @Override
    public void ready(AgentHandle agent) {
      readies.add(agent.agentId());
    }

    List<String> reasons() {
      return stops.stream().map(Stop::reason).toList();
    }

    void openGates() {
      CountDownLatch s = startGate;
      if (s != null) {
        s.countDown();
      }
      CountDownLatch t = stopGate;
      if (t != null) {
        t.countDown();
      }
    }

    private static void pass(CountDownLatch gate) {
      if (gate == null) {
        return;
      }
      try {
        if (!gate.await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the test never opened the gate");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @BeforeAll
  static void unpackTheExampleAgent() throws Exception {
    Path jar = jars.resolve("example-agent.jar");
    try (InputStream in =
        AgentRuntimesProducer.class
            .getClassLoader()
            .getResourceAsStream("agents/example-agent.jar")) {
      assertThat(in).as("agents/example-agent.jar on the classpath").isNotNull();
      Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
    }
    command = AgentRuntimesProducer.javaCommand(jar);
  }

  @BeforeEach
  void create() {
    // below the kernel's ephemeral range (32768-60999), where outgoing connections take ports
    runtime =
        new ProcessRuntime(
            Map.of(EXAMPLE, command), home.resolve("agents"), new PortAllocator(32100, 32767));
    work = Executors.newCachedThreadPool();
    side = Executors.newCachedThreadPool();
  }

  /** Every test ends here: the pools shut down, and not one agent process is left. */
  @AfterEach
  void shutDownAndCheckNothingIsLeft() throws Exception {
    try {
      allAgents.forEach(TestAgents::openGates);
      for (AgentPool pool : pools) {
        pool.shutdown(Duration.ofSeconds(5));
      }
      work.shutdown();
      assertThat(work.awaitTermination(60, TimeUnit.SECONDS)).as("pool work ended").isTrue();
      waitUpTo(Duration.ofSeconds(15))
          .untilAsserted(() -> assertThat(liveAgents()).as("agents still running").isEmpty());
      for (TestAgents agents : allAgents) {
        assertThat(agents.stops)
            .extracting(Stop::agent)
            .as("every agent the pool started, it stopped")
            .containsAll(agents.handles.keySet());
      }
      for (AgentPool pool : pools) {
        assertThat(pool.stats().size()).isZero();
      }
    } finally {
      side.shutdownNow();
      work.shutdownNow();
      for (AgentHandle left : runtime.listLabelled()) {
        if (NODE.equals(left.label(AgentLabels.NODE))) {
          runtime.stop(left);
        }
      }
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static AgentPool.Settings settings(
      int min, int max, Duration idle, Integer maxUses, Duration lease, boolean shared) {
    return new AgentPool.Settings(min, max, idle, maxUses, lease, shared, Duration.ofSeconds(5));
  }

  private static AgentPool.Settings settings(int max) {
    return settings(0, max, Duration.ofMinutes(5), null, Duration.ofSeconds(30), false);
  }

  private AgentPool pool(AgentPool.Settings settings, TestAgents agents) {
    AgentPool pool = new AgentPool(UUID.randomUUID(), "test-pool", settings, agents, work);
    pools.add(pool);
    return pool;
  }

  private TestAgents agents(String image) {
    TestAgents agents = new TestAgents(image);
    allAgents.add(agents);
    return agents;
  }

  private TestAgents agents() {
    return agents(EXAMPLE);
  }

  private List<AgentHandle> liveAgents() {
    return runtime.listLabelled().stream()
        .filter(h -> NODE.equals(h.label(AgentLabels.NODE)))
        .filter(runtime::isRunning)
        .toList();
  }

  private static ConditionFactory waitUpTo(Duration limit) {
    return await().atMost(limit).pollInterval(Duration.ofMillis(20));
  }

  private static void awaitIdle(AgentPool pool, int idle) {
    waitUpTo(BOOT).until(() -> pool.stats().idle() == idle && pool.stats().starting() == 0);
  }

  private static UUID idOf(Lease lease) {
    return lease.agent().agentId();
  }

  private static List<UUID> idleAgents(AgentPool pool) {
    return pool.stats().agents().stream()
        .filter(a -> a.state().equals("IDLE"))
        .map(AgentPool.AgentInfo::id)
        .toList();
  }

  private Future<Lease> leaseElsewhere(AgentPool pool, Object run) {
    return side.submit(() -> pool.lease(run));
  }

  private static Throwable causeOf(Future<?> future) throws Exception {
    try {
      future.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected the future to fail");
  }

  // ---- warming and leasing -------------------------------------------------------------------

  @Test
  void warmingStartsAgentsThatGoIdleOnceReady() {
    TestAgents agents = agents();
    AgentPool pool = pool(settings(3), agents);

    assertThat(pool.warm(2)).isEqualTo(2);
    assertThat(pool.stats().size()).isEqualTo(2);
    awaitIdle(pool, 2);

    Stats stats = pool.stats();
    assertThat(stats.size()).isEqualTo(2);
    assertThat(stats.busy()).isZero();
    assertThat(agents.readies).hasSize(2);
    assertThat(stats.agents())
        .allSatisfy(
            a -> {
              assertThat(a.state()).isEqualTo("IDLE");
              assertThat(a.uses()).isZero();
              assertThat(a.endpoint()).startsWith("http://127.0.0.1:");
              assertThat(runtime.isRunning(agents.handles.get(a.id()))).isTrue();
              assertThat(pool.owns(a.id())).isTrue();
            });
    assertThat(liveAgents()).hasSize(2);
    assertThat(pool.warm(2)).as("already warm").isZero();
    assertThat(pool.warm(10)).as("never above maxSize").isEqualTo(1);
    awaitIdle(pool, 3);
    assertThat(agents.starts).hasValue(3);
  }

  @Test
  void aLeaseOfAnIdleAgentIsNoColdStartAndReusesIt() throws Exception {
    TestAgents agents = agents();
    AgentPool pool = pool(settings(3), agents);
    pool.warm(1);
    awaitIdle(pool, 1);
    UUID warmed = idleAgents(pool).get(0);

    Lease first = pool.lease("run");
    assertThat(idOf(first)).isEqualTo(warmed);
    assertThat(first.coldStart()).isFalse();
    assertThat(first.reused()).as("its first task").isFalse();
    assertThat(pool.stats().busy()).isEqualTo(1);
    pool.giveBack(first.member(), Return.ANSWERED);

    Lease second = pool.lease("run");
    assertThat(idOf(second)).isEqualTo(warmed);
    assertThat(second.coldStart()).isFalse();
    assertThat(second.reused()).isTrue();
    pool.giveBack(second.member(), Return.ANSWERED);

    Stats stats = pool.stats();
    assertThat(stats.leases()).isEqualTo(2);
    assertThat(stats.reused()).isEqualTo(1);
    assertThat(stats.coldStarts()).isZero();
    assertThat(stats.agents()).singleElement().satisfies(a -> assertThat(a.uses()).isEqualTo(2));
    assertThat(agents.starts).hasValue(1);
  }

  @Test
  void aLeaseOnAnEmptyPoolStartsAnAgent() throws Exception {
    TestAgents agents = agents();
    AgentPool pool = pool(settings(3), agents);

    Lease lease = pool.lease("run");

    assertThat(lease.coldStart()).isTrue();
    assertThat(lease.reused()).isFalse();
    assertThat(lease.waitNanos()).isPositive();
    assertThat(runtime.isRunning(lease.agent())).isTrue();
    assertThat(client.healthy(lease.agent().endpoint(), Duration.ofSeconds(1))).isTrue();
    Stats stats = pool.stats();
    assertThat(stats.size()).isEqualTo(1);
    assertThat(stats.busy()).isEqualTo(1);
    assertThat(stats.coldStarts()).isEqualTo(1);
    assertThat(stats.exhaustions()).isZero();
    pool.giveBack(lease.member(), Return.ANSWERED);
    assertThat(pool.stats().idle()).isEqualTo(1);
  }

  // ---- giving back ---------------------------------------------------------------------------

  @Test
  void anAgentStopsAfterMaxUses() throws Exception {
    TestAgents agents = agents();
    AgentPool pool =
        pool(settings(0, 3, Duration.ofMinutes(5), 2, Duration.ofSeconds(30), false), agents);

    Lease first = pool.lease("run");
    pool.giveBack(first.member(), Return.ANSWERED);
    assertThat(pool.stats().idle()).isEqualTo(1);
    Lease second = pool.lease("run");
    assertThat(idOf(second)).isEqualTo(idOf(first));
    pool.giveBack(second.member(), Return.ANSWERED);

    waitUpTo(Duration.ofSeconds(10))
        .until(() -> agents.stops.contains(new Stop(idOf(first), "max_uses", 2)));
    assertThat(runtime.isRunning(first.agent())).isFalse();
    assertThat(pool.stats().size()).isZero();
    assertThat(pool.stats().terminations()).containsEntry("max_uses", 1L);
    assertThat(pool.owns(idOf(first))).isFalse();
  }

  @Test
  void aCrashedAgentIsRemoved() throws Exception {
    TestAgents agents = agents();
    AgentPool pool = pool(settings(3), agents);
    Lease lease = pool.lease("run");

    pool.giveBack(lease.member(), Return.CRASHED);

    waitUpTo(Duration.ofSeconds(10))
        .until(() -> agents.stops.contains(new Stop(idOf(lease), "crashed", 1)));
    assertThat(pool.stats().size()).isZero();
    assertThat(pool.stats().terminations()).containsExactly(Map.entry("crashed", 1L));
  }

  @Test
  void timedOutAndCancelledTasksRemoveTheirAgents() throws Exception {
    TestAgents agents = agents();
    AgentPool pool = pool(settings(3), agents);
    Lease a = pool.lease("run");
    Lease b = pool.lease("run");

    pool.giveBack(a.member(), Return.TIMED_OUT);
    pool.giveBack(b.member(), Return.CANCELLED);

    waitUpTo(Duration.ofSeconds(10)).until(() -> agents.stops.size() == 2);
    assertThat(agents.stops)
        .containsExactlyInAnyOrder(
            new Stop(idOf(a), "task_timeout", 1), new Stop(idOf(b), "cancelled", 1));
  }

  @Test
  void anUnreachableAgentIsRemovedAsUnhealthyWithoutCountingAUse() throws Exception {
    TestAgents agents = agents();
    AgentPool pool = pool(settings(3), agents);
    Lease first = pool.lease("run");
    pool.giveBack(first.member(), Return.ANSWERED);
    Lease second = pool.lease("run");
    assertThat(idOf(second)).isEqualTo(idOf(first));

    pool.giveBack(second.member(), Return.UNREACHABLE);

    waitUpTo(Duration.ofSeconds(10))
        .until(() -> agents.stops.contains(new Stop(idOf(first), "unhealthy", 1)));
    assertThat(pool.stats().terminations()).containsExactly(Map.entry("unhealthy", 1L));
    assertThat(pool.stats().size()).isZero();
  }

  // ---- at maxSize ----------------------------------------------------------------------------

  @Test
  void atMaxSizeALeaseFailsAfterItsLeaseTimeout() throws Exception {
    TestAgents agents = agents();
    AgentPool pool =
        pool(settings(0, 1, Duration.ofMinutes(5), null, Duration.ofMillis(300), false), agents);
    pool.warm(1); // a cold start takes longer than this lease timeout
    awaitIdle(pool, 1);
    Lease held = pool.lease("a");

    long before = System.nanoTime();
    assertThatThrownBy(() -> pool.lease("b"))
        .isInstanceOf(AgentPool.ExhaustedException.class)
        .hasMessageContaining("test-pool")
        .hasMessageContaining("lease timeout")
        .hasMessageContaining("maxSize 1")
        .hasMessageContaining("1 busy");
    assertThat(System.nanoTime() - before).isGreaterThanOrEqualTo(Duration.ofMillis(290).toNanos());

    Stats stats = pool.stats();
    assertThat(stats.timeouts()).isEqualTo(1);
    assertThat(stats.exhaustions()).isGreaterThanOrEqualTo(1);
    assertThat(stats.waiting()).isZero();
    assertThat(stats.size()).isEqualTo(1);
    assertThat(agents.starts).as("no agent above maxSize").hasValue(1);
    pool.giveBack(held.member(), Return.ANSWERED);
  }

  @Test
  void theExhaustedMessageSaysTheLeaseTimeoutAsConfigured() throws Exception {
    AgentPool pool =
        pool(settings(0, 1, Duration.ofMinutes(5), null, Duration.ofMillis(300), false), agents());
    pool.warm(1);
    awaitIdle(pool, 1);
    Lease held = pool.lease("a");
    try {
      assertThatThrownBy(() -> pool.lease("b"))
          .isInstanceOf(AgentPool.ExhaustedException.class)
          .hasMessageNotContaining("of 0 s")
          .satisfies(
              e ->
                  assertThat(e.getMessage()).containsAnyOf("300 ms", "0.3 s", "PT0.3S", "0.300 s"));
    } finally {
      pool.giveBack(held.member(), Return.ANSWERED);
    }
  }

  @Test
  void aColdStartSlowerThanTheLeaseTimeoutStillServesTheLease() throws Exception {
    TestAgents agents = agents();
    AgentPool pool =
        pool(settings(0, 3, Duration.ofMinutes(5), null, Duration.ofMillis(300), false), agents);
    agents.startGate = new CountDownLatch(1);
    Future<Lease> waiting = leaseElsewhere(pool, "run");
    waitUpTo(Duration.ofSeconds(5)).until(() -> pool.stats().starting() == 1);

    try {
      await()
          .alias("the lease still waits for the agent started for it")
          .during(Duration.ofMillis(600))
          .atMost(Duration.ofSeconds(2))
          .until(() -> !waiting.isDone());
    } finally {
      agents.startGate.countDown();
    }
    Lease lease = waiting.get(30, TimeUnit.SECONDS);
    assertThat(lease.coldStart()).isTrue();
    pool.giveBack(lease.member(), Return.ANSWERED);
  }

  @Test
  void aWaitingLeaseIsServedWhenTheHeldAgentComesBack() throws Exception {
    TestAgents agents = agents();
    AgentPool pool = pool(settings(1), agents);
    Lease held = pool.lease("a");

    Future<Lease> waiting = leaseElsewhere(pool, "b");
    waitUpTo(Duration.ofSeconds(10)).until(() -> pool.stats().waiting() == 1);
    assertThat(waiting).isNotDone();
    assertThat(pool.stats().exhaustions()).isEqualTo(1);

    pool.giveBack(held.member(), Return.ANSWERED);

    Lease served = waiting.get(10, TimeUnit.SECONDS);
    assertThat(idOf(served)).isEqualTo(idOf(held));
    assertThat(served.coldStart()).isFalse();
    assertThat(served.reused()).isTrue();
    assertThat(served.waitNanos()).isPositive();
    assertThat(pool.stats().waiting()).isZero();
    assertThat(agents.starts).hasValue(1);
    pool.giveBack(served.member(), Return.ANSWERED);
  }

  @Test
  void waitingLeasesOfOnePoolAreServedFirstComeFirstServed() throws Exception {
    AgentPool pool = pool(settings(1), agents());
    Lease held = pool.lease("A");
    Future<Lease> a1 = leaseElsewhere(pool, "A");
    waitUpTo(Duration.ofSeconds(10)).until(() -> pool.stats().waiting() == 1);
    Future<Lease> b = leaseElsewhere(pool, "B");
    waitUpTo(Duration.ofSeconds(10)).until(() -> pool.stats().waiting() == 2);

    pool.giveBack(held.member(), Return.ANSWERED);

    Lease first = a1.get(10, TimeUnit.SECONDS);
    assertThat(b).isNotDone();
    pool.giveBack(first.member(), Return.ANSWERED);
    pool.giveBack(b.get(10, TimeUnit.SECONDS).member(), Return.ANSWERED);
  }

  @Test
  void aSharedPoolServesTheRunHoldingFewerAgentsFirst() throws Exception {
    AgentPool pool =
        pool(settings(0, 2, Duration.ofMinutes(5), null, Duration.ofSeconds(30), true), agents());
    Lease heldA1 = pool.lease("A");
    Lease heldA2 = pool.lease("A");
    Future<Lease> waitingA = leaseElsewhere(pool, "A");
    waitUpTo(Duration.ofSeconds(10)).until(() -> pool.stats().waiting() == 1);
    Future<Lease> waitingB = leaseElsewhere(pool, "B");
    waitUpTo(Duration.ofSeconds(10)).until(() -> pool.stats().waiting() == 2);

    pool.giveBack(heldA1.member(), Return.ANSWERED); // A holds 1, B none: B first

    Lease b = waitingB.get(10, TimeUnit.SECONDS);
    assertThat(idOf(b)).isEqualTo(idOf(heldA1));
    assertThat(waitingA).isNotDone();

    pool.giveBack(heldA2.member(), Return.ANSWERED); // A holds none, B 1: A
    Lease a = waitingA.get(10, TimeUnit.SECONDS);
    assertThat(idOf(a)).isEqualTo(idOf(heldA2));
    pool.giveBack(a.member(), Return.ANSWERED);
    pool.giveBack(b.member(), Return.ANSWERED);
  }

  @Test
  void aSharedPoolGivesAFreedAgentToTheOtherRunFirst() throws Exception {
    AgentPool pool =
        pool(settings(0, 1, Duration.ofMinutes(5), null, Duration.ofSeconds(30), true), agents());
    Lease held = pool.lease("A");
    List<Future<Lease>> waitingA = new ArrayList<>();
    waitingA.add(leaseElsewhere(pool, "A"));
    waitUpTo(Duration.ofSeconds(10)).until(() -> pool.stats().waiting() == 1);
    waitingA.add(leaseElsewhere(pool, "A"));
    waitUpTo(Duration.ofSeconds(10)).until(() -> pool.stats().waiting() == 2);
    Future<Lease> waitingB = leaseElsewhere(pool, "B");
    waitUpTo(Duration.ofSeconds(10)).until(() -> pool.stats().waiting() == 3);

    pool.giveBack(held.member(), Return.ANSWERED);

    List<Future<Lease>> all = List.of(waitingA.get(0), waitingA.get(1), waitingB);
    waitUpTo(Duration.ofSeconds(10)).until(() -> all.stream().anyMatch(Future::isDone));
    try {
      assertThat(waitingB).isDone();
      assertThat(waitingA).noneMatch(Future::isDone);
    } finally {
      // let every lease through, one after the other
      Set<Future<Lease>> returned = new HashSet<>();
      for (int i = 0; i < all.size(); i++) {
        Future<Lease> next =
            waitUpTo(Duration.ofSeconds(10))
                .until(
                    () ->
                        all.stream()
                            .filter(f -> f.isDone() && !returned.contains(f))
                            .findFirst()
                            .orElse(null),
                    Objects::nonNull);
        returned.add(next);
        pool.giveBack(next.get().member(), Return.ANSWERED);
      }
    }
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  @Test
  void idleAgentsAboveMinSizeStopAfterTheIdleTimeout() {
    TestAgents agents = agents();
    AgentPool pool =
        pool(settings(1, 3, Duration.ofMillis(200), null, Duration.ofSeconds(30), false), agents);
    pool.warm(2);
    awaitIdle(pool, 2);

    waitUpTo(Duration.ofSeconds(10))
        .until(
            () -> {
              pool.upkeep();
              return pool.stats().size() == 1;
            });

    waitUpTo(Duration.ofSeconds(10)).until(() -> agents.stops.size() == 1);
    assertThat(agents.stops)
        .singleElement()
        .satisfies(s -> assertThat(s.reason()).isEqualTo("idle_timeout"));
    assertThat(pool.stats().terminations()).containsExactly(Map.entry("idle_timeout", 1L));
    // minSize holds: later upkeep leaves the last one
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              pool.upkeep();
              return pool.stats().size() == 1 && pool.stats().idle() == 1;
            });
    assertThat(agents.starts).hasValue(2);
  }

  @Test
  void aMinSizeStartsAgentsAndReplacesThoseThatStop() throws Exception {
    TestAgents agents = agents();
    AgentPool pool = pool(settings(3), agents);
    assertThat(pool.stats().size()).isZero();

    pool.configure(settings(1, 3, Duration.ofMinutes(5), null, Duration.ofSeconds(30), false));

    assertThat(pool.stats().size()).isEqualTo(1);
    awaitIdle(pool, 1);
    UUID first = idleAgents(pool).get(0);

    Lease lease = pool.lease("run");
    assertThat(idOf(lease)).isEqualTo(first);
    pool.giveBack(lease.member(), Return.CRASHED);

    assertThat(pool.stats().size()).as("a replacement starts at once").isEqualTo(1);
    awaitIdle(pool, 1);
    assertThat(idleAgents(pool)).doesNotContain(first);
    assertThat(agents.starts).hasValue(2);
  }

  @Test
  void drainingStopsIdleAgentsNowAndBusyOnesWhenTheyComeBack() throws Exception {
    TestAgents agents = agents();
    AgentPool pool = pool(settings(3), agents);
    pool.warm(2);
    awaitIdle(pool, 2);
    Lease busy = pool.lease("run");
    UUID idle = idleAgents(pool).get(0);

    AgentPool.Drained drained = pool.drain();

    assertThat(drained).isEqualTo(new AgentPool.Drained(1, 1));
    waitUpTo(Duration.ofSeconds(10))
        .until(() -> agents.stops.contains(new Stop(idle, "drained", 0)));
    assertThat(pool.stats().agents())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.id()).isEqualTo(idOf(busy));
              assertThat(a.state()).isEqualTo("DRAINING");
            });
    assertThat(runtime.isRunning(busy.agent())).as("its task runs on").isTrue();

    pool.giveBack(busy.member(), Return.ANSWERED);

    waitUpTo(Duration.ofSeconds(10))
        .until(() -> agents.stops.contains(new Stop(idOf(busy), "drained", 1)));
    assertThat(pool.stats().size()).isZero();
    assertThat(pool.stats().terminations()).containsExactly(Map.entry("drained", 2L));

    // the pool stays usable
    Lease fresh = pool.lease("run");
    assertThat(fresh.coldStart()).isTrue();
    assertThat(idOf(fresh)).isNotIn(idle, idOf(busy));
    pool.giveBack(fresh.member(), Return.ANSWERED);
    assertThat(pool.stats().idle()).isEqualTo(1);
  }

  @Test
  void aSmallerMaxSizeStopsIdleAgentsAboveIt() {
    TestAgents agents = agents();
    AgentPool pool = pool(settings(3), agents);
    pool.warm(3);
    awaitIdle(pool, 3);

    pool.configure(settings(1));

    assertThat(pool.stats().size()).isEqualTo(1);
    waitUpTo(Duration.ofSeconds(10)).until(() -> agents.stops.size() == 2);
    assertThat(agents.reasons()).containsExactly("resized", "resized");
    assertThat(pool.stats().idle()).isEqualTo(1);
    assertThat(pool.settings().maxSize()).isEqualTo(1);
  }

  @Test
  void aSmallerMaxSizeStopsBusyAgentsAboveItWhenTheyComeBack() throws Exception {
    TestAgents agents = agents();
    AgentPool pool = pool(settings(2), agents);
    Lease a = pool.lease("run");
    Lease b = pool.lease("run");

    pool.configure(settings(1));
    assertThat(pool.stats().size()).isEqualTo(2);

    pool.giveBack(a.member(), Return.ANSWERED);
    waitUpTo(Duration.ofSeconds(10))
        .until(() -> agents.stops.contains(new Stop(idOf(a), "resized", 1)));
    pool.giveBack(b.member(), Return.ANSWERED);
    assertThat(pool.stats().idle()).isEqualTo(1);
    assertThat(idleAgents(pool)).containsExactly(idOf(b));
  }

  @Test
  void aSmallerMaxSizeAlsoAppliesToAgentsStillStarting() throws Exception {
    TestAgents agents = agents();
    AgentPool pool = pool(settings(3), agents);
    agents.startGate = new CountDownLatch(1);
    pool.warm(3);

    pool.configure(settings(1));
    agents.startGate.countDown();

    waitUpTo(BOOT).until(() -> pool.stats().starting() == 0);
    assertThat(pool.stats().size()).isLessThanOrEqualTo(1);
  }

  @Test
  void aStaleIdleAgentThatDiedIsSkippedForANewOne() throws Exception {
    TestAgents agents = agents();
    AgentPool pool = pool(settings(3), agents);
    pool.warm(1);
    awaitIdle(pool, 1);
    UUID dead = idleAgents(pool).get(0);
    runtime.stop(agents.handles.get(dead)); // behind the pool's back
    // past FRESH the pool checks an idle agent's health before lending it
    waitUpTo(Duration.ofSeconds(5))
        .until(
            () ->
                pool.stats().agents().get(0).idleMillis()
                    > TimeUnit.NANOSECONDS.toMillis(AgentPool.FRESH) + 100);

    Lease lease = pool.lease("run");

    assertThat(idOf(lease)).isNotEqualTo(dead);
    assertThat(lease.coldStart()).isTrue();
    assertThat(runtime.isRunning(lease.agent())).isTrue();
    assertThat(pool.stats().terminations()).containsEntry("unhealthy", 1L);
    waitUpTo(Duration.ofSeconds(10))
        .until(() -> agents.stops.contains(new Stop(dead, "unhealthy", 0)));
    assertThat(pool.owns(dead)).isFalse();
    pool.giveBack(lease.member(), Return.ANSWERED);
  }

  @Test
  void aStaleIdleAgentThatIsHealthyIsLent() throws Exception {
    TestAgents agents = agents();
    AgentPool pool = pool(settings(3), agents);
    pool.warm(1);
    awaitIdle(pool, 1);
    UUID warm = idleAgents(pool).get(0);
    waitUpTo(Duration.ofSeconds(5))
        .until(
            () ->
                pool.stats().agents().get(0).idleMillis()
                    > TimeUnit.NANOSECONDS.toMillis(AgentPool.FRESH) + 100);

    Lease lease = pool.lease("run");

    assertThat(idOf(lease)).isEqualTo(warm);
    assertThat(lease.coldStart()).isFalse();
    assertThat(agents.starts).hasValue(1);
    pool.giveBack(lease.member(), Return.ANSWERED);
  }

  // ---- figures -------------------------------------------------------------------------------

  @Test
  void busyAndAgentSecondsGrowAndLeaseWaitsAreMeasured() throws Exception {
    AgentPool pool = pool(settings(3), agents());
    Lease lease = pool.lease("run");

    waitUpTo(Duration.ofSeconds(5)).until(() -> pool.stats().busySeconds() >= 0.2);
    Stats busy = pool.stats();
    assertThat(busy.utilization()).isEqualTo(1.0);
    assertThat(busy.agentSeconds()).isGreaterThanOrEqualTo(busy.busySeconds());
    assertThat(busy.leaseWaitP50Ms()).isPositive(); // it waited for its agent to start
    assertThat(busy.leaseWaitP99Ms()).isGreaterThanOrEqualTo(busy.leaseWaitP50Ms());
    assertThat(busy.leaseWaitP99Ms()).isEqualTo(lease.waitNanos() / 1e6);

    pool.giveBack(lease.member(), Return.ANSWERED);
    Stats idle = pool.stats();
    assertThat(idle.utilization()).isZero();
    assertThat(idle.busySeconds()).isGreaterThanOrEqualTo(busy.busySeconds());

    waitUpTo(Duration.ofSeconds(5))
        .until(() -> pool.stats().agentSeconds() >= idle.agentSeconds() + 0.2);
    assertThat(pool.stats().busySeconds())
        .as("idle time is no busy time")
        .isEqualTo(idle.busySeconds());

    Lease again = pool.lease("run");
    pool.giveBack(again.member(), Return.ANSWERED);
    Stats after = pool.stats();
    assertThat(after.leases()).isEqualTo(2);
    assertThat(after.leaseWaitP50Ms()).isGreaterThanOrEqualTo(0);
    assertThat(after.leaseWaitP99Ms()).isGreaterThanOrEqualTo(after.leaseWaitP50Ms());
  }

  @Test
  void anEmptyPoolHasZeroFigures() {
    Stats stats = pool(settings(3), agents()).stats();
    assertThat(stats.size()).isZero();
    assertThat(stats.utilization()).isZero();
    assertThat(stats.leaseWaitP50Ms()).isZero();
    assertThat(stats.leaseWaitP99Ms()).isZero();
    assertThat(stats.terminations()).isEmpty();
  }

  // ---- shutdown and failures -----------------------------------------------------------------

  @Test
  void shutdownFailsWaitingLeasesAndStopsEveryAgentOnceTheirTasksEnd() throws Exception {
    TestAgents agents = agents();
    AgentPool pool = pool(settings(2), agents);
    Lease a = pool.lease("a");
    Lease b = pool.lease("b");
    Future<Lease> waiting = leaseElsewhere(pool, "c");
    waitUpTo(Duration.ofSeconds(10)).until(() -> pool.stats().waiting() == 1);

    Future<?> closing =
        side.submit(
            () -> {
              pool.shutdown(Duration.ofSeconds(5));
              return null;
            });

    assertThat(causeOf(waiting)).isInstanceOf(AgentPool.ClosedException.class);
    assertThatThrownBy(() -> pool.lease("d")).isInstanceOf(AgentPool.ClosedException.class);
    assertThat(closing).as("waits for the busy agents").isNotDone();
    pool.giveBack(b.member(), Return.ANSWERED);
    assertThat(closing).isNotDone();
    pool.giveBack(a.member(), Return.ANSWERED);
    closing.get(20, TimeUnit.SECONDS);

    assertThat(agents.stops)
        .containsExactlyInAnyOrder(
            new Stop(idOf(a), "shutdown", 1), new Stop(idOf(b), "shutdown", 1));
    assertThat(pool.stats().terminations()).containsExactly(Map.entry("shutdown", 2L));
    assertThat(pool.warm(2)).as("no new agents").isZero();
  }

  @Test
  void shutdownStopsIdleAgentsAndBusyOnesAfterTheGrace() throws Exception {
    TestAgents agents = agents();
    AgentPool pool = pool(settings(2), agents);
    pool.warm(2);
    awaitIdle(pool, 2);
    Lease busy = pool.lease("run");

    long before = System.nanoTime();
    pool.shutdown(Duration.ofMillis(300));
    assertThat(System.nanoTime() - before).isGreaterThanOrEqualTo(Duration.ofMillis(290).toNanos());

    assertThat(agents.reasons()).containsExactly("shutdown", "shutdown");
    assertThat(runtime.isRunning(busy.agent())).isFalse();
    pool.giveBack(busy.member(), Return.ANSWERED); // too late: harmless
    assertThat(agents.stops).hasSize(2);
    assertThat(pool.stats().size()).isZero();
  }

  @Test
  void aStartFailureFailsTheWaitingLease() {
    TestAgents agents = agents(UNKNOWN);
    AgentPool pool = pool(settings(3), agents);

    assertThatThrownBy(() -> pool.lease("run"))
        .isInstanceOfSatisfying(
            AgentStartException.class,
            e -> {
              assertThat(e.type()).isEqualTo("image_not_found");
              assertThat(e.getMessage()).contains(UNKNOWN);
            });
    Stats stats = pool.stats();
    assertThat(stats.size()).isZero();
    assertThat(stats.waiting()).isZero();
    assertThat(stats.terminations()).containsExactly(Map.entry("start_failed", 1L));
  }

  @Test
  void aFailedWarmStartDoesNotLeaveALeaseWaitingInAnEmptyPool() throws Exception {
    TestAgents agents = agents(UNKNOWN);
    AgentPool pool =
        pool(settings(0, 3, Duration.ofMinutes(5), null, Duration.ofSeconds(5), false), agents);
    agents.startGate = new CountDownLatch(1);
    pool.warm(1); // its start waits at the gate
    Future<Lease> waiting = leaseElsewhere(pool, "run");
    waitUpTo(Duration.ofSeconds(5)).until(() -> pool.stats().waiting() == 1);

    agents.startGate.countDown(); // the warm start fails

    waitUpTo(Duration.ofSeconds(2)).until(waiting::isDone);
    assertThat(causeOf(waiting)).isInstanceOf(AgentStartException.class);
  }

  @Test
  void anIdleAgentIsNoColdStartEvenIfItWasStartedForAnotherLease() throws Exception {
    TestAgents agents = agents();
    AgentPool pool = pool(settings(2), agents);
    Lease held = pool.lease("a");
    agents.startGate = new CountDownLatch(1);
    Future<Lease> waiting = leaseElsewhere(pool, "b"); // starts a second agent for itself
    waitUpTo(Duration.ofSeconds(10))
        .until(() -> pool.stats().waiting() == 1 && pool.stats().starting() == 1);
    pool.giveBack(held.member(), Return.ANSWERED); // ...but gets the first one back
    Lease b = waiting.get(10, TimeUnit.SECONDS);
    assertThat(idOf(b)).isEqualTo(idOf(held));
    agents.startGate.countDown();
    awaitIdle(pool, 1);

    Lease c = pool.lease("c"); // served by an agent that was already running

    try {
      assertThat(c.coldStart()).isFalse();
      assertThat(pool.stats().coldStarts()).isEqualTo(1);
    } finally {
      pool.giveBack(c.member(), Return.ANSWERED);
      pool.giveBack(b.member(), Return.ANSWERED);
    }
  }

  @Test
  void shutdownDoesNotHoldThePoolWhileStoppingAgents() throws Exception {
    TestAgents agents = agents();
    AgentPool pool = pool(settings(2), agents);
    pool.warm(1);
    awaitIdle(pool, 1);
    agents.stopGate = new CountDownLatch(1);
    Future<?> closing =
        side.submit(
            () -> {
              pool.shutdown(Duration.ofSeconds(5));
              return null;
            });
    waitUpTo(Duration.ofSeconds(5)).until(() -> agents.stopping.get() == 1);

    Future<Stats> stats = side.submit(pool::stats);
    try {
      assertThat(stats.get(1, TimeUnit.SECONDS).size()).isZero();
    } catch (TimeoutException e) {
      throw new AssertionError("stats() blocked while the pool stopped an agent", e);
    } finally {
      agents.stopGate.countDown();
      closing.get(20, TimeUnit.SECONDS);
    }
  }
}
