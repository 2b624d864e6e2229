package io.agentainer.flow.server.node;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * A server node: one WildFly running Agentainer Flow. A node registers when it starts ({@link
 * #start}), tells the others it is alive with a {@link #heartbeat}, and {@link #stop}s when it
 * shuts down. Jobs leased by a node whose heartbeat is older than the lease are taken over by the
 * others.
 */
@Entity
@Table(name = "node")
public class Node {

  @Id private String id;

  @Column(nullable = false)
  private String host;

  private Long pid;

  private String version;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  private NodeStatus status;

  @Column(name = "started_at", nullable = false)
  private Instant startedAt;

  @Column(name = "heartbeat_at", nullable = false)
  private Instant heartbeatAt;

  @Column(name = "stopped_at")
  private Instant stoppedAt;

  protected Node() {}

  private Node(String id, String host, Long pid, String version, Instant now) {
    this.id = requireText(id, "id");
    this.host = requireText(host, "host");
    this.pid = pid;
    this.version = version;
    this.status = NodeStatus.ACTIVE;
    this.startedAt = now;
    this.heartbeatAt = now;
  }

  /** A node that starts now. */
  public static Node start(String id, String host, Long pid, String version, Clock clock) {
    return new Node(id, host, pid, version, clock.instant());
  }

  /**
   * The node starts again with the same id: after a clean stop, or after a crash that left it
   * {@code ACTIVE}. Whatever it owned before belongs to no live process any more.
   */
  public void restart(String host, Long pid, String version, Clock clock) {
    status = NodeStatus.TRANSITIONS.check(status, NodeStatus.ACTIVE);
    this.host = requireText(host, "host");
    this.pid = pid;
    this.version = version;
    Instant now = clock.instant();
    startedAt = now;
    heartbeatAt = now;
    stoppedAt = null;
  }

  /** The node is alive at the clock's time. Only an active node beats. */
  public void heartbeat(Clock clock) {
    if (status != NodeStatus.ACTIVE) {
      throw new IllegalStateException("node " + id + " is " + status + " and cannot heartbeat");
    }
    Instant now = clock.instant();
    if (now.isAfter(heartbeatAt)) {
      heartbeatAt = now;
    }
  }

  /** The node shuts down. */
  public void stop(Clock clock) {
    status = NodeStatus.TRANSITIONS.check(status, NodeStatus.STOPPED);
    stoppedAt = clock.instant();
  }

  /** Whether the node has beaten within {@code timeoutMillis} of the clock's time. */
  public boolean isAlive(Clock clock, long timeoutMillis) {
    return status == NodeStatus.ACTIVE
        && !heartbeatAt.plusMillis(timeoutMillis).isBefore(clock.instant());
  }

  public String id() {
    return id;
  }

  public String host() {
    return host;
  }

  public Long pid() {
    return pid;
  }

  public String version() {
    return version;
  }

  public NodeStatus status() {
    return status;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public Instant heartbeatAt() {
    return heartbeatAt;
  }

  public Instant stoppedAt() {
    return stoppedAt;
  }

  private static String requireText(String value, String name) {
    if (Objects.requireNonNull(value, name).isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }
}
