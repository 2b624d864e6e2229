package io.agentainer.flow.sdk.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentainer.flow.sdk.agent.AgentServer;
import io.agentainer.flow.sdk.agent.TaskContext;
import io.agentainer.flow.sdk.agent.TaskFailure;
import io.agentainer.flow.sdk.agent.TaskHandler;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.IntConsumer;

/**
 * The example agent's handlers, part of the product's contract (DESIGN section 3). Bad input fails
 * the task with a non-retryable {@code bad_input} failure whose message starts with the field.
 */
public final class ExampleHandlers {

  /** The exit status of {@code crash}: what a {@code kill -9} of the agent looks like. */
  public static final int CRASH_STATUS = 137;

  static final String DEFAULT_FAIL_MESSAGE = "failed on purpose";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final IntConsumer halt;
  private final PrintStream stderr;

  /** Handlers whose {@code crash} really halts this JVM. */
  public ExampleHandlers() {
    this(status -> Runtime.getRuntime().halt(status), System.err);
  }

  /** Handlers whose {@code crash} calls {@code halt} instead (for tests). */
  ExampleHandlers(IntConsumer halt, PrintStream stderr) {
    this.halt = Objects.requireNonNull(halt, "halt");
    this.stderr = Objects.requireNonNull(stderr, "stderr");
  }

  /** Every handler by its name, in the order of the contract. */
  public Map<String, TaskHandler> all() {
    Map<String, TaskHandler> all = new LinkedHashMap<>();
    all.put("echo", ExampleHandlers::echo);
    all.put("sleep", ExampleHandlers::sleep);
    all.put("fail", ExampleHandlers::fail);
    all.put("crash", this::crash);
    all.put("split", ExampleHandlers::split);
    all.put("wordcount", ExampleHandlers::wordcount);
    all.put("sum", ExampleHandlers::sum);
    all.put("incr", ExampleHandlers::incr);
    all.put("append", ExampleHandlers::append);
    all.put("checkpointed", ExampleHandlers::checkpointed);
    all.put("whoami", ExampleHandlers::whoami);
    return all;
  }

  /** Registers every handler on {@code server}. */
  public AgentServer registerOn(AgentServer server) {
    all().forEach(server::handle);
    return server;
  }

