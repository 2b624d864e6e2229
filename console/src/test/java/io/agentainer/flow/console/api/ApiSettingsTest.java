package io.agentainer.flow.console.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ApiSettingsTest {

  private static Function<String, Optional<String>> config(Map<String, String> values) {
    return name -> Optional.ofNullable(values.get(name));
  }

  @Test
  void defaultsToTheServersDefaultPortOnLocalhost() {
    ApiSettings settings = ApiSettings.resolve(config(Map.of()));

    assertThat(settings.api()).isEqualTo(URI.create("http://localhost:8081/api"));
    assertThat(settings.timeout()).isEqualTo(ApiSettings.DEFAULT_TIMEOUT);
  }

  @Test
  void flowPortMovesTheDefaultAddress() {
    assertThat(ApiSettings.resolve(config(Map.of("flow.port", "8181"))).api())
        .isEqualTo(URI.create("http://localhost:8181/api"));
  }

  @Test
  void flowApiWinsOverThePort() {
    ApiSettings settings =
        ApiSettings.resolve(
            config(Map.of("flow.api", " https://flow.example:9443/api ", "flow.port", "8181")));

    assertThat(settings.api()).isEqualTo(URI.create("https://flow.example:9443/api"));
  }

  @Test
  void blankValuesCountAsAbsent() {
    assertThat(ApiSettings.resolve(config(Map.of("flow.api", "  ", "flow.port", ""))).api())
        .isEqualTo(URI.create("http://localhost:8081/api"));
  }

  @Test
  void aBadPortIsNamed() {
    assertThatThrownBy(() -> ApiSettings.resolve(config(Map.of("flow.port", "eighty"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("flow.port")
        .hasMessageContaining("eighty");
    assertThatThrownBy(() -> ApiSettings.resolve(config(Map.of("flow.port", "70000"))))
        .hasMessageContaining("flow.port");
  }

  @Test
  void aRelativeAddressIsRefused() {
    assertThatThrownBy(() -> ApiSettings.resolve(config(Map.of("flow.api", "/api"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("absolute");
  }
}
