package io.agentainer.flow.server.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PortAllocatorTest {

  @Test
  void handsOutEachPortOnceUntilReleased() {
    PortAllocator ports = new PortAllocator(19000, 19002);
    int a = ports.acquire();
    int b = ports.acquire();
    int c = ports.acquire();
    assertThat(new int[] {a, b, c}).containsExactlyInAnyOrder(19000, 19001, 19002);
    assertThatThrownBy(ports::acquire)
        .isInstanceOfSatisfying(
            AgentStartException.class, e -> assertThat(e.type()).isEqualTo("no_agent_port"));
    ports.release(b);
    assertThat(ports.acquire()).isEqualTo(b);
    assertThat(ports.inUse()).isEqualTo(3);
  }

  @Test
  void skipsPortsSomethingElseListensOn() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = busy.getLocalPort();
      PortAllocator ports = new PortAllocator(port, port + 1);
      assertThat(ports.acquire()).isEqualTo(port + 1);
    }
  }

  @Test
  void parsesARangeAndRefusesNonsenseNamingTheSetting() throws Exception {
    int free;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      free = probe.getLocalPort(); // agents of a running server may hold the usual range
    }
    assertThat(PortAllocator.of(free + "-" + free).acquire()).isEqualTo(free);
    assertThatThrownBy(() -> PortAllocator.of("20000")).hasMessageStartingWith("FLOW_AGENT_PORTS");
    assertThatThrownBy(() -> PortAllocator.of("a-b")).hasMessageStartingWith("FLOW_AGENT_PORTS");
    assertThatThrownBy(() -> PortAllocator.of("3-1")).hasMessageContaining("invalid range");
  }
}
