package io.agentainer.flow.server.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentainer.flow.server.api.ApiException;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;
import java.lang.annotation.Annotation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Submitting jobs, child jobs above all, against jobs kept in memory. */
class JobServiceTest {

  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
  private static final UUID RUN = UUID.randomUUID();

  private final InMemoryJobs jobs = new InMemoryJobs();
  private final List<JobEvent> fired = new ArrayList<>();
  private final JobService service = new JobService(jobs, CLOCK, new Recorded(fired));

  @Test
  void aRunningJobOfARunStartsAChild() {
    Job parent = parent(running -> {});

    Job child = service.submit(childOf(parent, RUN));

    assertThat(child.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(child.parentJobId()).isEqualTo(parent.id());
    assertThat(jobs.find(child.id())).contains(child);
    assertThat(fired).containsExactly(new JobEvent.Queued(child.id()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"SUCCEEDED", "FAILED", "CANCELLED", "QUEUED"})
  void aJobOfARunThatNoLongerRunsStartsNoChild(String status) {
    Job parent = parent(ended(JobStatus.valueOf(status)));

    assertThatThrownBy(() -> service.submit(childOf(parent, RUN)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.details()).containsEntry("field", "parentJobId");
              assertThat(e.getMessage())
                  .startsWith("parentJobId: job " + parent.id() + " is " + status);
            });
    assertThat(jobs.all()).containsExactly(parent);
    assertThat(fired).isEmpty();
  }

  @Test
  void aChildOfAJobThatDoesNotExistIsA400() {
    JobSpec orphan =
        new JobSpec(
            null,
            RUN,
            "count/chunk",
            null,
            UUID.randomUUID(),
            "agentainer/example-agent:latest",
            "echo",
            "process",
            null,
            "{}",
            null,
            ExecutionMode.COLD,
            null,
            1,
            0);

    assertThatThrownBy(() -> service.submit(orphan))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.details()).containsEntry("field", "parentJobId");
            });
    assertThat(jobs.all()).isEmpty();
  }

  /** A job of {@link #RUN}, claimed, then taken on by {@code then}. */
  private Job parent(Consumer<Job> then) {
    Job parent =
        Job.queue(
            new JobSpec(
                null,
                RUN,
                "count",
                0,
                null,
                "agentainer/example-agent:latest",
                "wordcount",
                "process",
                null,
                "{}",
                null,
                ExecutionMode.COLD,
                null,
                2,
                0),
            CLOCK);
    parent.claim("node-a", T0.plusSeconds(30), CLOCK);
    then.accept(parent);
    jobs.add(parent);
    return parent;
  }

  private static Consumer<Job> ended(JobStatus status) {
    return job -> {
      switch (status) {
        case SUCCEEDED -> job.succeed("{}", CLOCK);
        case FAILED -> job.fail("{}", CLOCK);
        case CANCELLED -> job.cancel("{}", CLOCK);
        case QUEUED -> job.retry("{}", Duration.ofSeconds(5), CLOCK);
        default -> throw new IllegalArgumentException(status.name());
      }
      assertThat(job.status()).isEqualTo(status);
    };
  }

  private static JobSpec childOf(Job parent, UUID run) {
    return new JobSpec(
        null,
        run,
        "count/chunk",
        null,
        parent.id(),
        "agentainer/example-agent:latest",
        "echo",
        "process",
        null,
        "{\"part\":1}",
        null,
        ExecutionMode.COLD,
        null,
        1,
        0);
  }

  private static final class InMemoryJobs implements JobRepository {

    private final Map<UUID, Job> byId = new LinkedHashMap<>();

    List<Job> all() {
      return List.copyOf(byId.values());
    }

    @Override
    public void add(Job job) {
      byId.put(job.id(), job);
    }

    @Override
    public Optional<Job> find(UUID id) {
      return Optional.ofNullable(byId.get(id));
    }

    @Override
    public List<Job> list(UUID workflowId, Collection<JobStatus> statuses, int offset, int limit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long count(UUID workflowId, Collection<JobStatus> statuses) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<Job> listOfWorkflow(
        UUID workflowId, Collection<JobStatus> statuses, int offset, int limit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<Job> lockDue(Instant now, int limit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Instant> nextDue() {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<Job> expiredLeases(Instant now, int limit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<Job> runningOn(String nodeId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int renewLeases(String nodeId, Collection<UUID> running, Instant until) {
      throw new UnsupportedOperationException();
    }
  }

  /** Keeps what was fired. */
  private record Recorded(List<JobEvent> fired) implements Event<JobEvent> {

    @Override
    public void fire(JobEvent event) {
      fired.add(event);
    }

    @Override
    public <U extends JobEvent> CompletionStage<U> fireAsync(U event) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <U extends JobEvent> CompletionStage<U> fireAsync(U event, NotificationOptions options) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Event<JobEvent> select(Annotation... qualifiers) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <U extends JobEvent> Event<U> select(Class<U> subtype, Annotation... qualifiers) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <U extends JobEvent> Event<U> select(TypeLiteral<U> subtype, Annotation... qualifiers) {
      throw new UnsupportedOperationException();
    }
  }
}
