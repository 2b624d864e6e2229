package io.agentainer.flow.server.infra.docker;

import com.github.dockerjava.api.DockerClient;
import io.agentainer.flow.server.agent.AgentRuntime;
import io.agentainer.flow.server.agent.PortAllocator;
import java.time.Duration;

/** Docker runtimes outside CDI: for tools and tests that talk to an engine directly. */
public final class DockerRuntimes {

  private DockerRuntimes() {}

  public static DockerClient client(String host, int maxConnections, Duration timeout) {
    return DockerEngine.create(host, maxConnections, timeout);
  }

  /** A host-networking runtime on {@code docker}. */
  public static AgentRuntime runtime(DockerClient docker, PortAllocator ports) {
    return new DockerRuntime(() -> docker, ports, "host", Duration.ofSeconds(20));
  }
}
