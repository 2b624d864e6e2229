package io.agentainer.flow.server.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import io.agentainer.flow.server.infra.docker.DockerRuntimes;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The contract on the real Docker engine with the example agent image ({@code flow images} builds
 * it; {@code flow test} makes sure of both).
 */
@Tag("docker")
class DockerRuntimeContractTest extends AgentRuntimeContract {

  private static DockerClient docker;
  private static AgentRuntime runtime;

  @BeforeAll
  static void connect() {
    docker = DockerRuntimes.client("unix:///var/run/docker.sock", 10, Duration.ofSeconds(20));
    // below the kernel's ephemeral range (32768-60999), where an outgoing connection may hold a
    // port, and apart from the other tests' agents (30000-30499, 31000-31999, 32100-32767)
    runtime = DockerRuntimes.runtime(docker, new PortAllocator(30500, 30999));
    if (!runtime.available()) {
      throw new AssertionError(
          "no Docker engine answers at /var/run/docker.sock: run ./deploy-wildfly/flow test");
    }
    if (!runtime.knows(EXAMPLE)) {
      throw new AssertionError(EXAMPLE + " is not built: run ./deploy-wildfly/flow images");
    }
  }

  @AfterAll
  static void close() throws Exception {
    docker.close();
  }

  @Override
  AgentRuntime runtime() {
    return runtime;
  }

  @Test
  void containersRunOnTheHostNetworkWithTheirLimitsAndLabels() {
    AgentHandle agent = start(Map.of());
    InspectContainerResponse container = docker.inspectContainerCmd(agent.ref()).exec();
    assertThat(container.getHostConfig().getNetworkMode()).isEqualTo("host");
    assertThat(container.getHostConfig().getNanoCPUs()).isEqualTo(500_000_000L);
    assertThat(container.getHostConfig().getMemory()).isEqualTo(256L * 1024 * 1024);
    assertThat(container.getConfig().getLabels())
        .containsEntry(AgentLabels.NODE, NODE)
        .containsEntry(AgentLabels.AGENT, agent.agentId().toString());
    assertThat(container.getConfig().getEnv()).contains("FLOW_AGENT_PORT=" + agent.port());
  }
}
