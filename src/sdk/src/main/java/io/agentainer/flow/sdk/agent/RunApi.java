package io.agentainer.flow.sdk.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/**
 * The first part of the Flow API a task could call, kept for the handlers that use it: increments
 * of its own run's state. It goes through the task's {@link RunState} ({@link TaskContext#state()},
 * which has every state operation), so its increments are numbered, retried and counted once as
 * that class describes. Failures are {@link TaskFailure}s of type {@value #FAILURE_TYPE}.
 */
public final class RunApi {

  /** The type of every failure of a call to the Flow API. */
  public static final String FAILURE_TYPE = "flow_api";

  private final RunState state;

  RunApi(RunState state) {
    this.state = state;
  }

  /**
   * Adds {@code by} to the number at state {@code key} of the task's run ({@code POST
   * {api}/workflows/{workflowId}/state/{key}/increment} with {@code {"by": by}}).
   *
   * @return the new value, as the API answers it
   */
  public JsonNode increment(String key, long by) throws InterruptedException {
    return state.increment(key, by);
  }

  /** As {@link #increment(String, long)}, by a decimal. */
  public JsonNode increment(String key, BigDecimal by) throws InterruptedException {
    return state.increment(key, by);
  }
}
