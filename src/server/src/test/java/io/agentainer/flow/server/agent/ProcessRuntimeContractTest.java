package io.agentainer.flow.server.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on local processes, with the example agent's jar the server carries. */
class ProcessRuntimeContractTest extends AgentRuntimeContract {

  @TempDir Path home;
  private ProcessRuntime runtime;

  @BeforeEach
  void create() {
    Path jar =
        AgentRuntimesProducer.exampleAgentJar(home.resolve("jars"))
            .orElseThrow(
                () -> new AssertionError("agents/example-agent.jar is not on the classpath"));
    runtime =
        new ProcessRuntime(
            Map.of(EXAMPLE, AgentRuntimesProducer.javaCommand(jar)),
            home.resolve("agents"),
            new PortAllocator(31000, 31999));
  }

  @Override
  AgentRuntime runtime() {
    return runtime;
  }

  @Test
  void findsItsAgentsAgainAfterARestart() throws Exception {
    startReady(Map.of());
    ProcessRuntime restarted =
        new ProcessRuntime(Map.of(), home.resolve("agents"), new PortAllocator(31000, 31999));
    List<AgentHandle> found = restarted.listLabelled();
    assertThat(found).hasSize(1);
    assertThat(restarted.isRunning(found.get(0))).isTrue();
    restarted.stop(found.get(0));
    assertThat(runtime.isRunning(found.get(0))).isFalse();
  }

  @Test
  void parsesImageCommandsAndRefusesNonsenseNamingTheSetting() {
    assertThat(ProcessRuntime.parseCommands("a/b:1=/bin/agent --port x; c=run"))
        .containsEntry("a/b:1", List.of("/bin/agent", "--port", "x"))
        .containsEntry("c", List.of("run"));
    assertThat(ProcessRuntime.parseCommands(" ")).isEmpty();
    assertThatThrownBy(() -> ProcessRuntime.parseCommands("nocommand"))
        .hasMessageStartingWith("FLOW_PROCESS_IMAGES");
  }
}
