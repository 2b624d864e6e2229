package io.agentainer.flow.sdk.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentainer.flow.sdk.agent.RunState;
import io.agentainer.flow.sdk.agent.TaskFailure;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** {@link State} inside an agent: the run's state on the server, through {@link RunState}. */
final class RemoteState implements State {

  private final RunState state;

  RemoteState(RunState state) {
    this.state = state;
  }

  @FunctionalInterface
  private interface Blocking<T> {
    T call() throws InterruptedException;
  }

  private static <T> T blocking(Blocking<T> call) {
    try {
      return call.call();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TaskFailure.cancelled("interrupted while calling the state API");
    }
  }

  @Override
  public Optional<JsonNode> get(String key) {
    return blocking(() -> state.get(key));
  }

  @Override
  public CompletionStage<Optional<JsonNode>> getAsync(String key) {
    return state.getAsync(key);
  }

  @Override
  public Map<String, JsonNode> snapshot() {
    return blocking(state::snapshot);
  }

  @Override
  public JsonNode put(String key, Object value) {
    return blocking(() -> state.put(key, value));
  }

  @Override
  public CompletionStage<JsonNode> putAsync(String key, Object value) {
    return state.putAsync(key, value);
  }

  @Override
  public boolean delete(String key) {
    return blocking(() -> state.delete(key));
  }

  @Override
  public JsonNode increment(String key, long by) {
    return blocking(() -> state.increment(key, by));
  }

  @Override
  public JsonNode increment(String key, BigDecimal by) {
    return blocking(() -> state.increment(key, by));
  }

  @Override
  public CompletionStage<JsonNode> incrementAsync(String key, long by) {
    return state.incrementAsync(key, by);
  }

  @Override
  public void append(String key, Object value) {
    blocking(
        () -> {
          state.append(key, value);
          return null;
        });
  }

  @Override
  public CompletionStage<Void> appendAsync(String key, Object value) {
    return state.appendAsync(key, value);
  }

  @Override
  public boolean addToSet(String key, Object value) {
    return blocking(() -> state.addToSet(key, value));
  }

  @Override
  public CompletionStage<Boolean> addToSetAsync(String key, Object value) {
    return state.addToSetAsync(key, value);
  }

  @Override
  public boolean compareAndSwap(String key, Object expected, Object value) {
    return blocking(() -> state.compareAndSwap(key, expected, value));
  }
}
