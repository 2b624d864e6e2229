package io.agentainer.flow.sdk.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Map;

/**
 * One HTTP answer of the agent: a status, a JSON body, and the {@code Allow} header of a 405.
 *
 * @param allow the methods a 405 allows, or {@code null}
 */
record Reply(int status, byte[] body, String allow) {

  static Reply json(int status, byte[] body) {
    return new Reply(status, body, null);
  }

  static Reply json(int status, Object body) {
    return json(status, bytes(body));
  }

  /** {@code {"error": {...}}}. */
  static Reply error(int status, TaskError error) {
    return json(status, Map.of("error", error));
  }

  static Reply notAllowed(String method, String path, String allowed) {
    TaskError error =
        TaskError.of("method_not_allowed", method + " " + path + ": use " + allowed, false);
    return new Reply(405, bytes(Map.of("error", error)), allowed);
  }

  static byte[] bytes(Object body) {
    try {
      return Json.MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
