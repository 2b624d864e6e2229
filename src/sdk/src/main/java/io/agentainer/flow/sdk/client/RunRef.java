package io.agentainer.flow.sdk.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What starting, cancelling or retrying a run answers: its id and status.
 *
 * @param queuePosition when started: how many queued jobs are ahead of the run's first one; {@code
 *     null} for a cancel or retry
 * @param created whether this call started a new run; {@code false} when the idempotency key had
 *     already started it, and for a cancel or retry
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunRef(String id, String status, Long queuePosition, boolean created) {}
