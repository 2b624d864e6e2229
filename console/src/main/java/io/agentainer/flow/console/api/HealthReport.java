package io.agentainer.flow.console.api;

import io.agentainer.flow.sdk.client.FlowClientException;
import io.agentainer.flow.sdk.client.ServerHealth;
import java.net.URI;
import java.util.Objects;
import java.util.function.Supplier;

/** What the console learned when it asked the API for the server's health. */
public sealed interface HealthReport {

  /** The API address that was asked. */
  URI api();

  /** The server answered with a health report (which may itself say DOWN or DEGRADED). */
  record Reachable(URI api, ServerHealth health) implements HealthReport {
    public Reachable {
      Objects.requireNonNull(api, "api");
      Objects.requireNonNull(health, "health");
    }
  }

  /** The API did not answer, or answered with something other than a health report. */
  record Unreachable(URI api, String reason) implements HealthReport {
    public Unreachable {
      Objects.requireNonNull(api, "api");
      reason = reason == null || reason.isBlank() ? "no answer" : reason;
    }
  }

  /**
   * Asks {@code health} once. Never throws for a failed call: a page shows the failure instead of
   * an error page.
   */
  static HealthReport probe(URI api, Supplier<ServerHealth> health) {
    try {
      ServerHealth answer = health.get();
      return answer == null
          ? new Unreachable(api, "empty answer from the server")
          : new Reachable(api, answer);
    } catch (FlowClientException e) {
      return new Unreachable(api, e.getMessage());
    } catch (RuntimeException e) {
      return new Unreachable(api, e.toString());
    }
  }
}
