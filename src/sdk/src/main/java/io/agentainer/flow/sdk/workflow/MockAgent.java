package io.agentainer.flow.sdk.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentainer.flow.sdk.agent.TaskFailure;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A stand-in for an agent image in {@link LocalRunner}: steps (and child jobs) that run this image
 * get their output from here instead of calling the step's method.
 *
 * <pre>{@code
 * LocalRunner.of(new Triage())
 *     .mockAgent("acme/llm-agent:latest").returns(Map.of("label", "bug"))
 *     .run(input);
 * }</pre>
 */
public final class MockAgent {

  /** What a mocked task sees: its step, task id, attempt and input. */
  public record Call(String stepId, int taskId, int attempt, JsonNode input) {}

  private final LocalRunner runner;
  private final String image;
  private final AtomicInteger calls = new AtomicInteger();
  private volatile Function<Call, Object> answer;

  MockAgent(LocalRunner runner, String image) {
    this.runner = runner;
    this.image = image;
    this.answer =
        call -> {
          throw TaskFailure.permanent(
              "not_mocked",
              "mock agent " + image + " has no answer: use returns(...) or fails(...)");
        };
  }

  /** Every task on this image succeeds with {@code output}. */
  public LocalRunner returns(Object output) {
    this.answer = call -> output;
    return runner;
  }

  /** Every task on this image gets its output from {@code answer}; it may throw to fail. */
  public LocalRunner answers(Function<Call, Object> answer) {
    this.answer = answer;
    return runner;
  }

  /** Every task on this image fails with {@code type} and {@code message}. */
  public LocalRunner fails(String type, String message, boolean retryable) {
    this.answer =
        call -> {
          throw new TaskFailure(type, message, retryable);
        };
    return runner;
  }

  /**
   * The first {@code times} attempts of each task fail retryably with {@code type}; later attempts
   * return {@code output}.
   */
  public LocalRunner failsThenReturns(int times, String type, Object output) {
    this.answer =
        call -> {
          if (call.attempt() <= times) {
            throw TaskFailure.retryable(type, "attempt " + call.attempt() + " of a mocked failure");
          }
          return output;
        };
    return runner;
  }

  /** The image it stands in for. */
  public String image() {
    return image;
  }

  /** How many tasks it has answered (successes and failures). */
  public int calls() {
    return calls.get();
  }

  Object answer(Call call) {
    calls.incrementAndGet();
    return answer.apply(call);
  }
}
