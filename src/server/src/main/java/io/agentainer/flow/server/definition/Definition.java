package io.agentainer.flow.server.definition;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * One version of a named workflow definition. Versions count from 1 per name and never change once
 * written: a run refers to the version it started with ({@code run.definition_id}). The spec is
 * kept as its canonical JSON ({@link SpecJson}) with that text's SHA-256, so registering the same
 * definition again is recognised.
 */
@Entity
@Table(name = "definition")
public class Definition {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(nullable = false)
  private String name;

  @Column(nullable = false)
  private int version;

  private String description;

  @Column(nullable = false)
  private String spec;

  @Column(name = "spec_hash", nullable = false)
  private String specHash;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  protected Definition() {}

  /** Version {@code version} of {@code spec}'s name, created now. */
  public static Definition of(WorkflowSpec spec, int version, Clock clock) {
    Objects.requireNonNull(spec, "spec");
    if (version < 1) {
      throw new IllegalArgumentException("version: must be at least 1, got " + version);
    }
    Definition d = new Definition();
    d.name = Objects.requireNonNull(spec.name(), "spec.name");
    d.version = version;
    d.description = spec.description();
    d.spec = SpecJson.canonical(spec);
    d.specHash = SpecJson.hash(d.spec);
    d.createdAt = clock.instant();
    return d;
  }

  /** Whether {@code canonicalJson} is this version's spec. */
  public boolean sameSpec(String canonicalJson) {
    return specHash.equals(SpecJson.hash(canonicalJson));
  }

  /** The spec, read back from its JSON. */
  public WorkflowSpec workflowSpec() {
    return DefinitionParser.readStored(spec);
  }

  /** The database id, which runs refer to; null until the row is written. */
  public Long id() {
    return id;
  }

  public String name() {
    return name;
  }

  public int version() {
    return version;
  }

  public String description() {
    return description;
  }

  /** The canonical JSON of the spec. */
  public String spec() {
    return spec;
  }

  public String specHash() {
    return specHash;
  }

  public Instant createdAt() {
    return createdAt;
  }
}
