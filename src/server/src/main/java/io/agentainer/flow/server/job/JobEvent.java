package io.agentainer.flow.server.job;

import java.util.UUID;

/** What the engine reacts to, delivered after the transaction that caused it commits. */
public sealed interface JobEvent {

  UUID jobId();

  /** A job is in the queue. */
  record Queued(UUID jobId) implements JobEvent {}

  /** A job was cancelled; if it was running, its agent must stop. */
  record Cancelled(UUID jobId, boolean wasRunning) implements JobEvent {}

  /** A job ended (succeeded, failed, cancelled) or went back to the queue. */
  record Ended(UUID jobId, JobStatus status) implements JobEvent {}
}
