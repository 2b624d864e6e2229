package io.agentainer.flow.server.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** JSON kept as text in {@code jsonb} columns, read back for the API. */
public final class JsonText {

  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonText() {}

  /** The tree of {@code json}; null for null; text that is no JSON comes back as a string. */
  public static JsonNode tree(String json) {
    if (json == null) {
      return null;
    }
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      return JSON.getNodeFactory().textNode(json);
    }
  }
}
