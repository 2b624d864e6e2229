package io.agentainer.flow.sdk.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.LongNode;
import io.agentainer.flow.sdk.agent.TaskFailure;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link State} of a {@link LocalRunner} run: an in-memory map with the server's semantics (each
 * operation atomic; an increment of a non-number, an append to a non-list fail with {@code
 * state_type_mismatch}), and the history of changes.
 */
final class MemoryState implements State {

  /** One change: the key, the operation and the value after it (null once deleted). */
  record Change(String key, String op, JsonNode value) {}

  private final Map<String, JsonNode> values = new LinkedHashMap<>();
  private final List<Change> history = new ArrayList<>();

  MemoryState(Map<String, ?> initial) {
    initial.forEach((k, v) -> values.put(k, Bindings.JSON.valueToTree(v)));
  }

  synchronized List<Change> history() {
    return List.copyOf(history);
  }

  private void changed(String key, String op) {
    JsonNode v = values.get(key);
    history.add(new Change(key, op, v == null ? null : v.deepCopy()));
  }

  private static void checkKey(String key) {
    if (key == null || key.isEmpty() || key.length() > 512) {
      throw TaskFailure.badInput("key", "1 to 512 characters");
    }
  }

  @Override
  public synchronized Optional<JsonNode> get(String key) {
    checkKey(key);
    JsonNode v = values.get(key);
    return Optional.ofNullable(v == null ? null : v.deepCopy());
  }

  @Override
  public CompletionStage<Optional<JsonNode>> getAsync(String key) {
    return CompletableFuture.supplyAsync(() -> get(key));
  }

  @Override
  public synchronized Map<String, JsonNode> snapshot() {
    Map<String, JsonNode> copy = new LinkedHashMap<>();
    values.forEach((k, v) -> copy.put(k, v.deepCopy()));
    return Collections.unmodifiableMap(copy);
  }

  @Override
  public synchronized JsonNode put(String key, Object value) {
    checkKey(key);
    JsonNode v = Bindings.JSON.valueToTree(value);
    values.put(key, v == null ? Bindings.JSON.nullNode() : v);
    changed(key, "put");
    return values.get(key).deepCopy();
  }

  @Override
  public CompletionStage<JsonNode> putAsync(String key, Object value) {
    return CompletableFuture.supplyAsync(() -> put(key, value));
  }

  @Override
  public synchronized boolean delete(String key) {
    checkKey(key);
    boolean had = values.remove(key) != null;
    if (had) {
      changed(key, "delete");
    }
    return had;
  }

  @Override
  public JsonNode increment(String key, long by) {
    return increment(key, BigDecimal.valueOf(by));
  }

  @Override
  public synchronized JsonNode increment(String key, BigDecimal by) {
    checkKey(key);
    JsonNode current = values.get(key);
    if (current != null && !current.isNumber()) {
      throw mismatch(key, "increment", current);
    }
    BigDecimal sum = (current == null ? BigDecimal.ZERO : current.decimalValue()).add(by);
    JsonNode next =
        sum.stripTrailingZeros().scale() <= 0
                && sum.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0
            ? LongNode.valueOf(sum.longValueExact())
            : DecimalNode.valueOf(sum);
    values.put(key, next);
    changed(key, "increment");
    return next;
  }

  @Override
  public CompletionStage<JsonNode> incrementAsync(String key, long by) {
    return CompletableFuture.supplyAsync(() -> increment(key, by));
  }

  @Override
  public synchronized void append(String key, Object value) {
    checkKey(key);
    JsonNode v = Bindings.JSON.valueToTree(value);
    list(key, "append").add(v == null ? Bindings.JSON.nullNode() : v);
    changed(key, "append");
  }

  @Override
  public CompletionStage<Void> appendAsync(String key, Object value) {
    return CompletableFuture.runAsync(() -> append(key, value));
  }

  @Override
  public synchronized boolean addToSet(String key, Object value) {
    checkKey(key);
    JsonNode v = Bindings.JSON.valueToTree(value);
    JsonNode item = v == null ? Bindings.JSON.nullNode() : v;
    ArrayNode list = list(key, "add-to-set");
    for (JsonNode existing : list) {
      if (existing.equals(item)) {
        return false;
      }
    }
    list.add(item);
    changed(key, "add-to-set");
    return true;
  }

  @Override
  public CompletionStage<Boolean> addToSetAsync(String key, Object value) {
    return CompletableFuture.supplyAsync(() -> addToSet(key, value));
  }

  @Override
  public synchronized boolean compareAndSwap(String key, Object expected, Object value) {
    checkKey(key);
    JsonNode e = expected == null ? null : Bindings.JSON.valueToTree(expected);
    JsonNode current = values.get(key);
    boolean matches =
        e == null || e.isNull()
            ? current == null
            : current != null
                && (current.isNumber() && e.isNumber()
                    ? current.decimalValue().compareTo(e.decimalValue()) == 0
                    : current.equals(e));
    if (!matches) {
      return false;
    }
    put(key, value);
    return true;
  }

  private ArrayNode list(String key, String op) {
    JsonNode current = values.get(key);
    if (current == null) {
      ArrayNode created = Bindings.JSON.createArrayNode();
      values.put(key, created);
      return created;
    }
    if (!current.isArray()) {
      throw mismatch(key, op, current);
    }
    return (ArrayNode) current;
  }

  private static TaskFailure mismatch(String key, String op, JsonNode current) {
    return TaskFailure.permanent(
        "state_type_mismatch",
        op
            + " of '"
            + key
            + "' needs a "
            + (op.equals("increment") ? "number" : "list")
            + ", the key holds "
            + current.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
  }
}
