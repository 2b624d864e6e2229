package io.agentainer.flow.server.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentainer.flow.server.common.IllegalTransitionException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class NodeTest {

  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

  private static Clock at(long seconds) {
    return Clock.fixed(T0.plusSeconds(seconds), ZoneOffset.UTC);
  }

  @Test
  void aNodeIsAliveWhileItBeats() {
    Node node = Node.start("n1", "h", 1L, "v", at(0));
    assertThat(node.isAlive(at(10), 15_000)).isTrue();
    assertThat(node.isAlive(at(16), 15_000)).isFalse();
    node.heartbeat(at(12));
    assertThat(node.isAlive(at(16), 15_000)).isTrue();
  }

  @Test
  void aHeartbeatNeverGoesBackInTime() {
    Node node = Node.start("n1", "h", 1L, "v", at(10));
    node.heartbeat(at(5));
    assertThat(node.heartbeatAt()).isEqualTo(T0.plusSeconds(10));
  }

  @Test
  void aStoppedNodeNeitherBeatsNorStopsAgainNorLives() {
    Node node = Node.start("n1", "h", 1L, "v", at(0));
    node.stop(at(1));
    assertThat(node.status()).isEqualTo(NodeStatus.STOPPED);
    assertThat(node.stoppedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(node.isAlive(at(1), 15_000)).isFalse();
    assertThatThrownBy(() -> node.heartbeat(at(2))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> node.stop(at(2))).isInstanceOf(IllegalTransitionException.class);
  }

  @Test
  void aNodeRestartsAfterAStopOrACrash() {
    Node node = Node.start("n1", "h", 1L, "v", at(0));
    node.restart("h", 2L, "v2", at(10)); // crashed while ACTIVE
    assertThat(node.pid()).isEqualTo(2L);
    assertThat(node.startedAt()).isEqualTo(T0.plusSeconds(10));
    node.stop(at(20));
    node.restart("h2", 3L, "v3", at(30));
    assertThat(node.status()).isEqualTo(NodeStatus.ACTIVE);
    assertThat(node.stoppedAt()).isNull();
    assertThat(node.host()).isEqualTo("h2");
  }

  @Test
  void refusesBlankIds() {
    assertThatThrownBy(() -> Node.start(" ", "h", null, null, at(0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("id");
  }
}
