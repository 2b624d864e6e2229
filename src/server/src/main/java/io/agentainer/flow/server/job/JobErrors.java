package io.agentainer.flow.server.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/** {@link JobError}s as the JSON the job keeps. */
public final class JobErrors {

  private static final ObjectMapper JSON = new ObjectMapper();

  private JobErrors() {}

  public static String json(JobError error) {
    try {
      return JSON.writeValueAsString(error);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Optional<JobError> parse(String json) {
    if (json == null || json.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(json, JobError.class));
    } catch (JsonProcessingException e) {
      return Optional.of(new JobError("unknown", json, false));
    }
  }
}
