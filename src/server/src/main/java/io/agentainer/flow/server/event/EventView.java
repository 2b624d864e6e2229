package io.agentainer.flow.server.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.UUID;

/** An event as the API shows it. */
public record EventView(
    long id,
    String type,
    UUID workflowId,
    String stepId,
    UUID jobId,
    JsonNode payload,
    Instant at) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public static EventView of(Event e) {
    JsonNode payload = null;
    if (e.payload() != null) {
      try {
        payload = JSON.readTree(e.payload());
      } catch (IOException notJson) {
        payload = JSON.getNodeFactory().textNode(e.payload());
      }
    }
    return new EventView(e.id(), e.type(), e.runId(), e.stepName(), e.jobId(), payload, e.at());
  }
}
