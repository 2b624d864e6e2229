package io.agentainer.flow.server.pool;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The record of a pool: the image and configuration its agents run, whose it is (a definition's,
 * shared, or ad hoc), and its sizes and policies. Agents themselves live on the nodes ({@link
 * AgentPool}); their records are {@code agent} rows carrying the pool's id.
 */
@Entity
@Table(name = "pool")
public class Pool {

  /** Accepting leases. ({@code DRAINING} and {@code STOPPED} are kept for the schema.) */
  public static final String ACTIVE = "ACTIVE";

  @Id private UUID id;

  @Column(nullable = false)
  private String name;

  @Column(nullable = false)
  private String runtime;

  @Column(nullable = false)
  private String image;

  @Column(nullable = false)
  private String config;

  @Column(name = "config_hash", nullable = false)
  private String configHash;

  @Column(name = "definition_name")
  private String definitionName;

  private boolean shared;

  @Column(name = "min_size")
  private int minSize;

  @Column(name = "max_size")
  private int maxSize;

  @Column(name = "idle_timeout_ms")
  private long idleTimeoutMs;

  @Column(name = "max_uses")
  private Integer maxUses;

  @Column(name = "warm_up")
  private boolean warmUp;

  @Column(name = "lease_timeout_ms")
  private long leaseTimeoutMs;

  @Column(name = "warm_schedule")
  private String warmSchedule;

  @Column(name = "warm_size")
  private Integer warmSize;

  @Column(nullable = false)
  private String status;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Version
  @Column(name = "row_version")
  private long rowVersion;

  protected Pool() {}

  /** A new pool for {@code key}, with settings already resolved against the defaults. */
  static Pool create(PoolKey key, PoolPolicy policy, Instant now) {
    Pool pool = new Pool();
    pool.id = UUID.randomUUID();
    pool.name = key.name();
    pool.runtime = key.runtime();
    pool.image = key.image();
    pool.config = key.configJson();
    pool.configHash = key.hash();
    pool.definitionName = key.definitionName();
    pool.shared = key.shared();
    pool.status = ACTIVE;
    pool.createdAt = now;
    pool.apply(policy);
    return pool;
  }

  /** Takes {@code policy}'s sizes and timings. */
  void apply(PoolPolicy policy) {
    minSize = policy.minSize();
    maxSize = policy.maxSize();
    idleTimeoutMs = policy.idleTimeout().toMillis();
    maxUses = policy.maxUses();
    warmUp = policy.warmUp();
    leaseTimeoutMs = policy.leaseTimeout().toMillis();
    warmSchedule = policy.warmSchedule();
    warmSize = policy.warmSize();
  }

  /** The sizes and timings of this pool now. */
  public PoolPolicy policy() {
    return new PoolPolicy(
        minSize,
        maxSize,
        Duration.ofMillis(idleTimeoutMs),
        maxUses,
        warmUp,
        Duration.ofMillis(leaseTimeoutMs),
        warmSchedule,
        warmSize);
  }

  public UUID id() {
    return id;
  }

  public String name() {
    return name;
  }

  public String runtime() {
    return runtime;
  }

  public String image() {
    return image;
  }

  /** {@code {env, cpus, memoryMb}} as JSON text. */
  public String config() {
    return config;
  }

  public String definitionName() {
    return definitionName;
  }

  public boolean shared() {
    return shared;
  }

  public String status() {
    return status;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public long rowVersion() {
    return rowVersion;
  }
}
