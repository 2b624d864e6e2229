package io.agentainer.flow.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentainer.flow.server.job.JobTokens;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What an agent's run-scoped token opens, and what it does not. */
class BearerTokenFilterTest {

  private final UUID run = UUID.randomUUID();
  private final JobTokens.Grant inRun = new JobTokens.Grant(run, UUID.randomUUID(), null);
  private final JobTokens.Grant plain =
      new JobTokens.Grant(null, UUID.randomUUID(), UUID.randomUUID());

  @Test
  void anAgentReachesItsOwnRun() {
    assertThat(BearerTokenFilter.agentMayCall("GET", "workflows/" + run + "/state", inRun))
        .isTrue();
    assertThat(
            BearerTokenFilter.agentMayCall(
                "POST", "workflows/" + run + "/state/n/increment", inRun))
        .isTrue();
    assertThat(BearerTokenFilter.agentMayCall("GET", "workflows/" + run, inRun)).isTrue();
  }

  @Test
  void anAgentDoesNotReachAnotherRun() {
    UUID other = UUID.randomUUID();
    assertThat(BearerTokenFilter.agentMayCall("GET", "workflows/" + other + "/state", inRun))
        .isFalse();
    assertThat(BearerTokenFilter.agentMayCall("GET", "workflows/" + run + "x/state", inRun))
        .isFalse();
    assertThat(BearerTokenFilter.agentMayCall("GET", "workflows/" + run, plain)).isFalse();
  }

  @Test
  void anAgentStartsAndReadsJobsButNeitherListsNodesNorJobs() {
    assertThat(BearerTokenFilter.agentMayCall("POST", "jobs", inRun)).isTrue();
    assertThat(BearerTokenFilter.agentMayCall("GET", "jobs/abc", plain)).isTrue();
    assertThat(BearerTokenFilter.agentMayCall("GET", "jobs", inRun)).isFalse();
    assertThat(BearerTokenFilter.agentMayCall("GET", "nodes", inRun)).isFalse();
    assertThat(BearerTokenFilter.agentMayCall("POST", "definitions", inRun)).isFalse();
  }
}
