package io.agentainer.flow.sdk.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Why a job failed: the error {@code type} (an agent's exception class or a server code such as
 * {@code timeout}), a message for people, and whether a retry may succeed.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobError(String type, String message, boolean retryable) {}
