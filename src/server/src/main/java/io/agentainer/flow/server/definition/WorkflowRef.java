package io.agentainer.flow.server.definition;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The child run of a {@code workflow} step: a definition's name, its version (null = the latest
 * when the step starts) and the child's input (a template that may contain {@code ${...}}).
 */
public record WorkflowRef(String name, Integer version, JsonNode input) {}
