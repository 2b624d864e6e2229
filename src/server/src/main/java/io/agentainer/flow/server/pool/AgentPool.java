package io.agentainer.flow.server.pool;

import io.agentainer.flow.server.agent.AgentHandle;
import io.agentainer.flow.server.agent.AgentStartException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The warm agents of one pool on this node, and the leases waiting for them.
 *
 * <p>A lease takes the most recently used idle agent (an agent idle for longer than {@link #FRESH}
 * answers its health check first); when none is idle and the pool is below {@code maxSize}, an
 * agent starts for it; at {@code maxSize} it waits in line (first come first served, or, in a
 * shared pool, the run holding the fewest agents first) for at most the lease timeout. An agent
 * given back goes idle again unless it must go: its task crashed it or ran out of time, it reached
 * {@code maxUses}, the pool was drained or shrunk. Agents are started and stopped on the {@code
 * work} executor, never while holding the pool's lock.
 */
public final class AgentPool {

  private static final Logger LOG = Logger.getLogger(AgentPool.class.getName());

  /** An agent whose last task or health check succeeded this recently is leased unchecked. */
  static final long FRESH = TimeUnit.SECONDS.toNanos(1);

  /** Idle agents not used for this long have their health checked in the background. */
  static final long SWEEP = TimeUnit.SECONDS.toNanos(5);

  /** How the pool's host starts, checks and stops agents, and keeps their records. */
  public interface Agents {

    /** Starts an agent with id {@code agentId}; throws {@link AgentStartException}. */
    AgentHandle start(UUID agentId);

    /** Waits until the agent answers its health check; false when it never did. */
    boolean awaitReady(AgentHandle agent) throws InterruptedException;

    /** One quick health check. */
    boolean healthy(AgentHandle agent);

    /** Stops and removes the agent, recording why; harmless when it is gone already. */
    void stop(AgentHandle agent, String reason, int uses);

    /** Records that the agent answered its first health check. */
    void ready(AgentHandle agent);
  }

  /** How a leased agent comes back. */
  public enum Return {
    /** The agent answered (success or a task error): it may serve again. */
    ANSWERED("answered"),
    /** The connection broke while the task ran: the agent crashed. */
    CRASHED("crashed"),
    /** The task ran out of time: the agent may still be busy with it. */
    TIMED_OUT("task_timeout"),
    /** The job was cancelled while the agent worked on it. */
    CANCELLED("cancelled"),
    /** The task never reached the agent (connection refused). */
    UNREACHABLE("unhealthy");

    final String reason;

    Return(String reason) {
      this.reason = reason;
    }
  }

  /** An agent lent to one task. */
  public record Lease(
      AgentHandle agent, boolean coldStart, boolean reused, long waitNanos, Member member) {}

  /** A lease waited {@code leaseTimeout} at {@code maxSize}. */
  public static final class ExhaustedException extends RuntimeException {
    ExhaustedException(String message) {
      super(message);
    }
  }

  /** The pool is shutting down: no more leases. */
  public static final class ClosedException extends RuntimeException {
    ClosedException(String message) {
      super(message);
    }
  }

  enum State {
    STARTING,
    IDLE,
    BUSY,
    GONE
  }

  /** One agent of the pool. */
  public static final class Member {
    final UUID id = UUID.randomUUID();
    final boolean demand;
    volatile AgentHandle handle;
    State state = State.STARTING;
    int uses;
    long lastOk;
    long idleSince;
    long readyAt;
    long startedAt;
    Object run;
    String retire;
    long retireBy;
    boolean checking;

    Member(boolean demand, long now) {
      this.demand = demand;
      this.startedAt = now;
    }

    public UUID id() {
      return id;
    }
  }

  private static final class Waiter {
    final Object run;
    final long since;
    Member assigned;
    RuntimeException failure;

    Waiter(Object run, long since) {
      this.run = run;
      this.since = since;
    }
  }

  private final UUID id;
  private final String name;
  private final Agents agents;
  private final Executor work;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<Member> members = new ArrayList<>();
  private final Deque<Member> idle = new ArrayDeque<>();
  private final Deque<Waiter> waiters = new ArrayDeque<>();
  private final Map<Object, Integer> busyByRun = new HashMap<>();
  private final Map<Object, Long> lastServed = new HashMap<>();
  private long served;
  private final Map<String, Long> terminations = new TreeMap<>();
  private final long[] waits = new long[4096];
  private volatile Settings settings;
  private boolean closed;
  private long leases;
  private long reused;
  private long coldStarts;
  private long exhaustions;
  private long timeouts;
  private long waitCount;
  private long busyNanos;
  private long aliveNanos;
  private long accountedAt;

  /** The policies this pool applies now. */
  public record Settings(
      int minSize,
      int maxSize,
      Duration idleTimeout,
      Integer maxUses,
      Duration leaseTimeout,
      boolean shared,
      Duration drainGrace) {}

  public AgentPool(UUID id, String name, Settings settings, Agents agents, Executor work) {
    this.id = id;
    this.name = name;
    this.settings = settings;
    this.agents = agents;
    this.work = work;
    this.accountedAt = System.nanoTime();
  }

  public UUID id() {
    return id;
  }

  public String name() {
    return name;
  }

  public Settings settings() {
    return settings;
  }

  /** New sizes and timings: a smaller pool stops idle agents above {@code maxSize} now. */
  public void configure(Settings next) {
    lock.lock();
    try {
      settings = next;
      account();
      Iterator<Member> oldest = idle.descendingIterator();
      while (live() > next.maxSize() && oldest.hasNext()) {
        Member m = oldest.next();
        oldest.remove();
        removeLocked(m, "resized");
      }
      dispatchLocked();
      keepMinimumLocked();
    } finally {
      lock.unlock();
    }
  }

  // ---- leases --------------------------------------------------------------------------------

  /**
   * Lends an agent for one task of {@code run} (an id that groups leases for fair sharing).
   *
   * @throws ExhaustedException when none could be had within the lease timeout
   * @throws ClosedException when the pool shut down
   * @throws AgentStartException when the agent started for this lease failed to start
   */
  public Lease lease(Object run) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + settings.leaseTimeout().toNanos();
    boolean front = false;
    while (true) {
      Member m = await(run, start, deadline, front);
      if (System.nanoTime() - m.lastOk <= FRESH || agents.healthy(m.handle)) {
        long waited = System.nanoTime() - start;
        return leased(m, start, waited);
      }
      giveBack(m, Return.UNREACHABLE);
      front = true; // it was this lease's turn: it keeps its place
    }
  }

  private Lease leased(Member m, long start, long waited) {
    lock.lock();
    try {
      m.lastOk = System.nanoTime();
      // cold: this lease waited for an agent started on demand (a warm-up agent is never cold)
      boolean cold = m.demand && m.uses == 0 && m.readyAt - start > 0;
      boolean wasUsed = m.uses > 0;
      leases++;
      if (cold) {
        coldStarts++;
      }
      if (wasUsed) {
        reused++;
      }
      waits[(int) (waitCount++ % waits.length)] = waited;
      return new Lease(m.handle, cold, wasUsed, waited, m);
    } finally {
      lock.unlock();
    }
  }

  private Member await(Object run, long start, long deadline, boolean front)
      throws InterruptedException {
    Waiter w = new Waiter(run, start);
    lock.lock();
    try {
      if (closed) {
        throw new ClosedException("pool " + name + " is shutting down");
      }
      if (front) {
        waiters.addFirst(w);
      } else {
        waiters.addLast(w);
      }
      dispatchLocked();
      if (w.assigned == null
          && w.failure == null
          && live() >= settings.maxSize()
          && waiters.size() > members.stream().filter(m -> m.state == State.STARTING).count()) {
        exhaustions++; // at maxSize, and no agent on its way is left for this lease
      }
      while (w.assigned == null && w.failure == null) {
        long left = deadline - System.nanoTime();
        if (closed) {
          waiters.remove(w);
          throw new ClosedException("pool " + name + " is shutting down");
        }
        boolean starting = members.stream().anyMatch(m -> m.state == State.STARTING);
        if (left <= 0 && !starting) {
          waiters.remove(w);
          timeouts++;
          throw new ExhaustedException(
              "no agent of pool "
                  + name
                  + " was free within its lease timeout of "
                  + readable(settings.leaseTimeout())
                  + " (maxSize "
                  + settings.maxSize()
                  + ", "
                  + busy()
                  + " busy)");
        }
        // an agent on its way is waited for (its start has its own ready timeout)
        changed.awaitNanos(left > 0 ? left : TimeUnit.MILLISECONDS.toNanos(100));
      }
      if (w.failure != null) {
        throw w.failure;
      }
      return w.assigned;
    } catch (InterruptedException e) {
      waiters.remove(w);
      if (w.assigned != null) { // given an agent as the interrupt came: it goes back idle
        lock.unlock();
        try {
          giveBack(w.assigned, Return.ANSWERED);
        } finally {
          lock.lock();
        }
      }
      throw e;
    } finally {
      lock.unlock();
    }
  }

  /** Takes back a leased agent; {@code how} says whether it may serve again. */
  public void giveBack(Member m, Return how) {
    lock.lock();
    try {
      account();
      release(m);
      if (m.state == State.GONE) {
        dispatchLocked();
        return; // stopped meanwhile (drain grace ran out)
      }
      if (how != Return.UNREACHABLE) {
        m.uses++;
      }
      Integer maxUses = settings.maxUses();
      if (how != Return.ANSWERED) {
        removeLocked(m, how.reason);
      } else if (m.retire != null) {
        removeLocked(m, m.retire);
      } else if (maxUses != null && m.uses >= maxUses) {
        removeLocked(m, "max_uses");
      } else if (live() > settings.maxSize()) {
        removeLocked(m, "resized");
      } else {
        long now = System.nanoTime();
        m.state = State.IDLE;
        m.lastOk = now;
        m.idleSince = now;
        idle.addFirst(m);
      }
      dispatchLocked();
      keepMinimumLocked();
    } finally {
      lock.unlock();
    }
  }

  private static String readable(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private void release(Member m) {
    if (m.run != null) {
      busyByRun.computeIfPresent(m.run, (k, n) -> n <= 1 ? null : n - 1);
      m.run = null;
    }
  }

  /** Gives idle agents to waiting leases, and starts agents for leases nothing else will serve. */
  private void dispatchLocked() {
    account();
    while (!waiters.isEmpty() && !idle.isEmpty()) {
      Waiter w = next();
      Member m = idle.pollFirst();
      m.state = State.BUSY;
      m.run = w.run;
      busyByRun.merge(w.run, 1, Integer::sum);
      if (settings.shared()) {
        lastServed.put(w.run, ++served);
      }
      w.assigned = m;
      waiters.remove(w);
    }
    long starting = members.stream().filter(m -> m.state == State.STARTING).count();
    long uncovered = waiters.size() - starting;
    while (uncovered > 0 && !closed && members.size() < settings.maxSize()) {
      startLocked(true);
      uncovered--;
    }
    changed.signalAll();
  }

  private Waiter next() {
    if (!settings.shared()) {
      return waiters.peekFirst();
    }
    Waiter best = null;
    int bestHeld = Integer.MAX_VALUE;
    long bestServed = Long.MAX_VALUE;
    for (Waiter w : waiters) { // in arrival order: the first of equals wins
      int held = busyByRun.getOrDefault(w.run, 0);
      long last = lastServed.getOrDefault(w.run, 0L);
      if (held < bestHeld || (held == bestHeld && last < bestServed)) {
        best = w;
        bestHeld = held;
        bestServed = last;
      }
    }
    return best;
  }

  // ---- starting and stopping -----------------------------------------------------------------

  private void startLocked(boolean demand) {
    Member m = new Member(demand, System.nanoTime());
    members.add(m);
    try {
      work.execute(() -> boot(m));
    } catch (RuntimeException e) {
      members.remove(m);
      throw e;
    }
  }

  private void boot(Member m) {
    AgentHandle handle;
    try {
      handle = agents.start(m.id);
    } catch (RuntimeException e) {
      failed(
          m,
          e instanceof AgentStartException
              ? e
              : new AgentStartException(
                  "agent_unavailable", "the pool's agent did not start: " + e.getMessage(), true));
      return;
    }
    m.handle = handle;
    boolean ready;
    try {
      ready = agents.awaitReady(handle);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ready = false;
    }
    if (!ready) {
      agents.stop(handle, "not_ready", 0);
      failed(
          m,
          new AgentStartException(
              "agent_unavailable", "the pool's new agent did not answer its health check", true));
      return;
    }
    agents.ready(handle);
    lock.lock();
    try {
      account();
      if (m.state == State.GONE) { // removed while it started: it stops now
        stopLater(handle, m.retire == null ? "shutdown" : m.retire, 0);
        return;
      }
      m.readyAt = System.nanoTime();
      if (closed || m.retire != null) {
        removeLocked(m, closed ? "shutdown" : m.retire);
      } else if (live() > settings.maxSize()) {
        removeLocked(m, "resized"); // the pool shrank while it started
      } else {
        long now = System.nanoTime();
        m.state = State.IDLE;
        m.lastOk = now;
        m.idleSince = now;
        idle.addFirst(m);
      }
      dispatchLocked();
    } finally {
      lock.unlock();
    }
  }

  private void failed(Member m, RuntimeException why) {
    LOG.log(Level.WARNING, "pool " + name + ": an agent failed to start: " + why.getMessage());
    lock.lock();
    try {
      account();
      members.remove(m);
      m.state = State.GONE;
      terminations.merge("start_failed", 1L, Long::sum);
      if (m.demand && !waiters.isEmpty()) {
        Waiter w = waiters.pollFirst();
        w.failure = why;
      }
      dispatchLocked(); // the leases still waiting may need another start
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void removeLocked(Member m, String reason) {
    members.remove(m);
    idle.remove(m);
    release(m);
    boolean wasStarting = m.state == State.STARTING;
    m.state = State.GONE;
    terminations.merge(reason, 1L, Long::sum);
    AgentHandle handle = m.handle;
    int uses = m.uses;
    if (handle != null) {
      stopLater(handle, reason, uses);
    } else if (wasStarting) {
      m.retire = reason; // boot() stops it once the runtime answers
    }
    changed.signalAll();
  }

  private void stopLater(AgentHandle handle, String reason, int uses) {
    try {
      work.execute(() -> agents.stop(handle, reason, uses));
    } catch (RuntimeException rejected) { // the executor is gone (shutdown): stop it here
      agents.stop(handle, reason, uses);
    }
  }

  private void keepMinimumLocked() {
    while (!closed && members.size() < settings.minSize()) {
      startLocked(false);
    }
  }

  // ---- operations ----------------------------------------------------------------------------

  /**
   * Starts agents until the pool holds {@code target} (at most {@code maxSize}).
   *
   * @return how many started
   */
  public int warm(int target) {
    lock.lock();
    try {
      int goal = Math.min(target, settings.maxSize());
      int started = 0;
      while (!closed && members.size() < goal) {
        startLocked(false);
        started++;
      }
      return started;
    } finally {
      lock.unlock();
    }
  }

  /** Idle agents stopping now and busy agents retiring after their task. */
  public record Drained(int stopping, int retiring) {}

  /** Retires every agent: idle ones now, busy ones when their task ends or the grace runs out. */
  public Drained drain() {
    lock.lock();
    try {
      account();
      int stopping = 0;
      int retiring = 0;
      long by = System.nanoTime() + settings.drainGrace().toNanos();
      for (Member m : List.copyOf(members)) {
        if (m.state == State.IDLE) {
          removeLocked(m, "drained");
          stopping++;
        } else {
          m.retire = "drained";
          m.retireBy = by;
          retiring++;
        }
      }
      keepMinimumLocked();
      return new Drained(stopping, retiring);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Applies the time-based policies: idle agents above {@code minSize} stop after the idle timeout,
   * busy agents past their drain grace stop, idle agents unused for a while have their health
   * checked (in the background), and the pool keeps {@code minSize}.
   */
  public void upkeep() {
    List<Member> check = new ArrayList<>();
    lock.lock();
    try {
      account();
      long now = System.nanoTime();
      long idleLimit = settings.idleTimeout().toNanos();
      Iterator<Member> oldest = idle.descendingIterator();
      while (oldest.hasNext() && live() > settings.minSize()) {
        Member m = oldest.next();
        if (now - m.idleSince < idleLimit) {
          break;
        }
        oldest.remove();
        removeLocked(m, "idle_timeout");
      }
      for (Member m : List.copyOf(members)) {
        if (m.state == State.BUSY && m.retire != null && now - m.retireBy > 0) {
          removeLocked(m, m.retire);
        } else if (m.state == State.IDLE && !m.checking && now - m.lastOk > SWEEP) {
          m.checking = true;
          check.add(m);
        }
      }
      keepMinimumLocked();
      dispatchLocked();
      lastServed
          .keySet()
          .removeIf(
              run -> !busyByRun.containsKey(run) && waiters.stream().noneMatch(w -> w.run == run));
    } finally {
      lock.unlock();
    }
    for (Member m : check) {
      work.execute(() -> sweep(m));
    }
  }

  private void sweep(Member m) {
    boolean ok = agents.healthy(m.handle);
    lock.lock();
    try {
      m.checking = false;
      if (m.state != State.IDLE) {
        return;
      }
      if (ok) {
        m.lastOk = System.nanoTime();
      } else {
        account();
        removeLocked(m, "unhealthy");
        keepMinimumLocked();
        dispatchLocked();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * No more leases: waiting ones fail, idle agents stop, busy ones get {@code grace} to finish,
   * then every agent stops.
   */
  public void shutdown(Duration grace) throws InterruptedException {
    long deadline = System.nanoTime() + grace.toNanos();
    List<Member> idleNow = new ArrayList<>();
    lock.lock();
    try {
      closed = true;
      account();
      for (Member m : List.copyOf(members)) {
        if (m.state == State.IDLE) {
          detach(m, "shutdown");
          idleNow.add(m);
        }
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    idleNow.forEach(
        m -> agents.stop(m.handle, "shutdown", m.uses)); // here: the executor may be gone
    List<Member> remaining;
    lock.lock();
    try {
      while (members.stream().anyMatch(m -> m.state == State.BUSY)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        changed.awaitNanos(left);
      }
      remaining = new ArrayList<>();
      for (Member m : List.copyOf(members)) {
        m.retire = "shutdown";
        detach(m, "shutdown");
        remaining.add(m);
      }
    } finally {
      lock.unlock();
    }
    for (Member m : remaining) {
      if (m.handle != null) { // one still starting is stopped once its runtime answers (boot)
        agents.stop(m.handle, "shutdown", m.uses);
      }
    }
  }

  /** Takes an agent out of the pool, to be stopped by the caller. */
  private void detach(Member m, String reason) {
    members.remove(m);
    idle.remove(m);
    release(m);
    m.state = State.GONE;
    terminations.merge(reason, 1L, Long::sum);
  }

  /** Whether {@code agentId} is one of this pool's agents. */
  public boolean owns(UUID agentId) {
    lock.lock();
    try {
      return members.stream().anyMatch(m -> m.id.equals(agentId));
    } finally {
      lock.unlock();
    }
  }

  // ---- figures -------------------------------------------------------------------------------

  private int live() {
    return members.size();
  }

  private int busy() {
    return (int) members.stream().filter(m -> m.state == State.BUSY).count();
  }

  private void account() {
    long now = System.nanoTime();
    long span = now - accountedAt;
    int up = 0;
    int working = 0;
    for (Member m : members) {
      if (m.state == State.IDLE || m.state == State.BUSY) {
        up++;
        if (m.state == State.BUSY) {
          working++;
        }
      }
    }
    busyNanos += span * working;
    aliveNanos += span * up;
    accountedAt = now;
  }

  /** One agent as the API shows it. */
  public record AgentInfo(UUID id, String state, int uses, String endpoint, long idleMillis) {}

  /** The pool's figures on this node. */
  public record Stats(
      int size,
      int starting,
      int idle,
      int busy,
      int waiting,
      long leases,
      long reused,
      long coldStarts,
      long exhaustions,
      long timeouts,
      double leaseWaitP50Ms,
      double leaseWaitP99Ms,
      double busySeconds,
      double agentSeconds,
      Map<String, Long> terminations,
      List<AgentInfo> agents) {

    /** Busy agents over ready ones now (0 for an empty pool). */
    public double utilization() {
      int up = idle + busy;
      return up == 0 ? 0 : (double) busy / up;
    }
  }

  public Stats stats() {
    lock.lock();
    try {
      account();
      long now = System.nanoTime();
      int starting = 0;
      int idleCount = 0;
      int busyCount = 0;
      List<AgentInfo> infos = new ArrayList<>();
      for (Member m : members) {
        switch (m.state) {
          case STARTING -> starting++;
          case IDLE -> idleCount++;
          case BUSY -> busyCount++;
          default -> {}
        }
        AgentHandle h = m.handle;
        infos.add(
            new AgentInfo(
                m.id,
                m.retire != null && m.state == State.BUSY ? "DRAINING" : m.state.name(),
                m.uses,
                h == null || h.endpoint() == null ? null : h.endpoint().toString(),
                m.state == State.IDLE ? (now - m.idleSince) / 1_000_000 : 0));
      }
      int n = (int) Math.min(waitCount, waits.length);
      long[] sorted = Arrays.copyOf(waits, n);
      Arrays.sort(sorted);
      return new Stats(
          members.size(),
          starting,
          idleCount,
          busyCount,
          waiters.size(),
          leases,
          reused,
          coldStarts,
          exhaustions,
          timeouts,
          percentile(sorted, 0.50),
          percentile(sorted, 0.99),
          busyNanos / 1e9,
          aliveNanos / 1e9,
          Map.copyOf(terminations),
          infos);
    } finally {
      lock.unlock();
    }
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
  }
}
