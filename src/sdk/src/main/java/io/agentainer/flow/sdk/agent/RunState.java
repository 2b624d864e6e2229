package io.agentainer.flow.sdk.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The state of the task's run ({@code src/sdk/STATE.md}): keys mapped to JSON values, read and
 * changed through the run-scoped API with the request's {@code flow.api} and {@code flow.token}.
 * Reach it as {@link TaskContext#state()}.
 *
 * <p><b>Exactly once</b>: every change carries an {@code Idempotency-Key} made of the job id and
 * the change's number within the task ({@code <jobId>:1}, {@code <jobId>:2}, ...; after a
 * checkpoint, numbered anew under the checkpoint, see {@link TaskContext#saveCheckpoint}). A
 * retried attempt of the job that makes the same changes in the same order therefore changes the
 * state once, as does a change sent again after a lost answer. The number is taken when the method
 * is called, so async changes are numbered in the order they are started.
 *
 * <p><b>Failures</b> are {@link TaskFailure}s of type {@value RunApi#FAILURE_TYPE}. No connection
 * and HTTP 408, 429, 502, 503 or 504 are tried again with pauses growing from 100 ms to 5 s, with
 * the same key, for up to 2 minutes (the server may be restarting; {@link
 * AgentServer.Builder#apiRetryTime}), then fail retryable. Other 5xx fail retryable at once; 4xx
 * fail for good with the server's message: bad input (400), a change that does not fit the value
 * (409 {@code state_type_mismatch}), another run's state (403). The async forms complete with the
 * same failures; the blocking forms throw them, and an interrupt (a cancel of the job) stops them.
 *
 * <p>Values are {@link JsonNode}s or anything Jackson writes as JSON (maps, lists, records,
 * strings, numbers); Java {@code null} is JSON {@code null}. Keys are 1 to 512 characters.
 */
public final class RunState {

  /** The longest key the API takes, in characters. */
  public static final int MAX_KEY_LENGTH = 512;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String workflowId;
  private final ApiCaller api;
  private final ChangeKeys keys;

  RunState(String workflowId, ApiCaller api, ChangeKeys keys) {
    this.workflowId = workflowId;
    this.api = api;
    this.keys = keys;
  }

  /**
   * The value at {@code key} ({@code GET .../state/{key}}): empty when the key is absent, JSON
   * {@code null} when it holds {@code null}.
   */
  public Optional<JsonNode> get(String key) throws InterruptedException {
    return ApiCaller.await(read(key));
  }

  /** As {@link #get(String)}, without blocking. */
  public CompletionStage<Optional<JsonNode>> getAsync(String key) {
    return read(key);
  }

  /** Every key with its value, as one consistent snapshot ({@code GET .../state}). */
  public Map<String, JsonNode> snapshot() throws InterruptedException {
    return ApiCaller.await(readAll());
  }

  /** As {@link #snapshot()}, without blocking. */
  public CompletionStage<Map<String, JsonNode>> snapshotAsync() {
    return readAll();
  }

  /**
   * Sets {@code key} to {@code value} ({@code PUT .../state/{key}}).
   *
   * @return the value as the API stored it
   */
  public JsonNode put(String key, Object value) throws InterruptedException {
    return ApiCaller.await(write(key, value));
  }

  /** As {@link #put(String, Object)}, without blocking. */
  public CompletionStage<JsonNode> putAsync(String key, Object value) {
    return write(key, value);
  }

  /**
   * Removes {@code key} ({@code DELETE .../state/{key}}).
   *
   * @return whether the key was there
   */
  public boolean delete(String key) throws InterruptedException {
    return ApiCaller.await(remove(key));
  }

  /** As {@link #delete(String)}, without blocking. */
  public CompletionStage<Boolean> deleteAsync(String key) {
    return remove(key);
  }

  /**
   * Adds {@code by} to the number at {@code key}, atomically ({@code POST .../increment}); an
   * absent key counts from 0. Parallel tasks' increments all count.
   *
   * @return the value after this increment
   */
  public JsonNode increment(String key, long by) throws InterruptedException {
    return ApiCaller.await(add(key, NODES.numberNode(by)));
  }

  /** As {@link #increment(String, long)}, by a decimal. */
  public JsonNode increment(String key, BigDecimal by) throws InterruptedException {
    return ApiCaller.await(incrementAsync(key, by).toCompletableFuture());
  }

  /** As {@link #increment(String, long)}, without blocking. */
  public CompletionStage<JsonNode> incrementAsync(String key, long by) {
    return add(key, NODES.numberNode(by));
  }

  /** As {@link #increment(String, BigDecimal)}, without blocking. */
  public CompletionStage<JsonNode> incrementAsync(String key, BigDecimal by) {
    try {
      return add(key, decimal(by));
    } catch (TaskFailure failure) {
      return CompletableFuture.failedFuture(failure);
    }
  }

  /**
   * Adds {@code value} at the end of the list at {@code key}, atomically ({@code POST .../append});
   * an absent key starts as {@code []}.
   */
  public void append(String key, Object value) throws InterruptedException {
    ApiCaller.await(appendAsync(key, value).toCompletableFuture());
  }

  /** As {@link #append(String, Object)}, without blocking. */
  public CompletionStage<Void> appendAsync(String key, Object value) {
    return change(key, "append", () -> body("value", value), answer -> null);
  }

  /**
   * Adds {@code value} to the list at {@code key} unless an equal element is there, atomically
   * ({@code POST .../add-to-set}); an absent key starts as {@code []}.
   *
   * @return whether it was added
   */
  public boolean addToSet(String key, Object value) throws InterruptedException {
    return ApiCaller.await(addToSetAsync(key, value).toCompletableFuture());
  }

  /** As {@link #addToSet(String, Object)}, without blocking. */
  public CompletionStage<Boolean> addToSetAsync(String key, Object value) {
    return change(key, "add-to-set", () -> body("value", value), answer -> flag(answer, "added"));
  }

  /**
   * Sets {@code key} to {@code value} if it holds {@code expected} (compared as JSON, numbers by
   * value), atomically ({@code POST .../compare-and-swap}). Of parallel swaps from the same value,
   * exactly one succeeds.
   *
   * @param expected the value the key must hold; {@code null} (Java or JSON) for "the key is
   *     absent"
   * @return whether it was swapped
   */
  public boolean compareAndSwap(String key, Object expected, Object value)
      throws InterruptedException {
    return ApiCaller.await(compareAndSwapAsync(key, expected, value).toCompletableFuture());
  }

  /** As {@link #compareAndSwap(String, Object, Object)}, without blocking. */
  public CompletionStage<Boolean> compareAndSwapAsync(String key, Object expected, Object value) {
    return change(
        key,
        "compare-and-swap",
        () -> body("expected", expected).set("value", ApiCaller.toJson(value, "value")),
        answer -> flag(answer, "swapped"));
  }

  // ---- calls ---------------------------------------------------------------------------------

  private CompletableFuture<Optional<JsonNode>> read(String key) {
    try {
      return api.call(
          "GET",
          path(key),
          null,
          null,
          true,
          answer ->
              answer.status() == 404
                  ? Optional.empty()
                  : Optional.of(field(answer.body(), "value")));
    } catch (TaskFailure failure) {
      return CompletableFuture.failedFuture(failure);
    }
  }

  private CompletableFuture<Map<String, JsonNode>> readAll() {
    try {
      return api.call("GET", statePath(), null, null, false, answer -> entries(answer.body()));
    } catch (TaskFailure failure) {
      return CompletableFuture.failedFuture(failure);
    }
  }

  private CompletableFuture<JsonNode> write(String key, Object value) {
    return change(key, null, () -> body("value", value), answer -> field(answer, "value"));
  }

  private CompletableFuture<Boolean> remove(String key) {
    try {
      return api.call(
          "DELETE", path(key), null, keys.next(), false, answer -> flag(answer.body(), "deleted"));
    } catch (TaskFailure failure) {
      return CompletableFuture.failedFuture(failure);
    }
  }

  private CompletableFuture<JsonNode> add(String key, JsonNode by) {
    return change(
        key,
        "increment",
        () -> NODES.objectNode().set("by", by),
        answer -> answer.has("value") ? answer.get("value") : answer);
  }

  /**
   * {@code POST .../state/{key}/{operation}} (or {@code PUT .../state/{key}} when {@code operation}
   * is null) under the next idempotency key. Nothing is numbered or sent when the key or the body
   * is bad: the future fails at once.
   */
  private <T> CompletableFuture<T> change(
      String key, String operation, Supplier<ObjectNode> body, Function<JsonNode, T> answer) {
    try {
      String path = path(key);
      ObjectNode json = body.get();
      String idempotencyKey = keys.next();
      return operation == null
          ? api.call(
              "PUT", path, json, idempotencyKey, false, called -> answer.apply(called.body()))
          : api.call(
              "POST",
              path + "/" + operation,
              json,
              idempotencyKey,
              false,
              called -> answer.apply(called.body()));
    } catch (TaskFailure failure) {
      return CompletableFuture.failedFuture(failure);
    }
  }

  /** {@code {field: value}}. */
  private static ObjectNode body(String field, Object value) {
    ObjectNode body = NODES.objectNode();
    body.set(field, ApiCaller.toJson(value, field));
    return body;
  }

  private String statePath() {
    if (workflowId == null) {
      throw TaskFailure.permanent(
          RunApi.FAILURE_TYPE,
          "workflowId: required to use a run's state (this job belongs to no run)");
    }
    return "workflows/" + ApiCaller.segment(workflowId) + "/state";
  }

  private String path(String key) {
    if (key == null || key.isEmpty()) {
      throw TaskFailure.badInput("key", "required");
    }
    if (key.codePointCount(0, key.length()) > MAX_KEY_LENGTH) {
      throw TaskFailure.badInput("key", "longer than " + MAX_KEY_LENGTH + " characters");
    }
    return statePath() + "/" + ApiCaller.segment(key);
  }

  // ---- answers -------------------------------------------------------------------------------

  private static JsonNode field(JsonNode answer, String name) {
    JsonNode value = answer.get(name);
    return value == null ? NODES.nullNode() : value;
  }

  private static boolean flag(JsonNode answer, String name) {
    JsonNode value = answer.get(name);
    if (value == null || !value.isBoolean()) {
      throw TaskFailure.retryable(
          RunApi.FAILURE_TYPE, "unexpected answer from the API, without '" + name + "': " + answer);
    }
    return value.booleanValue();
  }

  private static Map<String, JsonNode> entries(JsonNode answer) {
    if (!answer.isObject()) {
      throw TaskFailure.retryable(
          RunApi.FAILURE_TYPE, "unexpected answer from the API, not an object: " + answer);
    }
    Map<String, JsonNode> entries = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = answer.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      entries.put(entry.getKey(), entry.getValue());
    }
    return Collections.unmodifiableMap(entries);
  }

  private static JsonNode decimal(BigDecimal by) {
    if (by == null) {
      throw TaskFailure.badInput("by", "required");
    }
    return NODES.numberNode(by);
  }
}
