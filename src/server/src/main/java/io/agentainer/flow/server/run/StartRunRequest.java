package io.agentainer.flow.server.run;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code POST /api/definitions/{name}/runs}: {@code {input, idempotencyKey?}}. */
public record StartRunRequest(JsonNode input, String idempotencyKey) {}
