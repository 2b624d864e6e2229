package io.agentainer.flow.console.ui.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.dom.Element;
import io.agentainer.flow.console.api.HealthReport;
import io.agentainer.flow.sdk.client.ServerHealth;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class HealthCardTest {

  private static final URI API = URI.create("http://localhost:8081/api/");

  @Test
  void showsTheStatusVersionAndEachCheck() {
    ServerHealth health =
        new ServerHealth(
            "UP",
            "0.1.0",
            Map.of(
                "redis", new ServerHealth.Check("UP", "Redis 7.0", 1),
                "database", new ServerHealth.Check("UP", "PostgreSQL 15", 4)));

    HealthCard card = new HealthCard(() -> new HealthReport.Reachable(API, health));

    String text = card.getElement().getTextRecursively();
    assertThat(text).contains("UP", "0.1.0", "PostgreSQL 15", "Redis 7.0", "4 ms");
    assertThat(text.indexOf("database")).isLessThan(text.indexOf("redis"));
    assertThat(classesOf(card)).contains("flow-status-ok").doesNotContain("flow-status-bad");
  }

  @Test
  void saysSoWhenTheApiCannotBeReached() {
    HealthCard card =
        new HealthCard(() -> new HealthReport.Unreachable(API, "cannot reach " + API));

    String text = card.getElement().getTextRecursively();
    assertThat(text)
        .contains("UNREACHABLE", "cannot reach the Agentainer Flow API", API.toString());
    assertThat(classesOf(card)).contains("flow-status-bad");
  }

  @Test
  void refreshAsksAgain() {
    Deque<HealthReport> answers =
        new ArrayDeque<>(
            List.of(
                new HealthReport.Unreachable(API, "refused"),
                new HealthReport.Reachable(API, new ServerHealth("DEGRADED", "0.1.0", null))));

    HealthCard card = new HealthCard(answers::pop);
    assertThat(card.getElement().getTextRecursively()).contains("UNREACHABLE");

    card.refresh();

    String text = card.getElement().getTextRecursively();
    assertThat(text).contains("DEGRADED", "no dependency checks").doesNotContain("UNREACHABLE");
    assertThat(classesOf(card)).contains("flow-status-warn");
  }

  @Test
  void tonesFollowTheStatus() {
    assertThat(HealthCard.Tone.of("up")).isEqualTo(HealthCard.Tone.OK);
    assertThat(HealthCard.Tone.of("DEGRADED")).isEqualTo(HealthCard.Tone.WARNING);
    assertThat(HealthCard.Tone.of("DOWN")).isEqualTo(HealthCard.Tone.BAD);
    assertThat(HealthCard.Tone.of("UNREACHABLE")).isEqualTo(HealthCard.Tone.BAD);
    assertThat(HealthCard.Tone.of(null)).isEqualTo(HealthCard.Tone.NEUTRAL);
  }

  private static List<String> classesOf(Component root) {
    return descendants(root.getElement())
        .flatMap(element -> element.getClassList().stream())
        .distinct()
        .toList();
  }

  private static Stream<Element> descendants(Element root) {
    // the element tree, which includes the card's slotted header parts
    return Stream.concat(Stream.of(root), root.getChildren().flatMap(HealthCardTest::descendants));
  }
}
