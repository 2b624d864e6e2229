package io.agentainer.flow.sdk.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One version of a definition: {@code GET /api/definitions/{name}} (the latest) and {@code
 * /versions/{v}} carry its {@code spec}; the rows of {@code /versions} carry its {@code specHash}
 * instead. What the server leaves out is {@code null}.
 *
 * @param spec the definition as the server normalised it (JSON)
 * @param specHash a digest of the spec: two versions with the same hash are the same workflow
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Definition(
    String name,
    int version,
    String description,
    String specHash,
    JsonNode spec,
    Instant createdAt) {}
