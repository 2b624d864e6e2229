package io.agentainer.flow.console.api;

import io.agentainer.flow.sdk.client.FlowClient;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;

/**
 * The console's one SDK client, shared by every session. The address comes from {@link
 * ApiSettings}; the token from the SDK's environment lookup ({@code FLOW_TOKEN}, else the token
 * file the server writes).
 */
@ApplicationScoped
public class FlowApi {

  private FlowClient client;

  @PostConstruct
  void connect() {
    ApiSettings settings = ApiSettings.fromConfig();
    client =
        FlowClient.builder()
            .fromEnvironment()
            .baseUrl(settings.api().toString())
            .timeout(settings.timeout())
            .build();
  }

  /** The API address, ending with a slash. */
  public URI address() {
    return client.baseUrl();
  }

  /** The server's health, or why it could not be had. */
  public HealthReport health() {
    return HealthReport.probe(client.baseUrl(), client::health);
  }
}
