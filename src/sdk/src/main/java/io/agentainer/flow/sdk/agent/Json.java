package io.agentainer.flow.sdk.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The agent runtime's one {@link ObjectMapper}: created on first use, off the start-up path. */
final class Json {

  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private Json() {}

  /** Loads Jackson's classes and serializers, so the first task does not pay for it. */
  static void warmUp() {
    try {
      MAPPER.writeValueAsBytes(MAPPER.readTree("{\"output\":{\"a\":[1,\"b\",true,null]}}"));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
