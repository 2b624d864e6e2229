package io.agentainer.flow.sdk.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentainer.flow.sdk.agent.TaskFailure;
import io.agentainer.flow.sdk.client.JobRef;
import io.agentainer.flow.sdk.client.JobRequest;
import io.agentainer.flow.sdk.example.workflows.EtlPipeline;
import io.agentainer.flow.sdk.example.workflows.Orders;
import io.agentainer.flow.sdk.example.workflows.PooledSquares;
import io.agentainer.flow.sdk.example.workflows.StateOperations;
import io.agentainer.flow.sdk.example.workflows.WordCount;
import io.agentainer.flow.sdk.example.workflows.WordCountByHand;
import io.agentainer.flow.sdk.workflow.templates.EtlTemplate;
import io.agentainer.flow.sdk.workflow.templates.FanOutAggregate;
import io.agentainer.flow.sdk.workflow.templates.MapReduceTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LocalRunnerTest {

  @Test
  void theEtlExampleRunsItsChunksInParallelAndAggregates() {
    LocalRun run = LocalRunner.of(new EtlPipeline()).run(Map.of("records", 1003)).assertSucceeded();

    LocalRun.StepOutcome chunks = run.step("process_chunks");
    assertThat(chunks.tasks()).extracting(LocalRun.Task::taskId).containsExactly(0, 1, 2, 3, 4);
    assertThat(chunks.output().findValuesAsText("chunkId"))
        .containsExactly("0", "1", "2", "3", "4");
    assertThat(chunks.output().findValuesAsText("count"))
        .containsExactly("201", "201", "201", "200", "200");
    assertThat(run.output().get("total").asInt()).isEqualTo(1003);
    assertThat(run.output().get("chunks").asInt()).isEqualTo(5);
    // put in extract, read by every chunk, written by aggregate
    run.assertState("records", 1003).assertState("total", 1003);
    assertThat(run.logs()).containsExactly("extract[0] extracted 1003 records");
    assertThat(run.events())
        .containsSubsequence(
            "run.started",
            "step.started extract",
            "step.succeeded extract",
            "step.started process_chunks",
            "step.succeeded process_chunks",
            "step.started aggregate",
            "step.succeeded aggregate",
            "run.succeeded");
  }

  @Test
  void atomicOperationsFromParallelTasksCountEveryTask() {
    LocalRun run = LocalRunner.of(new StateOperations()).run(null).assertSucceeded();

    run.assertState("hits", StateOperations.TASKS);
    assertThat(run.state("order").orElseThrow().size()).isEqualTo(StateOperations.TASKS);
    Set<Integer> ids = new java.util.HashSet<>();
    run.state("order").orElseThrow().forEach(n -> ids.add(n.asInt()));
    assertThat(ids).hasSize(StateOperations.TASKS);
    assertThat(run.state("tags").orElseThrow().findValuesAsText("x")).isEmpty();
    assertThat(run.state("tags").orElseThrow()).hasSize(2);
    assertThat(run.output().get("hits").asInt()).isEqualTo(StateOperations.TASKS);
    assertThat(run.stateHistory()).filteredOn(h -> h.startsWith("hits increment")).hasSize(10);
  }

  @Test
  void aPooledMapOverTwentyItemsSumsTheirSquares() {
    List<Integer> items = IntStream.rangeClosed(1, 20).boxed().toList();
    LocalRun run = LocalRunner.of(PooledSquares.class).run(Map.of("items", items));
    run.assertSucceeded().assertOutput(2870);
    assertThat(run.step("square").tasks()).hasSize(20);
  }

  @Test
  void theMapReduceWordCountMatchesTheOneByHandWithFarLessCode() throws IOException {
    Map<String, Object> input = Map.of("docs", List.of("the cat", "The dog, the END", "cat"));
    JsonNode byHand = LocalRunner.of(new WordCountByHand()).run(input).assertSucceeded().output();
    JsonNode mapReduce = LocalRunner.of(new WordCount()).run(input).assertSucceeded().output();

    assertThat(mapReduce).isEqualTo(byHand);
    assertThat(mapReduce.get("the").asInt()).isEqualTo(3);
    assertThat(mapReduce.get("cat").asInt()).isEqualTo(2);

    long handLines = codeLines("WordCountByHand.java");
    long mapReduceLines = codeLines("WordCount.java");
    // the seed asks for 70 % less code
    assertThat(mapReduceLines).isLessThanOrEqualTo(handLines * 3 / 10);
  }

  /** Lines of code: neither blank, nor comments, nor imports, nor the package line. */
  private static long codeLines(String file) throws IOException {
    Path path = Path.of("src/main/java/io/agentainer/flow/sdk/example/workflows", file);
    boolean[] inComment = {false};
    return Files.readAllLines(path).stream()
        .map(String::trim)
        .filter(
            line -> {
              if (inComment[0]) {
                inComment[0] = !line.contains("*/");
                return false;
              }
              if (line.startsWith("/*")) {
                inComment[0] = !line.contains("*/");
                return false;
              }
              return !line.isEmpty()
                  && !line.startsWith("//")
                  && !line.startsWith("import ")
                  && !line.startsWith("package ");
            })
        .count();
  }

  @Test
  void theTypedInputIsCheckedAndAConditionAndAChildWorkflowRun() {
    Map<String, Object> order =
        Map.of(
            "id",
            "o-1",
            "express",
            true,
            "lines",
            List.of(Map.of("sku", "a", "quantity", 2, "price", 1250)));
    LocalRun run = LocalRunner.of(new Orders()).run(order).assertSucceeded();
    assertThat(run.result("price", Map.class)).containsEntry("total", 2500L);
    assertThat(run.step("audit").output().get("approved").asBoolean()).isTrue();
    run.assertStep("courier", LocalRun.Status.SUCCEEDED).assertState("courier", "booked for o-1");
    assertThat(run.events()).contains("child.ended audit SUCCEEDED");

    LocalRun slow =
        LocalRunner.of(new Orders())
            .run(Map.of("id", "o-2", "express", false, "lines", List.of()))
            .assertSucceeded();
    slow.assertStep("courier", LocalRun.Status.SKIPPED);
    assertThat(slow.state("courier")).isEmpty();

    assertThatThrownBy(() -> LocalRunner.of(new Orders()).run(Map.of("id", "o-3")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("input.lines: required");
    assertThatThrownBy(
            () ->
                LocalRunner.of(new Orders())
                    .run(Map.of("id", "o-3", "express", false, "lines", "many")))
        .hasMessage("input.lines: does not fit List");
  }

  // ---- mocks, initial state, step by step
  // --------------------------------------------------------

  @Workflow(name = "triage", image = "acme/triage:1")
  static class Triage {
    @Step(image = "acme/llm:1")
    public Map<String, String> classify(@Input Map<String, String> ticket) {
      throw new AssertionError("runs on the LLM agent, never here");
    }

    @Step
    public String route(Context ctx, @Result("classify") Map<String, String> label) {
      ctx.state().increment("routed", 1);
      return label.get("label") + "-team";
    }
  }

  @Test
  void aMockAgentAnswersForStepsOfItsImage() {
    LocalRunner runner = LocalRunner.of(new Triage());
    MockAgent llm = runner.mockAgent("acme/llm:1");
    llm.returns(Map.of("label", "bug"));

    LocalRun run = runner.withState("routed", 41).run(Map.of("text", "it crashes"));

    run.assertSucceeded().assertOutput("bug-team").assertState("routed", 42);
    assertThat(llm.calls()).isEqualTo(1);
  }

  @Test
  void aFailingMockFailsTheRunAndRetriesAreCounted() {
    LocalRun failed =
        LocalRunner.of(new Triage())
            .mockAgent("acme/llm:1")
            .fails("model_down", "no model", false)
            .run(Map.of());
    failed.assertFailed().assertStep("classify", LocalRun.Status.FAILED);
    assertThat(failed.error()).contains("step classify failed: model_down: no model");
    assertThat(failed.steps()).extracting(LocalRun.StepOutcome::name).containsExactly("classify");
    assertThatThrownBy(failed::assertSucceeded)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("expected the run to succeed, it is FAILED");
  }

  @Workflow(name = "flaky", image = "i")
  static class Flaky {
    final Map<Integer, Integer> attempts = new ConcurrentHashMap<>();

    @Step(parallel = 3, retry = 3)
    public int work(Context ctx, @TaskId int id) {
      attempts.merge(id, 1, Integer::sum);
      if (id == 1 && ctx.attempt() < 3) {
        throw TaskFailure.retryable("flaky", "try again");
      }
      if (id == 2) {
        throw TaskFailure.permanent("broken", "never works");
      }
      return id;
    }
  }

  @Test
  void retryableFailuresAreRetriedAndPermanentOnesAreNot() {
    Flaky flaky = new Flaky();
    LocalRun run = LocalRunner.of(flaky).run(null).assertFailed();
    assertThat(flaky.attempts).containsEntry(0, 1).containsEntry(1, 3).containsEntry(2, 1);
    List<LocalRun.Task> tasks = run.step("work").tasks();
    assertThat(tasks.get(1).status()).isEqualTo(LocalRun.Status.SUCCEEDED);
    assertThat(tasks.get(1).attempts()).isEqualTo(3);
    assertThat(tasks.get(2).error()).isEqualTo("broken: never works");
    assertThat(run.error())
        .contains(
            "step work failed: 1 of 3 tasks failed, more than the step"
                + " tolerates (broken: never works)");
  }

  @Workflow(name = "tolerant", image = "i")
  static class Tolerant {
    @Step(map = "${input.xs}", maxFailures = 1)
    public int half(@Item int x) {
      if (x % 2 != 0) {
        throw new IllegalStateException("odd " + x);
      }
      return x / 2;
    }

    @Step(reduce = true, dependsOn = "half")
    public String report(@Results List<TaskResult> results) {
      List<String> out = new ArrayList<>();
      results.forEach(r -> out.add(r.taskId() + ":" + r.status()));
      return String.join(",", out);
    }
  }

  @Test
  void toleratedFailuresReachTheReduce() {
    LocalRun run = LocalRunner.of(new Tolerant()).run(Map.of("xs", List.of(2, 3, 4)));
    run.assertSucceeded().assertOutput("0:SUCCEEDED,1:FAILED,2:SUCCEEDED");
    assertThat(run.step("half").output().toString()).isEqualTo("[1,null,2]");
    LocalRunner.of(new Tolerant()).run(Map.of("xs", List.of(1, 3))).assertFailed();
  }

  @Test
  void stepByStepTheStateCanBeInspectedBetweenSteps() {
    LocalRun run = LocalRunner.of(new EtlPipeline()).start(Map.of("records", 10));
    assertThat(run.status()).isEqualTo(LocalRun.Status.PENDING);
    assertThat(run.next().name()).isEqualTo("extract");
    assertThat(run.state()).containsOnlyKeys("records");
    assertThat(run.state("total")).isEmpty();
    assertThat(run.next().name()).isEqualTo("process_chunks");
    assertThat(run.hasNext()).isTrue();
    assertThat(run.next().name()).isEqualTo("aggregate");
    assertThat(run.hasNext()).isFalse();
    run.assertSucceeded().assertState("total", 10);
    assertThatThrownBy(run::next).isInstanceOf(IllegalStateException.class);
  }

  @Workflow(name = "independent", image = "i")
  static class Independent {
    final CountDownLatch both = new CountDownLatch(2);

    @Step
    public boolean left() throws InterruptedException {
      both.countDown();
      return both.await(10, TimeUnit.SECONDS);
    }

    @Step
    public boolean right() throws InterruptedException {
      both.countDown();
      return both.await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void independentStepsRunAtTheSameTime() {
    // each step waits for the other to have started: only true if they overlap
    LocalRun run = LocalRunner.of(new Independent()).run(null).assertSucceeded();
    assertThat(run.output().toString()).isEqualTo("{\"left\":true,\"right\":true}");
  }

  // ---- templates
  // ---------------------------------------------------------------------------------

  @Workflow(name = "import", image = "i")
  static class Import extends EtlTemplate {
    @Override
    protected List<?> extract(Context ctx, JsonNode input) {
      return List.of("a", "bb", "ccc");
    }

    @Override
    protected Object transform(Context ctx, JsonNode record) {
      return record.asText().length();
    }

    @Override
    protected Object load(Context ctx, List<JsonNode> records) {
      ctx.state().put("loaded", records.size());
      return records.stream().mapToInt(JsonNode::asInt).sum();
    }
  }

  @Workflow(name = "probe", image = "i")
  static class Probe extends FanOutAggregate {
    @Override
    protected List<?> plan(Context ctx, JsonNode input) {
      return List.of("up", "down", "up");
    }

    @Override
    protected Object work(Context ctx, JsonNode piece) {
      if (piece.asText().equals("down")) {
        throw TaskFailure.permanent("down", "host is down");
      }
      return "ok";
    }

    @Override
    protected Object aggregate(Context ctx, List<TaskResult> results) {
      return results.stream().filter(TaskResult::succeeded).count() + "/" + results.size();
    }
  }

  @Workflow(name = "lengths", image = "i")
  static class Lengths extends MapReduceTemplate {
    @Override
    protected Object map(Context ctx, JsonNode item) {
      return item.asText().length();
    }

    @Override
    protected Object reduce(Context ctx, List<JsonNode> outputs) {
      return outputs.stream().mapToInt(JsonNode::asInt).max().orElse(0);
    }
  }

  @Test
  void templatesGiveTheirStepsToSubclasses() {
    LocalRunner.of(new Import())
        .run(null)
        .assertSucceeded()
        .assertOutput(6)
        .assertState("loaded", 3);
    LocalRunner.of(new Probe()).run(null).assertSucceeded().assertOutput("2/3");
    LocalRunner.of(new Lengths())
        .run(Map.of("items", List.of("x", "xyz", "xy")))
        .assertSucceeded()
        .assertOutput(3);
    assertThat(WorkflowCompiler.compile(Import.class).get("steps").findValuesAsText("name"))
        .containsExactly("extract", "load", "transform");
  }

  // ---- child jobs and the state's rules
  // ----------------------------------------------------------

  @Workflow(name = "spawner", image = "i")
  static class Spawner {
    @Step
    public String spawn(Context ctx) {
      JobRef ref =
          ctx.startJob(
              JobRequest.builder("acme/thumbnail:1")
                  .handler("resize")
                  .input(Map.of("w", 64))
                  .build());
      return ref.status();
    }
  }

  @Test
  void childJobsRunOnMocksAndAnUnmockedImageFailsClearly() {
    LocalRunner runner = LocalRunner.of(new Spawner());
    List<JsonNode> seen = new ArrayList<>();
    runner
        .mockAgent("acme/thumbnail:1")
        .answers(
            call -> {
              seen.add(call.input());
              return "done";
            });
    runner.run(null).assertSucceeded().assertOutput("SUCCEEDED");
    assertThat(seen).extracting(n -> n.get("w").asInt()).containsExactly(64);

    LocalRun unmocked = LocalRunner.of(new Spawner()).run(null).assertFailed();
    assertThat(unmocked.error().orElseThrow())
        .contains("local mode runs child jobs on mock agents: mockAgent(\"acme/thumbnail:1\")");
  }

  @Workflow(name = "mismatch", image = "i")
  static class Mismatch {
    @Step
    public void bump(Context ctx) {
      ctx.state().increment("name", 1);
    }
  }

  @Test
  void stateOperationsKeepTheServersRules() throws Exception {
    LocalRun run = LocalRunner.of(new Mismatch()).withState("name", "ada").run(null).assertFailed();
    assertThat(run.error().orElseThrow())
        .contains("state_type_mismatch: increment of 'name' needs a number, the key holds string");

    MemoryState state = new MemoryState(Map.of());
    assertThat(state.addToSet("s", 1)).isTrue();
    assertThat(state.addToSet("s", 1)).isFalse();
    assertThat(state.compareAndSwap("c", null, "first")).isTrue();
    assertThat(state.compareAndSwap("c", null, "second")).isFalse();
    assertThat(state.compareAndSwap("c", "first", "second")).isTrue();
    assertThat(state.increment("d", new java.math.BigDecimal("0.5")).decimalValue())
        .isEqualByComparingTo("0.5");
    assertThat(state.incrementAsync("n", 2).toCompletableFuture().get().asLong()).isEqualTo(2);
    state.appendAsync("l", "x").toCompletableFuture().get();
    assertThat(state.putAsync("p", Map.of("a", 1)).toCompletableFuture().get().get("a").asInt())
        .isEqualTo(1);
    assertThat(state.getAsync("l").toCompletableFuture().get().orElseThrow().size()).isEqualTo(1);
    assertThat(state.addToSetAsync("s", 2).toCompletableFuture().get()).isTrue();
    assertThat(state.delete("p")).isTrue();
    assertThat(state.delete("p")).isFalse();
    assertThatThrownBy(() -> state.append("n", 1))
        .hasMessageContaining("append of 'n' needs a list, the key holds number");
    assertThatThrownBy(() -> state.get("")).hasMessageContaining("key: 1 to 512 characters");
  }

  @Test
  void localExpressionsCoverPathsComparisonsAndLogic() {
    LocalExpressions e =
        new LocalExpressions(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .valueToTree(Map.of("n", 3, "tags", List.of("a", "b"), "name", "ada")),
            Map.of(),
            Map.of());
    assertThat(e.test("${input.n > 2 && input.name == 'ada'}")).isTrue();
    assertThat(e.test("${input.n le 2 or not (input.tags[1] eq \"b\")}")).isFalse();
    assertThat(e.test("${empty input.missing}")).isTrue();
    assertThat(e.test("${!empty input.tags}")).isTrue();
    assertThat(e.evaluate("${input.tags[0]}").asText()).isEqualTo("a");
    assertThat(e.evaluate("n=${input.n}, name=${input.name}").asText()).isEqualTo("n=3, name=ada");
    assertThatThrownBy(() -> e.evaluate("${input.n + 1}"))
        .hasMessageContaining("local mode evaluates paths, literals, comparisons and logic");
    assertThatThrownBy(() -> e.evaluate("${other.x}")).hasMessageContaining("unknown name 'other'");
  }
}
