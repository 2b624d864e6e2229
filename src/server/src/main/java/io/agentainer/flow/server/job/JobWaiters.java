package io.agentainer.flow.server.job;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Clients waiting for a job to end ({@code GET /api/jobs/{id}?wait=PT30S}): told when this node
 * records the end, instead of polling.
 */
@ApplicationScoped
public class JobWaiters {

  private final Map<UUID, List<CompletableFuture<Void>>> waiting = new ConcurrentHashMap<>();

  /**
   * Completes when the job ends on this node; the caller bounds the wait and reads the job again.
   */
  public CompletableFuture<Void> onEnd(UUID jobId) {
    CompletableFuture<Void> future = new CompletableFuture<>();
    waiting.computeIfAbsent(jobId, k -> new CopyOnWriteArrayList<>()).add(future);
    future.whenComplete((v, e) -> forget(jobId, future));
    return future;
  }

  private void forget(UUID jobId, CompletableFuture<Void> future) {
    waiting.computeIfPresent(
        jobId,
        (k, list) -> {
          list.remove(future);
          return list.isEmpty() ? null : list;
        });
  }

  void onEnded(@Observes(during = TransactionPhase.AFTER_SUCCESS) JobEvent.Ended ended) {
    if (ended.status().isFinal()) {
      release(ended.jobId());
    }
  }

  void onCancelled(
      @Observes(during = TransactionPhase.AFTER_SUCCESS) JobEvent.Cancelled cancelled) {
    release(cancelled.jobId());
  }

  private void release(UUID jobId) {
    List<CompletableFuture<Void>> futures = waiting.remove(jobId);
    if (futures != null) {
      futures.forEach(f -> f.complete(null));
    }
  }

  /** How many clients wait now. */
  public int count() {
    return waiting.values().stream().mapToInt(List::size).sum();
  }
}
