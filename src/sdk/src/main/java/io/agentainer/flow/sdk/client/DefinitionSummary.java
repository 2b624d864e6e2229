package io.agentainer.flow.sdk.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * A row of {@code GET /api/definitions}: a definition's name and its latest version.
 *
 * @param createdAt when the latest version was registered
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DefinitionSummary(
    String name, int latestVersion, String description, Instant createdAt) {}
