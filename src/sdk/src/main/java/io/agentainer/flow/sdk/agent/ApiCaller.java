package io.agentainer.flow.sdk.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Calls of the Flow API with a task's {@code flow.api} and {@code flow.token}. A transient failure
 * (no connection or no answer in time, HTTP 408, 429, 502, 503, 504) is tried again with the same
 * request, {@code Idempotency-Key} included, after a growing pause, until {@link
 * ApiSettings#retryTime()} is spent; then it fails retryable. Other answers are final: 2xx is the
 * answer, other 5xx fail retryable, other 4xx fail for good with the server's message. Failures are
 * {@link TaskFailure}s of type {@value RunApi#FAILURE_TYPE}.
 */
final class ApiCaller {

  /** The API's answer: its status and its JSON body, JSON {@code null} when it had none. */
  record Answer(int status, JsonNode body) {}

  private final FlowAccess flow;
  private final ApiSettings settings;
  private final BooleanSupplier cancelled;
  private final String jobId;

  /**
   * @param cancelled whether the task was cancelled: then failures are not retried
   */
  ApiCaller(FlowAccess flow, ApiSettings settings, String jobId, BooleanSupplier cancelled) {
    this.flow = flow;
    this.settings = settings;
    this.jobId = jobId;
    this.cancelled = cancelled;
  }

  /**
   * Calls {@code {api}/{path}}. Cancelling the future stops the call: its retries and the request
   * in flight.
   *
   * @param body the JSON body, or {@code null} for none
   * @param idempotencyKey the {@code Idempotency-Key} header, or {@code null} for none
   * @param notFoundIsAnswer whether a 404 is an answer (a key that is absent) and not a failure
   * @param read what the caller makes of the answer; may throw a {@link TaskFailure}
   * @return what {@code read} made of the answer; completes exceptionally with a {@link
   *     TaskFailure}
   */
  <T> CompletableFuture<T> call(
      String method,
      String path,
      JsonNode body,
      String idempotencyKey,
      boolean notFoundIsAnswer,
      Function<Answer, T> read) {
    HttpRequest request;
    try {
      request = request(method, path, body, idempotencyKey);
    } catch (TaskFailure failure) {
      return CompletableFuture.failedFuture(failure);
    }
    Call<T> call = new Call<>(request, notFoundIsAnswer, read);
    call.attempt();
    return call.result;
  }

  /** One call and its retries. Cancelling {@link #result} stops them and the request in flight. */
  private final class Call<T> {
    final CompletableFuture<T> result = new CompletableFuture<>();
    final HttpRequest request;
    final boolean notFoundIsAnswer;
    final Function<Answer, T> read;
    final long started = System.nanoTime();
    final long deadline;
    volatile CompletableFuture<HttpResponse<byte[]>> inFlight;
    int tries;

    Call(HttpRequest request, boolean notFoundIsAnswer, Function<Answer, T> read) {
      this.request = request;
      this.notFoundIsAnswer = notFoundIsAnswer;
      this.read = read;
      this.deadline = started + settings.retryTime().toNanos();
      result.whenComplete(
          (answer, error) -> {
            CompletableFuture<?> sent = inFlight;
            if (result.isCancelled() && sent != null) {
              sent.cancel(true);
            }
          });
    }

    void attempt() {
      if (result.isDone()) {
        return;
      }
      tries++;
      CompletableFuture<HttpResponse<byte[]>> sent;
      try {
        sent = settings.http().get().sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
      } catch (RuntimeException e) {
        result.completeExceptionally(
            TaskFailure.permanent(RunApi.FAILURE_TYPE, describe() + ": cannot send: " + e));
        return;
      }
      inFlight = sent;
      if (result.isCancelled()) {
        sent.cancel(true);
        return;
      }
      sent.whenComplete(this::answered);
    }

    private void answered(HttpResponse<byte[]> response, Throwable error) {
      if (result.isDone()) {
        return;
      }
      if (error != null) {
        Throwable cause = unwrap(error);
        if (cause instanceof IOException io) {
          retryOrFail(
              new TaskFailure(
                  RunApi.FAILURE_TYPE,
                  describe() + ": cannot reach the API: " + message(io),
                  true,
                  io));
        } else {
          result.completeExceptionally(
              new TaskFailure(RunApi.FAILURE_TYPE, describe() + ": failed: " + cause, true, cause));
        }
        return;
      }
      int status = response.statusCode();
      if (status / 100 == 2 || (status == 404 && notFoundIsAnswer)) {
        try {
          JsonNode body = status == 404 ? NullNode.getInstance() : parse(response.body());
          result.complete(read.apply(new Answer(status, body)));
        } catch (RuntimeException unexpected) {
          result.completeExceptionally(unexpected);
        }
        return;
      }
      String text = describe() + ": HTTP " + status + ": " + errorMessage(response.body());
      if (isTransient(status)) {
        retryOrFail(TaskFailure.retryable(RunApi.FAILURE_TYPE, text));
      } else {
        result.completeExceptionally(new TaskFailure(RunApi.FAILURE_TYPE, text, status >= 500));
      }
    }

    /** Tries again after a pause, unless that would pass the deadline or the task was cancelled. */
    private void retryOrFail(TaskFailure failure) {
      if (cancelled.getAsBoolean()) {
        result.completeExceptionally(
            new TaskFailure(
                TaskFailure.CANCELLED,
                "job " + jobId + " was cancelled; " + failure.getMessage(),
                false,
                failure));
        return;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        String tried =
            tries == 1
                ? ""
                : String.format(
                    Locale.ROOT,
                    " (tried %d times in %.1f s)",
                    tries,
                    (System.nanoTime() - started) / 1e9);
        result.completeExceptionally(
            new TaskFailure(
                failure.type(), failure.getMessage() + tried, true, failure.getCause()));
        return;
      }
      long pause = Math.min(left, settings.backoffNanos(tries));
      CompletableFuture.delayedExecutor(pause, TimeUnit.NANOSECONDS).execute(this::attempt);
    }

    private String describe() {
      return request.method() + " " + request.uri();
    }
  }

  /**
   * Whether the same request may succeed soon: the server is busy, restarting or behind a proxy.
   */
  static boolean isTransient(int status) {
    return status == 408 || status == 429 || status == 502 || status == 503 || status == 504;
  }

  private HttpRequest request(String method, String path, JsonNode body, String idempotencyKey) {
    String api =
        flow.apiUrl()
            .orElseThrow(
                () ->
                    TaskFailure.permanent(
                        RunApi.FAILURE_TYPE, "flow.api: not given (in the request or FLOW_API)"));
    String token =
        flow.bearerToken()
            .orElseThrow(
                () ->
                    TaskFailure.permanent(
                        RunApi.FAILURE_TYPE,
                        "flow.token: not given (in the request or FLOW_TOKEN)"));
    String address = api.endsWith("/") ? api + path : api + "/" + path;
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(address))
              .timeout(settings.timeout())
              .header("Accept", "application/json")
              .header("Authorization", "Bearer " + token);
      if (body != null) {
        request
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
      } else {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      }
      if (idempotencyKey != null) {
        request.header("Idempotency-Key", idempotencyKey);
      }
      flow.traceContext().ifPresent(traceparent -> request.header("traceparent", traceparent));
      return request.build();
    } catch (IllegalArgumentException e) {
      throw TaskFailure.permanent(
          RunApi.FAILURE_TYPE, "cannot call " + address + " (check flow.api): " + e.getMessage());
    }
  }

  /**
   * Waits for a call's outcome. An interrupt cancels the call (and its retries) and is rethrown.
   *
   * @throws TaskFailure how the call failed
   */
  static <T> T await(CompletableFuture<T> future) throws InterruptedException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = unwrap(e);
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new TaskFailure(RunApi.FAILURE_TYPE, String.valueOf(cause), true, cause);
    }
  }

  /** The exception inside {@link CompletionException}s and {@link ExecutionException}s. */
  static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** A path segment, percent-encoded ({@code %20} for a space, {@code %2F} for a slash). */
  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code value} as JSON: a {@link JsonNode} as it is, Java {@code null} as JSON {@code null}. */
  static JsonNode toJson(Object value, String field) {
    if (value == null) {
      return NullNode.getInstance();
    }
    if (value instanceof JsonNode node) {
      return node;
    }
    try {
      return Json.MAPPER.valueToTree(value);
    } catch (IllegalArgumentException e) {
      throw TaskFailure.badInput(field, "cannot be written as JSON (" + e.getMessage() + ")");
    }
  }

  private static byte[] bytes(JsonNode body) {
    try {
      return Json.MAPPER.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode parse(byte[] body) {
    try {
      return body.length == 0 ? NullNode.getInstance() : Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw TaskFailure.retryable(
          RunApi.FAILURE_TYPE, "unreadable answer from the API: " + e.getMessage());
    }
  }

  /** The {@code error.message} of an API error body, or the body itself, cut short. */
  static String errorMessage(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    try {
      JsonNode message = Json.MAPPER.readTree(body).path("error").path("message");
      if (message.isTextual()) {
        return message.textValue();
      }
    } catch (IOException e) {
      // not JSON: use the text
    }
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }

  private String message(IOException e) {
    if (e instanceof HttpTimeoutException) {
      return "no answer in " + settings.timeout().toMillis() + " ms";
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
