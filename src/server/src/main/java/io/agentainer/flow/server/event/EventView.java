package io.agentainer.flow.server.event;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentainer.flow.server.common.JsonText;
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

  public static EventView of(Event e) {
    JsonNode payload = JsonText.tree(e.payload());
    return new EventView(e.id(), e.type(), e.runId(), e.stepName(), e.jobId(), payload, e.at());
  }
}