  /**
   * {@code whoami}: what the agent was told about the task, from the request and from its
   * environment (a cold agent's), so a caller can check the metadata arrives. Tokens are reported
   * as present or not, never shown.
   */
  static Map<String, Object> whoami(TaskContext context) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("jobId", context.jobId());
    request.put("workflowId", context.workflowId().orElse(null));
    request.put("stepId", context.stepId().orElse(null));
    request.put("taskId", context.taskId());
    request.put("attempt", context.attempt());
    request.put("api", context.flow().apiUrl().orElse(null));
    request.put("hasToken", context.flow().bearerToken().isPresent());
    request.put("traceparent", context.flow().traceContext().orElse(null));
    Map<String, Object> env = new LinkedHashMap<>();
    for (String name :
        new String[] {
          "FLOW_JOB_ID",
          "FLOW_WORKFLOW_ID",
          "FLOW_STEP_ID",
          "FLOW_TASK_ID",
          "FLOW_PARENT_JOB_ID",
          "FLOW_API",
          "TRACEPARENT"
        }) {
      env.put(name, System.getenv(name));
    }
    env.put("hasToken", System.getenv("FLOW_TOKEN") != null);
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("request", request);
    output.put("env", env);
    return output;
  }

  /** {@code echo}: the output is the input. */
  static JsonNode echo(TaskContext context) {
    return context.input();
  }

  /**
   * {@code sleep}: waits {@code input.ms} milliseconds → {@code {slept: ms}}; a cancel of the job
   * ends it early as cancelled.
   */
  static JsonNode sleep(TaskContext context) throws InterruptedException {
    JsonNode input = object(context.input());
    long ms = wholeNumber(input, "ms", null, 0);
    if (context.awaitCancellation(Duration.ofMillis(ms))) {
      throw TaskFailure.cancelled("sleep: job " + context.jobId() + " was cancelled");
    }
    return NODES.objectNode().put("slept", ms);
  }

  /**
   * {@code fail}: fails with {@code retryable = input.retryable} (default false) and {@code
   * input.message}; with {@code input.failTimes = n} it fails attempts 1..n and then succeeds with
   * {@code {attempt}}.
   */
  static JsonNode fail(TaskContext context) {
    JsonNode input = object(context.input());
    JsonNode retryable = input.path("retryable");
    if (!retryable.isMissingNode() && !retryable.isNull() && !retryable.isBoolean()) {
      throw TaskFailure.badInput("input.retryable", "must be true or false");
    }
    JsonNode message = input.path("message");
    if (!message.isMissingNode() && !message.isNull() && !message.isTextual()) {
      throw TaskFailure.badInput("input.message", "must be a string");
    }
    Long failTimes =
        input.hasNonNull("failTimes") ? wholeNumber(input, "failTimes", null, 0) : null;
    if (failTimes != null && context.attempt() > failTimes) {
      return NODES.objectNode().put("attempt", context.attempt());
    }
    String text = message.isTextual() ? message.textValue() : DEFAULT_FAIL_MESSAGE;
    throw new TaskFailure(
        "failed", text + " (attempt " + context.attempt() + ")", retryable.asBoolean(false));
  }

  /** {@code crash}: the agent process exits mid-task, as if killed. */
  JsonNode crash(TaskContext context) {
    stderr.println(
        "crash: job " + context.jobId() + " asked the agent to exit with " + CRASH_STATUS);
    stderr.flush();
    halt.accept(CRASH_STATUS);
    throw new IllegalStateException("crash: the agent did not exit");
  }

  /**
   * {@code split}: {@code input.docs} (strings) → {@code {docs}}; or {@code input.text} cut into
   * chunks of {@code input.lines} lines → {@code {docs}}.
   */
  static JsonNode split(TaskContext context) {
    JsonNode input = object(context.input());
    ArrayNode docs = NODES.arrayNode();
    if (input.has("docs")) {
      JsonNode given = input.get("docs");
      if (!given.isArray()) {
        throw TaskFailure.badInput("input.docs", "must be a list of strings");
      }
      for (int i = 0; i < given.size(); i++) {
        if (!given.get(i).isTextual()) {
          throw TaskFailure.badInput("input.docs[" + i + "]", "must be a string");
        }
        docs.add(given.get(i));
      }
    } else if (input.has("text")) {
      if (!input.get("text").isTextual()) {
        throw TaskFailure.badInput("input.text", "must be a string");
      }
      int lines = (int) wholeNumber(input, "lines", null, 1);
      List<String> all = input.get("text").textValue().lines().toList();
      for (int from = 0; from < all.size(); from += lines) {
        docs.add(String.join("\n", all.subList(from, Math.min(all.size(), from + lines))));
      }
    } else {
      throw TaskFailure.badInput("input.docs", "required (or input.text with input.lines)");
    }
    ObjectNode output = NODES.objectNode();
    output.set("docs", docs);
    return output;
  }

  /**
   * {@code wordcount}: {@code input.item} (a string) → {@code {words: {word: count}, total}}; a
   * word is a maximal run of ASCII letters, lower-cased. Words are sorted.
   */
  static JsonNode wordcount(TaskContext context) {
    JsonNode item = object(context.input()).path("item");
    if (!item.isTextual()) {
      throw TaskFailure.badInput(
          "input.item", item.isMissingNode() ? "required" : "must be a string");
    }
    Map<String, Long> words = countWords(item.textValue());
    long total = words.values().stream().mapToLong(Long::longValue).sum();
    return counts(words, total);
  }

  /** The words of {@code text}: maximal runs of ASCII letters, lower-cased, with their counts. */
  static Map<String, Long> countWords(String text) {
    Map<String, Long> words = new TreeMap<>();
    int start = -1;
    for (int i = 0; i <= text.length(); i++) {
      boolean letter = i < text.length() && isAsciiLetter(text.charAt(i));
      if (letter && start < 0) {
        start = i;
      } else if (!letter && start >= 0) {
        words.merge(text.substring(start, i).toLowerCase(java.util.Locale.ROOT), 1L, Long::sum);
        start = -1;
      }
    }
    return words;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /**
   * {@code sum}: over {@code results} ({@code [{taskId, status, output | error}]}, or {@code
   * input.results} when the request has none) → {@code {total, words, succeeded, failed}}: the
   * totals and merged word counts of the tasks whose status is {@code SUCCEEDED}; every other
   * status counts as failed. A succeeded output adds its {@code total} (or, without one, its word
   * counts, or itself when it is a number).
   */
  static JsonNode sum(TaskContext context) {
    String field = "results";
    JsonNode results = context.results().orElse(null);
    if (results == null) {
      results = context.input().path("results");
      field = "input.results";
    }
    if (!results.isArray()) {
      throw TaskFailure.badInput(field, results.isMissingNode() ? "required" : "must be a list");
    }
    Map<String, Long> words = new TreeMap<>();
    long total = 0;
    int succeeded = 0;
    int failed = 0;
    for (int i = 0; i < results.size(); i++) {
      String at = field + "[" + i + "]";
      JsonNode result = results.get(i);
      if (!result.isObject()) {
        throw TaskFailure.badInput(at, "must be an object {taskId, status, output | error}");
      }
      if (!result.path("status").isTextual()) {
        throw TaskFailure.badInput(at + ".status", "required (a string)");
      }
      if (!"SUCCEEDED".equalsIgnoreCase(result.get("status").textValue())) {
        failed++;
        continue;
      }
      succeeded++;
      total += add(result.path("output"), at + ".output", words);
    }
    ObjectNode output = counts(words, total);
    output.put("succeeded", succeeded);
    output.put("failed", failed);
    return output;
  }

  /** Merges one succeeded output's words into {@code words}; answers what it adds to the total. */
  private static long add(JsonNode output, String at, Map<String, Long> words) {
    if (output.isIntegralNumber()) {
      return output.longValue();
    }
    long fromWords = 0;
    JsonNode counts = output.path("words");
    if (!counts.isMissingNode() && !counts.isObject()) {
      throw TaskFailure.badInput(at + ".words", "must be an object {word: count}");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = counts.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> word = it.next();
      if (!word.getValue().isIntegralNumber()) {
        throw TaskFailure.badInput(at + ".words." + word.getKey(), "must be a whole number");
      }
      words.merge(word.getKey(), word.getValue().longValue(), Long::sum);
      fromWords += word.getValue().longValue();
    }
    JsonNode total = output.path("total");
    if (total.isMissingNode() || total.isNull()) {
      return fromWords;
    }
    if (!total.isIntegralNumber()) {
      throw TaskFailure.badInput(at + ".total", "must be a whole number");
    }
    return total.longValue();
  }

  /**
   * {@code incr}: increments the run's state key {@code input.key} by {@code input.by} (default 1)
   * {@code input.times} times (default 1) through the run-scoped API → {@code {done}}. Each
   * increment counts once, also when a retried attempt of the job makes it again.
   */
  static JsonNode incr(TaskContext context) throws InterruptedException {
    JsonNode input = object(context.input());
    String key = key(input);
    JsonNode by = input.path("by");
    if (!by.isMissingNode() && !by.isNull() && !by.isNumber()) {
      throw TaskFailure.badInput("input.by", "must be a number");
    }
    long times = wholeNumber(input, "times", 1L, 0);
    for (long i = 0; i < times; i++) {
      context.throwIfCancelled();
      if (by.isMissingNode() || by.isNull()) {
        context.state().increment(key, 1);
      } else if (by.isIntegralNumber() && by.canConvertToLong()) {
        context.state().increment(key, by.longValue());
      } else {
        context.state().increment(key, new BigDecimal(by.asText()));
      }
    }
    return NODES.objectNode().put("done", times);
  }

  /**
   * {@code append}: appends the strings {@code "<prefix>-0"} ... {@code "<prefix>-<times - 1>"} to
   * the list at the run's state key {@code input.key} → {@code {done: times}}. {@code input.times}
   * defaults to 1; {@code input.prefix} to the task's {@code taskId} when the job belongs to a
   * step, else its {@code jobId}. Each element is appended once, also when a retried attempt of the
   * job appends it again.
   */
  static JsonNode append(TaskContext context) throws InterruptedException {
    JsonNode input = object(context.input());
    String key = key(input);
    long times = wholeNumber(input, "times", 1L, 0);
    JsonNode given = input.path("prefix");
    if (!given.isMissingNode() && !given.isNull() && !given.isTextual()) {
      throw TaskFailure.badInput("input.prefix", "must be a string");
    }
    String prefix =
        given.isTextual()
            ? given.textValue()
            : context.stepId().isPresent() ? String.valueOf(context.taskId()) : context.jobId();
    for (long i = 0; i < times; i++) {
      context.throwIfCancelled();
      context.state().append(key, prefix + "-" + i);
    }
    return NODES.objectNode().put("done", times);
  }

  /**
   * {@code checkpointed}: counts the steps from the checkpoint's {@code next} (0 without one) to
   * {@code input.steps}, saving the checkpoint {@code {next: i + 1}} after step {@code i} → {@code
   * {startedAt, done: steps}}, where {@code startedAt} is the first step of this attempt. With
   * {@code input.failAt = n}, the first attempt fails retryable right after saving the checkpoint
   * of step n, so the retry goes on from step n + 1.
   */
  static JsonNode checkpointed(TaskContext context) throws InterruptedException {
    JsonNode input = object(context.input());
    long steps = wholeNumber(input, "steps", null, 0);
    Long failAt = input.hasNonNull("failAt") ? wholeNumber(input, "failAt", null, 0) : null;
    long start = 0;
    if (context.checkpoint().isPresent()) {
      JsonNode next = context.checkpoint().get().path("next");
      if (!next.isIntegralNumber() || !next.canConvertToLong() || next.longValue() < 0) {
        throw TaskFailure.badInput("checkpoint.next", "must be a whole number >= 0");
      }
      start = next.longValue();
    }
    for (long i = start; i < steps; i++) {
      context.throwIfCancelled();
      context.saveCheckpoint(Map.of("next", i + 1));
      if (failAt != null && failAt == i && context.attempt() == 1) {
        throw TaskFailure.retryable(
            "failed", "failed on purpose after step " + i + " (attempt " + context.attempt() + ")");
      }
    }
    return NODES.objectNode().put("startedAt", start).put("done", steps);
  }

  // ---- input checks -------------------------------------------------------------------------

  /** {@code input.key}: a state key, a non-empty string. */
  private static String key(JsonNode input) {
    JsonNode key = input.path("key");
    if (!key.isTextual() || key.textValue().isEmpty()) {
      throw TaskFailure.badInput(
          "input.key", key.isMissingNode() ? "required" : "must be a non-empty string");
    }
    return key.textValue();
  }

  /** The input as an object: JSON null counts as {@code {}}; anything else is bad input. */
  private static JsonNode object(JsonNode input) {
    if (input == null || input.isNull() || input.isMissingNode()) {
      return NODES.objectNode();
    }
    if (!input.isObject()) {
      throw TaskFailure.badInput("input", "must be an object");
    }
    return input;
  }

  /**
   * {@code input.<field>} as a whole number >= min, or the fallback when absent (required if null).
   */
  private static long wholeNumber(JsonNode input, String field, Long fallback, long min) {
    JsonNode value = input.path(field);
    if (value.isMissingNode() || value.isNull()) {
      if (fallback == null) {
        throw TaskFailure.badInput("input." + field, "required (a whole number >= " + min + ")");
      }
      return fallback;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < min) {
      throw TaskFailure.badInput("input." + field, "must be a whole number >= " + min);
    }
    return value.longValue();
  }

  private static ObjectNode counts(Map<String, Long> words, long total) {
    ObjectNode output = NODES.objectNode();
    ObjectNode counts = output.putObject("words");
    words.forEach(counts::put);
    output.put("total", total);
    return output;
  }
}
