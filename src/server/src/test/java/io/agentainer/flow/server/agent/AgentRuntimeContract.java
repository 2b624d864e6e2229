package io.agentainer.flow.server.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AgentRuntime} must do, run against each implementation with the real example
 * agent.
 */
abstract class AgentRuntimeContract {

  static final String EXAMPLE = "agentainer/example-agent:latest";
  static final String NODE = "contract-node-" + UUID.randomUUID().toString().substring(0, 8);

  final ObjectMapper json = new ObjectMapper();
  final AgentClient client = new AgentClient(json);
  private final List<AgentHandle> started = new ArrayList<>();

  abstract AgentRuntime runtime();

  @AfterEach
  void removeAgents() {
    started.forEach(runtime()::stop);
  }

  AgentHandle start(Map<String, String> env) {
    UUID id = UUID.randomUUID();
    AgentHandle agent =
        runtime()
            .start(
                new AgentLaunch(
                    id,
                    EXAMPLE,
                    env,
                    Map.of(
                        AgentLabels.NODE,
                        NODE,
                        AgentLabels.AGENT,
                        id.toString(),
                        AgentLabels.JOB,
                        id.toString()),
                    0.5,
                    256));
    started.add(agent);
    return agent;
  }

  AgentHandle startReady(Map<String, String> env) throws InterruptedException {
    AgentHandle agent = start(env);
    assertThat(
            client.awaitReady(
                agent.endpoint(), Duration.ofSeconds(30), () -> runtime().isRunning(agent)))
        .as("agent ready")
        .isTrue();
    return agent;
  }

  ObjectNode task(String handler, ObjectNode input) {
    ObjectNode task =
        json.createObjectNode().put("jobId", UUID.randomUUID().toString()).put("attempt", 1);
    if (handler != null) {
      task.put("handler", handler);
    }
    task.set("input", input);
    return task;
  }

  @Test
  void startsAnAgentThatServesTheTaskProtocol() throws Exception {
    AgentHandle agent = startReady(Map.of());
    assertThat(runtime().isRunning(agent)).isTrue();
    TaskOutcome outcome =
        client.send(
            agent.endpoint(),
            task("echo", json.createObjectNode().put("word", "hello")),
            Duration.ofSeconds(10));
    assertThat(outcome).isEqualTo(new TaskOutcome.Succeeded("{\"word\":\"hello\"}"));
  }

  @Test
  void passesTheEnvironmentToTheAgent() throws Exception {
    AgentHandle agent = startReady(Map.of("FLOW_HANDLER", "echo"));
    TaskOutcome outcome =
        client.send(
            agent.endpoint(),
            task(null, json.createObjectNode().put("n", 7)),
            Duration.ofSeconds(10));
    assertThat(outcome).isEqualTo(new TaskOutcome.Succeeded("{\"n\":7}"));
  }

  @Test
  void readsLogsAndStopRemovesTheAgent() throws Exception {
    AgentHandle agent = startReady(Map.of());
    assertThat(runtime().logs(agent, 10_000)).contains("listening");
    assertThat(runtime().listLabelled()).extracting(AgentHandle::agentId).contains(agent.agentId());

    runtime().stop(agent);

    assertThat(runtime().isRunning(agent)).isFalse();
    assertThat(runtime().listLabelled())
        .extracting(AgentHandle::agentId)
        .doesNotContain(agent.agentId());
    runtime().stop(agent); // harmless a second time
  }

  @Test
  void aCrashEndsTheAgentWithItsExitCode() throws Exception {
    AgentHandle agent = startReady(Map.of());
    TaskOutcome outcome =
        client.send(
            agent.endpoint(), task("crash", json.createObjectNode()), Duration.ofSeconds(10));
    assertThat(outcome).isInstanceOf(TaskOutcome.Lost.class);
    await().atMost(Duration.ofSeconds(10)).until(() -> !runtime().isRunning(agent));
    assertThat(runtime().exitCode(agent)).hasValue(137);
  }

  @Test
  void labelsTellWhichNodeAndJobAnAgentBelongsTo() throws Exception {
    AgentHandle a = start(Map.of());
    AgentHandle b = start(Map.of());
    List<AgentHandle> labelled = runtime().listLabelled();
    assertThat(labelled).extracting(AgentHandle::agentId).contains(a.agentId(), b.agentId());
    assertThat(labelled)
        .filteredOn(h -> h.agentId().equals(a.agentId()))
        .first()
        .satisfies(
            h -> {
              assertThat(h.label(AgentLabels.NODE)).isEqualTo(NODE);
              assertThat(h.label(AgentLabels.JOB)).isEqualTo(a.agentId().toString());
            });
  }

  @Test
  void anUnknownImageIsRefusedAndNamed() {
    assertThat(runtime().knows("agentainer/no-such-agent:1")).isFalse();
    assertThat(runtime().knows(EXAMPLE)).isTrue();
    assertThatThrownBy(
            () ->
                runtime()
                    .start(
                        new AgentLaunch(
                            UUID.randomUUID(),
                            "agentainer/no-such-agent:1",
                            Map.of(),
                            Map.of(),
                            null,
                            null)))
        .isInstanceOfSatisfying(
            AgentStartException.class,
            e -> {
              assertThat(e.type()).isEqualTo("image_not_found");
              assertThat(e.getMessage()).contains("agentainer/no-such-agent:1");
              assertThat(e.retryable()).isFalse();
            });
  }
}
