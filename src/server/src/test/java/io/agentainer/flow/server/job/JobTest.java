package io.agentainer.flow.server.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentainer.flow.server.common.IllegalTransitionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobTest {

  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

  private static Clock at(long seconds) {
    return Clock.fixed(T0.plusSeconds(seconds), ZoneOffset.UTC);
  }

  private static JobSpec spec(int maxAttempts) {
    UUID run = UUID.randomUUID();
    return new JobSpec(
        null,
        run,
        "count",
        3,
        null,
        "agentainer/example-agent:latest",
        "wordcount",
        "docker",
        null,
        "{\"item\":\"a b\"}",
        null,
        ExecutionMode.COLD,
        Duration.ofSeconds(30),
        maxAttempts,
        0);
  }

  @Test
  void aQueuedJobCarriesItsWorkflowMetadataAndIsDueAtOnce() {
    Job job = Job.queue(spec(1), at(0));
    assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(job.stepId()).isEqualTo("count");
    assertThat(job.taskId()).isEqualTo(3);
    assertThat(job.attempt()).isEqualTo(1);
    assertThat(job.dueAt()).isEqualTo(job.queuedAt()).isEqualTo(T0);
    assertThat(job.timeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void runsToSuccessThroughItsMethods() {
    Job job = Job.queue(spec(1), at(0));
    job.claim("node-a", T0.plusSeconds(30), at(1));
    assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
    assertThat(job.leaseOwner()).isEqualTo("node-a");
    UUID agent = UUID.randomUUID();
    job.agentReady(agent, 312);
    job.succeed("{\"total\":2}", at(2));
    assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(job.agentId()).isEqualTo(agent);
    assertThat(job.agentAcquireMs()).isEqualTo(312);
    assertThat(job.finishedAt()).isEqualTo(T0.plusSeconds(2));
    assertThat(job.leaseOwner()).isNull();
  }

  @Test
  void aFinishedJobCannotMoveAgain() {
    Job job = Job.queue(spec(1), at(0));
    job.claim("n", T0.plusSeconds(30), at(1));
    job.fail("{\"type\":\"x\"}", at(2));
    assertThatThrownBy(() -> job.succeed("{}", at(3)))
        .isInstanceOf(IllegalTransitionException.class);
    assertThatThrownBy(() -> job.cancel(null, at(3)))
        .isInstanceOf(IllegalTransitionException.class);
    assertThatThrownBy(() -> job.claim("n", T0, at(3)))
        .isInstanceOf(IllegalTransitionException.class);
  }

  @Test
  void aQueuedJobCannotSucceedWithoutRunning() {
    Job job = Job.queue(spec(1), at(0));
    assertThatThrownBy(() -> job.succeed("{}", at(1)))
        .isInstanceOf(IllegalTransitionException.class);
    assertThatThrownBy(() -> job.agentReady(UUID.randomUUID(), 1))
        .isInstanceOf(IllegalTransitionException.class);
  }

  @Test
  void aRetryQueuesTheNextAttemptAfterTheDelayAndOldResultsAreRefused() {
    Job job = Job.queue(spec(3), at(0));
    job.claim("n", T0.plusSeconds(30), at(1));
    assertThat(job.isCurrent(1)).isTrue();
    job.retry("{\"type\":\"agent_crashed\"}", Duration.ofSeconds(4), at(2));
    assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(job.attempt()).isEqualTo(2);
    assertThat(job.dueAt()).isEqualTo(T0.plusSeconds(6));
    assertThat(job.isCurrent(1)).isFalse();
    job.claim("n", T0.plusSeconds(60), at(7));
    assertThat(job.isCurrent(1)).isFalse();
    assertThat(job.isCurrent(2)).isTrue();
  }

  @Test
  void noRetryBeyondTheLastAttempt() {
    Job job = Job.queue(spec(1), at(0));
    job.claim("n", T0.plusSeconds(30), at(1));
    assertThat(job.hasAttemptsLeft()).isFalse();
    assertThatThrownBy(() -> job.retry("{}", Duration.ZERO, at(2)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aCancelledJobIsNoLongerCurrent() {
    Job job = Job.queue(spec(1), at(0));
    job.claim("n", T0.plusSeconds(30), at(1));
    job.cancel("{\"type\":\"cancelled\"}", at(2));
    assertThat(job.isCurrent(1)).isFalse();
    assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
  }

  @Test
  void leasesOnlyGrow() {
    Job job = Job.queue(spec(1), at(0));
    job.claim("n", T0.plusSeconds(30), at(1));
    job.renewLease(T0.plusSeconds(10));
    assertThat(job.leaseExpiresAt()).isEqualTo(T0.plusSeconds(30));
    job.renewLease(T0.plusSeconds(60));
    assertThat(job.leaseExpiresAt()).isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void keepsTheTailOfLongLogs() {
    Job job = Job.queue(spec(1), at(0));
    job.recordLogs("0123456789", 4);
    assertThat(job.logs()).isEqualTo("6789");
  }

  @Test
  void aStepNeedsAWorkflowAndATaskAStep() {
    assertThatThrownBy(
            () ->
                new JobSpec(
                    null,
                    null,
                    "count",
                    null,
                    null,
                    "i",
                    null,
                    "docker",
                    null,
                    null,
                    null,
                    ExecutionMode.COLD,
                    null,
                    1,
                    0))
        .hasMessageStartingWith("stepId");
    assertThatThrownBy(
            () ->
                new JobSpec(
                    null,
                    UUID.randomUUID(),
                    null,
                    1,
                    null,
                    "i",
                    null,
                    "docker",
                    null,
                    null,
                    null,
                    ExecutionMode.COLD,
                    null,
                    1,
                    0))
        .hasMessageStartingWith("taskId");
  }

  @Test
  void aStepsRetryPolicyTravelsWithItsJobs() {
    RetryPolicy policy =
        RetryPolicy.of(
            "{\"retry\":{\"backoff\":\"exponential\",\"initialDelayMs\":500,\"maxDelayMs\":3000,\"jitter\":0}}");
    assertThat(policy.delayAfter(1)).isEqualTo(Duration.ofMillis(500));
    assertThat(policy.delayAfter(2)).isEqualTo(Duration.ofMillis(1000));
    assertThat(policy.delayAfter(4)).isEqualTo(Duration.ofMillis(3000));
    RetryPolicy fixed =
        RetryPolicy.of("{\"retry\":{\"backoff\":\"fixed\",\"initialDelayMs\":200,\"jitter\":0}}");
    assertThat(fixed.delayAfter(5)).isEqualTo(Duration.ofMillis(200));
    assertThat(RetryPolicy.of(null)).isEqualTo(RetryPolicy.DEFAULT);
    assertThat(RetryPolicy.of("{\"env\":{}}")).isEqualTo(RetryPolicy.DEFAULT);
  }

  @Test
  void aLostJobIsQueuedAgainWithoutUsingAnAttempt() {
    Job job = Job.queue(spec(1), at(0));
    job.claim("n", T0.plusSeconds(30), at(1));
    job.requeueLost("{\"type\":\"node_lost\"}", at(40));
    assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(job.attempt()).isEqualTo(2);
    assertThat(job.maxAttempts()).isEqualTo(2);
    assertThat(job.dueAt()).isEqualTo(T0.plusSeconds(40));
    assertThat(job.isCurrent(1)).isFalse();
  }

  @Test
  void backoffGrowsExponentiallyWithJitterAndACap() {
    for (int i = 0; i < 50; i++) {
      assertThat(RetryPolicy.DEFAULT.delayAfter(1).toMillis()).isBetween(800L, 1200L);
      assertThat(RetryPolicy.DEFAULT.delayAfter(3).toMillis()).isBetween(3200L, 4800L);
      assertThat(RetryPolicy.DEFAULT.delayAfter(30).toMillis()).isBetween(48_000L, 72_000L);
    }
  }
}
