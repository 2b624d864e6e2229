package io.agentainer.flow.console.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentainer.flow.sdk.client.FlowClientException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleErrorsTest {

  @Test
  void aFailedCallSaysWhatTheServerSaid() {
    var refused = new FlowClientException(409, "conflict", "run abc has ended", Map.of());
    assertThat(ConsoleErrors.message(new IllegalStateException("wrapped", refused), "r1"))
        .isEqualTo("The server could not do it: run abc has ended");
  }

  @Test
  void anythingElseGetsAReferenceAndNoStackTrace() {
    String message = ConsoleErrors.message(new NullPointerException("x.y() is null"), "ab12cd34");
    assertThat(message)
        .contains("reference ab12cd34")
        .doesNotContain("NullPointerException", "at io.", "x.y()");
  }
}
