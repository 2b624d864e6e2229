package io.agentainer.flow.server.agent;

import com.github.dockerjava.api.DockerClient;
import io.agentainer.flow.server.infra.docker.DockerRuntimes;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

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
    runtime = DockerRuntimes.runtime(docker, new PortAllocator(32000, 32999));
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
}
