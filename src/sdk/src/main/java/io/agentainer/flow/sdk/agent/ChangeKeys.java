package io.agentainer.flow.sdk.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code Idempotency-Key}s of one task's changes: {@code <jobId>:<n>} for its n-th change, the
 * same in every attempt of the job, so the API counts a change that a retried attempt makes again
 * only once.
 *
 * <p>After a checkpoint the count starts again under the checkpoint's fingerprint: {@code
 * <jobId>:<fingerprint>:<n>} is the n-th change after saving that checkpoint. A retried attempt
 * that starts from the checkpoint then makes the keys that the first attempt made after saving it,
 * instead of reusing those of the first attempt's first changes. The fingerprint is taken from the
 * value's canonical JSON (keys sorted, numbers by value), so it is the same for the value saved and
 * the value the API hands back.
 */
final class ChangeKeys {

  /** The API's limit on an {@code Idempotency-Key}. */
  static final int MAX_LENGTH = 200;

  private final String job;
  private String epoch;
  private long count;

  /**
   * @param checkpoint the checkpoint the attempt starts from, or {@code null}
   */
  ChangeKeys(String jobId, JsonNode checkpoint) {
    this.job = headerSafe(jobId) ? jobId : "sha256-" + sha256(jobId);
    this.epoch = checkpoint == null ? null : fingerprint(checkpoint);
  }

  /** The key of the next change. */
  synchronized String next() {
    count++;
    return epoch == null ? job + ":" + count : job + ":" + epoch + ":" + count;
  }

  /** Changes from now on count from 1 after the checkpoint {@code value}. */
  synchronized void checkpointed(JsonNode value) {
    epoch = fingerprint(value);
    count = 0;
  }

  /** The first 16 hex digits of the SHA-256 of the value's canonical JSON. */
  static String fingerprint(JsonNode value) {
    return sha256(canonical(value)).substring(0, 16);
  }

  /** JSON with object keys sorted and numbers written by value: {@code 1.50} as {@code 1.5}. */
  static String canonical(JsonNode value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  private static void write(JsonNode value, StringBuilder out) {
    if (value.isObject()) {
      Map<String, JsonNode> sorted = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        sorted.put(field.getKey(), field.getValue());
      }
      out.append('{');
      String comma = "";
      for (Map.Entry<String, JsonNode> field : sorted.entrySet()) {
        out.append(comma).append(TextNode.valueOf(field.getKey())).append(':');
        write(field.getValue(), out);
        comma = ",";
      }
      out.append('}');
    } else if (value.isArray()) {
      out.append('[');
      for (int i = 0; i < value.size(); i++) {
        out.append(i == 0 ? "" : ",");
        write(value.get(i), out);
      }
      out.append(']');
    } else if (value.isNumber()) {
      out.append(number(value));
    } else {
      out.append(value);
    }
  }

  private static String number(JsonNode value) {
    try {
      BigDecimal number = new BigDecimal(value.asText()).stripTrailingZeros();
      return number.signum() == 0 ? "0" : number.toString();
    } catch (NumberFormatException notFinite) {
      return value.asText();
    }
  }

  /** Whether the job id can go into a header as it is: visible ASCII, and short enough. */
  private static boolean headerSafe(String jobId) {
    return jobId.length() <= MAX_LENGTH - 60 && jobId.chars().allMatch(c -> c > 32 && c < 127);
  }

  private static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
