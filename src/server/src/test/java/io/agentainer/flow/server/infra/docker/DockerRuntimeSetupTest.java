package io.agentainer.flow.server.infra.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import io.agentainer.flow.server.agent.AgentLaunch;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How an agent's container is set up on the host network and on a bridge, without Docker. */
class DockerRuntimeSetupTest {

  private static final AgentLaunch LAUNCH =
      new AgentLaunch(
          UUID.randomUUID(),
          "agentainer/example-agent:latest",
          Map.of("FLOW_JOB_ID", "j-1"),
          Map.of(),
          0.5,
          256);

  @Test
  void onTheHostNetworkTheAgentListensOnItsHostPort() {
    DockerRuntime.ContainerSetup setup = DockerRuntime.setup(LAUNCH, "host", 21001);

    assertThat(setup.hostConfig().getNetworkMode()).isEqualTo("host");
    assertThat(setup.env()).contains("FLOW_JOB_ID=j-1", "FLOW_AGENT_PORT=21001");
    assertThat(setup.env()).noneMatch(e -> e.startsWith("FLOW_AGENT_HOST="));
    assertThat(setup.exposedPorts()).isEmpty();
    assertThat(setup.hostConfig().getPortBindings()).isNull();
    assertThat(setup.hostConfig().getNanoCPUs()).isEqualTo(500_000_000L);
    assertThat(setup.hostConfig().getMemory()).isEqualTo(256L * 1024 * 1024);
  }

  @Test
  void onABridgeTheAgentListensOnAllItsInterfacesAndIsPublishedOnLoopback() {
    DockerRuntime.ContainerSetup setup = DockerRuntime.setup(LAUNCH, "bridge", 21002);

    assertThat(setup.hostConfig().getNetworkMode()).isEqualTo("bridge");
    // the names the SDK's AgentEnvironment and the busybox agent's serve.sh read
    assertThat(setup.env())
        .contains(
            "FLOW_JOB_ID=j-1",
            "FLOW_AGENT_PORT=" + DockerRuntime.BRIDGE_PORT,
            "FLOW_AGENT_HOST=0.0.0.0");
    ExposedPort agentPort = ExposedPort.tcp(DockerRuntime.BRIDGE_PORT);
    assertThat(setup.exposedPorts()).containsExactly(agentPort);
    Map<ExposedPort, Ports.Binding[]> bindings = setup.hostConfig().getPortBindings().getBindings();
    assertThat(bindings).containsOnlyKeys(agentPort);
    assertThat(bindings.get(agentPort))
        .containsExactly(Ports.Binding.bindIpAndPort("127.0.0.1", 21002));
    assertThat(setup.hostConfig().getNanoCPUs()).isEqualTo(500_000_000L);
  }

  @Test
  void withoutLimitsTheContainerHasNone() {
    AgentLaunch unlimited =
        new AgentLaunch(
            UUID.randomUUID(), "agentainer/busybox-agent:latest", null, null, null, null);
    DockerRuntime.ContainerSetup setup = DockerRuntime.setup(unlimited, "host", 21003);

    assertThat(setup.env()).containsExactly("FLOW_AGENT_PORT=21003");
    assertThat(setup.hostConfig().getNanoCPUs()).isNull();
    assertThat(setup.hostConfig().getMemory()).isNull();
  }
}
