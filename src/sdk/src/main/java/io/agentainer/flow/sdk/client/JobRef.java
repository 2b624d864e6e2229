package io.agentainer.flow.sdk.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** What {@code POST /api/jobs} answers: the new job's id and its first status ({@code QUEUED}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobRef(String id, String status) {}
