package io.agentainer.flow.sdk.agent;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The agent runtime's one {@link ObjectMapper}: created on first use, off the start-up path. */
final class Json {

  /** Decimals stay exact (a state value of 0.10 or 12345678901234567890.5 is read as it is). */
  static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
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
