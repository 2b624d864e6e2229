package io.agentainer.flow.sdk.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentainer.flow.sdk.example.workflows.Audit;
import io.agentainer.flow.sdk.example.workflows.EtlPipeline;
import io.agentainer.flow.sdk.example.workflows.Orders;
import io.agentainer.flow.sdk.example.workflows.PooledSquares;
import io.agentainer.flow.sdk.example.workflows.WordCount;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkflowCompilerTest {

  private static JsonNode step(ObjectNode def, String name) {
    for (JsonNode s : def.get("steps")) {
      if (s.get("name").asText().equals(name)) {
        return s;
      }
    }
    throw new AssertionError("no step " + name + " in " + def);
  }

  @Test
  void theEtlExampleCompilesToTheDefinitionFormat() {
    ObjectNode def = WorkflowCompiler.compile(EtlPipeline.class);

    assertThat(def.get("name").asText()).isEqualTo("etl-pipeline");
    JsonNode extract = step(def, "extract");
    assertThat(extract.get("kind").asText()).isEqualTo("task");
    assertThat(extract.at("/agent/image").asText()).isEqualTo("agentainer/example-agent:latest");
    assertThat(extract.at("/agent/handler").asText()).isEqualTo("etl-pipeline.extract");
    JsonNode chunks = step(def, "process_chunks");
    assertThat(chunks.get("kind").asText()).isEqualTo("parallel");
    assertThat(chunks.get("count").asInt()).isEqualTo(5);
    assertThat(chunks.get("maxParallel").asInt()).isEqualTo(5);
    // inferred from the @Result("extract") parameter
    assertThat(chunks.get("dependsOn")).containsExactly(JsonNodeText.of("extract"));
    assertThat(chunks.at("/input/results/extract").asText()).isEqualTo("${results.extract}");
    JsonNode aggregate = step(def, "aggregate");
    assertThat(aggregate.get("kind").asText()).isEqualTo("reduce");
    assertThat(aggregate.get("dependsOn")).containsExactly(JsonNodeText.of("process_chunks"));
  }

  @Test
  void pooledStepsCarryTheirPoolAndMapItsItems() {
    ObjectNode def = WorkflowCompiler.compile(PooledSquares.class);
    JsonNode square = step(def, "square");
    assertThat(square.get("kind").asText()).isEqualTo("map");
    assertThat(square.get("items").asText()).isEqualTo("${input.items}");
    assertThat(square.get("executionMode").asText()).isEqualTo("pooled");
    assertThat(square.at("/pool/maxSize").asInt()).isEqualTo(5);
    assertThat(square.at("/pool/warmUp").asBoolean()).isTrue();
    assertThat(square.get("maxParallel").asInt()).isEqualTo(20);
  }

  @Test
  void mapReduceCompilesToAPooledMapWithRetriesAndAReduce() {
    ObjectNode def = WorkflowCompiler.compile(WordCount.class);
    JsonNode map = step(def, "map");
    assertThat(map.get("kind").asText()).isEqualTo("map");
    assertThat(map.get("items").asText()).isEqualTo("${input.docs}");
    assertThat(map.get("executionMode").asText()).isEqualTo("pooled");
    assertThat(map.at("/retry/maxAttempts").asInt()).isEqualTo(3);
    assertThat(map.at("/tolerance/maxFailures").asInt()).isZero();
    assertThat(step(def, "reduce").get("dependsOn")).containsExactly(JsonNodeText.of("map"));
  }

  @Test
  void aTypedInputBecomesTheParametersAndAChildWorkflowAStep() {
    ObjectNode def = WorkflowCompiler.compile(Orders.class);
    assertThat(def.at("/parameters/type").asText()).isEqualTo("object");
    assertThat(def.at("/parameters/required").toString())
        .isEqualTo("[\"id\",\"lines\",\"express\"]");
    assertThat(def.at("/parameters/properties/lines/type").asText()).isEqualTo("array");
    assertThat(def.at("/parameters/properties/lines/items/properties/quantity/type").asText())
        .isEqualTo("integer");
    assertThat(def.get("timeout").asText()).isEqualTo("PT10M");
    JsonNode audit = step(def, "audit");
    assertThat(audit.get("kind").asText()).isEqualTo("workflow");
    assertThat(audit.at("/workflow/name").asText()).isEqualTo("audit");
    assertThat(audit.at("/workflow/input").asText()).isEqualTo("${results.price}");
    assertThat(audit.get("dependsOn")).containsExactly(JsonNodeText.of("price"));
    assertThat(step(def, "courier").get("when").asText()).isEqualTo("${input.express}");

    Map<String, ObjectNode> all = WorkflowCompiler.compileWithChildren(Orders.class, null);
    assertThat(all.keySet()).containsExactly("audit", "orders");
    assertThat(all.get("audit")).isEqualTo(WorkflowCompiler.compile(Audit.class));
  }

  // ---- reuse ------------------------------------------------------------------------------------

  abstract static class Base {
    @Step
    public String fetch() {
      return "data";
    }
  }

  static class SharedSteps {
    @Step(dependsOn = "fetch")
    public String publish(@Result("fetch") String data) {
      return "published " + data;
    }
  }

  @Workflow(name = "reuse", image = "img:1", uses = SharedSteps.class)
  static class Reuse extends Base {
    @Step
    public String audit(@Result("publish") String published) {
      return published.toUpperCase();
    }
  }

  @Test
  void stepsComeFromSuperclassesAndUsedClasses() {
    ObjectNode def = WorkflowCompiler.compile(Reuse.class);
    assertThat(def.get("steps").findValuesAsText("name"))
        .containsExactly("fetch", "audit", "publish");
    assertThat(step(def, "publish").at("/agent/handler").asText()).isEqualTo("reuse.publish");
    LocalRunner.of(new Reuse()).run(null).assertSucceeded().assertOutput("PUBLISHED DATA");
  }

  @Test
  void theImageGivenToTheCompilerServesStepsThatNameNone() {
    ObjectNode def = WorkflowCompiler.compile(NoImage.class, "acme/agent:2");
    assertThat(step(def, "only").at("/agent/image").asText()).isEqualTo("acme/agent:2");
  }

  @Workflow(name = "no-image")
  static class NoImage {
    @Step
    public int only() {
      return 1;
    }
  }

  // ---- mistakes, each with its message ---------------------------------------------------------

  @Workflow(name = "cycle", image = "i")
  static class Cycle {
    @Step(dependsOn = "b")
    public void a() {}

    @Step(dependsOn = "a")
    public void b() {}
  }

  @Workflow(name = "unknown", image = "i")
  static class Unknown {
    @Step(dependsOn = "nowhere")
    public void a() {}
  }

  @Workflow(name = "lonely-reduce", image = "i")
  static class LonelyReduce {
    @Step
    public int a() {
      return 1;
    }

    @Step(reduce = true, dependsOn = "a")
    public int total(@Results List<Integer> xs) {
      return 0;
    }
  }

  @Workflow(name = "no-task-param", image = "i")
  static class NoTaskParam {
    @Step(parallel = 3)
    public void work() {}
  }

  @Workflow(name = "bad-duration", image = "i")
  static class BadDuration {
    @Step(timeout = "soon")
    public void a() {}
  }

  @Workflow(name = "bad-cron", image = "i")
  static class BadCron {
    @Step(executionMode = "pooled", warmSchedule = "61 * * * *")
    public void a() {}
  }

  @Workflow(name = "twice", image = "i")
  static class Twice {
    @Step(name = "same")
    public void a() {}

    @Step(name = "same")
    public void b() {}
  }

  @Workflow(name = "two-kinds", image = "i")
  static class TwoKinds {
    @Step(parallel = 2, map = "${input.x}")
    public void a(@TaskId int id) {}
  }

  @Workflow(name = "Bad Name", image = "i")
  static class BadName {
    @Step
    public void a() {}
  }

  static class NotAWorkflow {
    @Step
    public void a() {}
  }

  @Workflow(name = "loose-param", image = "i")
  static class LooseParam {
    @Step
    public void a(String what) {}
  }

  @Workflow(name = "unknown-result", image = "i")
  static class UnknownResult {
    @Step
    public void a(@Result("gone") String x) {}
  }

  @Workflow(name = "item-outside-map", image = "i")
  static class ItemOutsideMap {
    @Step
    public void a(@Item String x) {}
  }

  @Workflow(name = "pool-size-cold", image = "i")
  static class PoolSizeCold {
    @Step(poolSize = 3)
    public void a() {}
  }

  @Workflow(name = "mode", image = "i")
  static class Mode {
    @Step(executionMode = "warm")
    public void a() {}
  }

  @Workflow(name = "no-steps", image = "i")
  static class NoSteps {}

  @Workflow(name = "no-image-anywhere")
  static class NoImageAnywhere {
    @Step
    public void a() {}
  }

  @Workflow(name = "bad-retry", image = "i")
  static class BadRetry {
    @Step(retry = 0)
    public void a() {}
  }

  @Workflow(name = "mr", image = "i")
  @MapReduce(items = "${input.xs}", mapper = "nope", reducer = "total")
  static class MissingMapper {
    int total(List<Integer> xs) {
      return 0;
    }
  }

  @Test
  void everyMistakeNamesTheMethodAndWhatIsWrong() {
    assertMistake(Cycle.class, "Cycle.a(), Cycle.b(): the steps form a cycle: a -> b -> a");
    assertMistake(Unknown.class, "Unknown.a(): depends on unknown step 'nowhere'");
    assertMistake(
        LonelyReduce.class,
        "LonelyReduce.total(): a reduce step needs a parallel or map step among its dependencies,"
            + " got a");
    assertMistake(
        NoTaskParam.class,
        "NoTaskParam.work(): a parallel step needs an @TaskId int parameter (its task id, 0..n-1)");
    assertMistake(
        BadDuration.class, "BadDuration.a(): timeout 'soon' is not a duration (like PT30S or 30s)");
    assertMistake(
        BadCron.class,
        "BadCron.a(): warmSchedule '61 * * * *' is not a cron expression: minute '61': 61 is"
            + " outside 0-59");
    assertMistake(Twice.class, "Twice.b(): step name 'same' is taken by Twice.a()");
    assertMistake(TwoKinds.class, "TwoKinds.a(): choose one of parallel, map, reduce and workflow");
    assertMistake(
        BadName.class, "BadName: @Workflow name 'Bad Name' must be 1 to 64 of a-z, 0-9, _ and -");
    assertMistake(NotAWorkflow.class, "NotAWorkflow: a workflow class needs @Workflow");
    assertMistake(
        LooseParam.class,
        "LooseParam.a(): parameter 'what' names no step; annotate it with @Input, @Result, @TaskId,"
            + " @Item or @Results, or name it after a step");
    assertMistake(UnknownResult.class, "UnknownResult.a(): @Result names unknown step 'gone'");
    assertMistake(ItemOutsideMap.class, "ItemOutsideMap.a(): @Item needs a map step");
    assertMistake(
        PoolSizeCold.class, "PoolSizeCold.a(): poolSize needs executionMode = \"pooled\"");
    assertMistake(Mode.class, "Mode.a(): executionMode must be cold or pooled, got 'warm'");
    assertMistake(NoSteps.class, "NoSteps: a workflow needs at least one @Step method");
    assertMistake(
        NoImageAnywhere.class,
        "NoImageAnywhere.a(): no agent image: set @Workflow(image = ...) or @Step(image = ...), or"
            + " compile with an image");
    assertMistake(
        BadRetry.class, "BadRetry.a(): retry is the number of attempts, at least 1, got 0");
    assertMistake(
        MissingMapper.class,
        "MissingMapper: @MapReduce mapper 'nope' is not a method of the class");
  }

  @Test
  void localModeChecksTheSameStructure() {
    assertThatThrownBy(() -> LocalRunner.of(new Cycle()))
        .isInstanceOf(WorkflowDefinitionException.class)
        .hasMessageContaining("the steps form a cycle");
  }

  @Test
  void cronFieldsAreChecked() {
    assertThat(Cron.problem("*/5 1-3 * JAN-MAR MON,FRI")).isNull();
    assertThat(Cron.problem("0 0 * *")).contains("has 5 fields");
    assertThat(Cron.problem("0 5-2 * * *")).isEqualTo("hour '5-2': the range 5-2 runs backwards");
    assertThat(Cron.problem("0 0 * * */0")).contains("step after / must be a positive number");
    assertThat(Cron.problem("0 0 x * *")).isEqualTo("day of month 'x': 'x' is not a day of month");
  }

  @Test
  void durationsTakeIsoAndShortForms() {
    assertThat(Durations.parse("PT30S")).hasSeconds(30);
    assertThat(Durations.parse("30s")).hasSeconds(30);
    assertThat(Durations.parse("5m")).hasMinutes(5);
    assertThat(Durations.parse("250ms")).hasMillis(250);
    assertThat(Durations.parse("0s")).isNull();
    assertThat(Durations.parse("PT-1S")).isNull();
  }

  private static void assertMistake(Class<?> type, String message) {
    assertThatThrownBy(() -> WorkflowCompiler.compile(type))
        .isInstanceOf(WorkflowDefinitionException.class)
        .hasMessage(message);
  }

  /** A text node, for comparing JSON arrays. */
  static final class JsonNodeText {
    static JsonNode of(String s) {
      return com.fasterxml.jackson.databind.node.TextNode.valueOf(s);
    }
  }
}
