package io.agentainer.flow.server.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefinitionParserTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<Problem> problems(String text, String format) {
    return DefinitionParser.problems(text, format);
  }

  @Test
  void readsTheDesignExampleIntoRecords() throws Exception {
    WorkflowSpec spec = DefinitionParser.parse(Samples.WORDCOUNT_YAML, "yaml");

    assertThat(spec.name()).isEqualTo("wordcount");
    assertThat(spec.description()).isEqualTo("count words");
    assertThat(spec.parameters())
        .isEqualTo(JSON.readTree("{\"type\":\"object\",\"required\":[\"docs\"]}"));
    assertThat(spec.timeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(spec.maxParallel()).isEqualTo(10);
    assertThat(spec.retention()).isEqualTo(Duration.ofDays(30));
    assertThat(spec.steps()).extracting(StepSpec::name).containsExactly("list", "count", "total");

    StepSpec list = spec.step("list").orElseThrow();
    assertThat(list.kind()).isEqualTo(StepKind.TASK);
    assertThat(list.dependsOn()).isEmpty();
    assertThat(list.agent())
        .isEqualTo(
            new AgentSpec("agentainer/example-agent:latest", "split", null, Map.of(), 0.5, 256));
    assertThat(list.input()).isEqualTo(JSON.readTree("{\"docs\":\"${input.docs}\"}"));
    assertThat(list.executionMode()).isEqualTo("cold");
    assertThat(list.retry()).isEqualTo(RetrySpec.NONE);
    assertThat(list.tolerance()).isEqualTo(ToleranceSpec.ALL);

    StepSpec count = spec.step("count").orElseThrow();
    assertThat(count.kind()).isEqualTo(StepKind.MAP);
    assertThat(count.dependsOn()).containsExactly("list");
    assertThat(count.items()).isEqualTo("${results.list.docs}");
    assertThat(count.executionMode()).isEqualTo("pooled");
    assertThat(count.pooled()).isTrue();
    assertThat(count.pool().get("maxSize").asInt()).isEqualTo(5);
    assertThat(count.maxParallel()).isEqualTo(5);
    assertThat(count.timeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(count.retry())
        .isEqualTo(
            new RetrySpec(3, "exponential", Duration.ofSeconds(1), Duration.ofMinutes(1), 0.2));
    assertThat(count.tolerance()).isEqualTo(ToleranceSpec.ratio(0.8));
    assertThat(count.then()).isEmpty();
    assertThat(count.otherwise()).isEmpty();

    StepSpec total = spec.step("total").orElseThrow();
    assertThat(total.kind()).isEqualTo(StepKind.REDUCE);
    assertThat(total.input()).isNull();
    assertThat(spec.step("nope")).isEmpty();
  }

  @Test
  void jsonAndYamlOfTheSameDefinitionGiveTheSameSpecAndHash() {
    WorkflowSpec yaml = DefinitionParser.parse(Samples.WORDCOUNT_YAML, "application/yaml");
    WorkflowSpec json = DefinitionParser.parse(Samples.WORDCOUNT_JSON, "application/json");

    assertThat(json).isEqualTo(yaml);
    assertThat(SpecJson.canonical(json)).isEqualTo(SpecJson.canonical(yaml));
    assertThat(SpecJson.hash(SpecJson.canonical(json))).hasSize(64).matches("[0-9a-f]{64}");
  }

  @Test
  void theCanonicalJsonReadsBackAsAnEqualSpec() {
    for (String text : List.of(Samples.WORDCOUNT_YAML, Samples.ALL_KINDS_YAML)) {
      WorkflowSpec spec = DefinitionParser.parse(text, "yaml");
      String canonical = SpecJson.canonical(spec);

      assertThat(DefinitionParser.readStored(canonical)).isEqualTo(spec);
      assertThat(DefinitionParser.parse(canonical, "json")).isEqualTo(spec);
      assertThat(SpecJson.canonical(DefinitionParser.readStored(canonical))).isEqualTo(canonical);
    }
  }

  @Test
  void theCanonicalJsonLeavesDefaultsOutAndWritesDurationsInIso() throws Exception {
    String canonical =
        SpecJson.canonical(
            DefinitionParser.parse(
                """
                name: d
                retention: 30d
                steps:
                  - name: a
                    agent: {image: x, handler: echo}
                    timeout: 90s
                    executionMode: cold
                    retry: {maxAttempts: 1}
                    input: {b: 1, a: {d: 2, c: 3}}
                """,
                "yaml"));

    assertThat(canonical)
        .isEqualTo(
            "{\"name\":\"d\",\"retention\":\"P30D\",\"steps\":[{\"name\":\"a\",\"kind\":\"task\","
                + "\"agent\":{\"image\":\"x\",\"handler\":\"echo\"},"
                + "\"input\":{\"a\":{\"c\":3,\"d\":2},\"b\":1},\"timeout\":\"PT1M30S\"}]}");
  }

  @Test
  void aChangeOfMeaningChangesTheHash() {
    String base = SpecJson.canonical(DefinitionParser.parse(Samples.WORDCOUNT_YAML, "yaml"));
    String other =
        SpecJson.canonical(
            DefinitionParser.parse(
                Samples.WORDCOUNT_YAML.replace("maxParallel: 5", "maxParallel: 6"), "yaml"));

    assertThat(SpecJson.hash(other)).isNotEqualTo(SpecJson.hash(base));
  }

  @Test
  void everyKindIsRead() {
    WorkflowSpec spec = DefinitionParser.parse(Samples.ALL_KINDS_YAML, "yaml");

    assertThat(spec.steps())
        .extracting(StepSpec::kind)
        .containsExactly(
            StepKind.TASK,
            StepKind.PARALLEL,
            StepKind.PARALLEL,
            StepKind.REDUCE,
            StepKind.BRANCH,
            StepKind.TASK,
            StepKind.WORKFLOW);
    assertThat(spec.step("fan").orElseThrow().count()).isEqualTo(4);
    assertThat(spec.step("fan").orElseThrow().parallelTasks()).isEqualTo(4);
    assertThat(spec.step("fan").orElseThrow().tolerance()).isEqualTo(ToleranceSpec.failures(1));
    assertThat(spec.step("each").orElseThrow().params()).hasSize(3);
    assertThat(spec.step("each").orElseThrow().parallelTasks()).isEqualTo(3);
    assertThat(spec.step("each").orElseThrow().agent().runtime()).isEqualTo("process");
    StepSpec decide = spec.step("decide").orElseThrow();
    assertThat(decide.when()).isEqualTo("results.sum.total > 10");
    assertThat(decide.then()).containsExactly("big");
    assertThat(decide.otherwise()).containsExactly("small");
    assertThat(decide.agent()).isNull();
    StepSpec small = spec.step("small").orElseThrow();
    assertThat(small.workflow().name()).isEqualTo("wordcount");
    assertThat(small.workflow().version()).isEqualTo(2);
    assertThat(small.workflow().input().get("docs").asText()).isEqualTo("${input.docs}");
  }

  @Test
  void theDagHelpersFollowDependsOnAndBranches() {
    WorkflowSpec spec = DefinitionParser.parse(Samples.ALL_KINDS_YAML, "yaml");

    assertThat(spec.roots()).extracting(StepSpec::name).containsExactly("start");
    assertThat(spec.dependants("start")).extracting(StepSpec::name).containsExactly("fan", "each");
    assertThat(spec.leaves()).extracting(StepSpec::name).containsExactly("big", "small");
  }

  @Test
  void kindDefaultsToTaskAndWhenMayBeABoolean() {
    WorkflowSpec spec =
        DefinitionParser.parse(
            Samples.oneStep(
                """
                name: a
                when: false
                agent: {image: x}
                """),
            "yaml");

    assertThat(spec.steps().get(0).kind()).isEqualTo(StepKind.TASK);
    assertThat(spec.steps().get(0).when()).isEqualTo("false");
  }

  @Test
  void envValuesThatAreScalarsBecomeText() {
    WorkflowSpec spec =
        DefinitionParser.parse(
            Samples.oneStep(
                """
                name: a
                agent: {image: x, env: {N: 5, ON: true, S: text}}
                """),
            "yaml");

    assertThat(spec.steps().get(0).agent().env())
        .containsExactlyInAnyOrderEntriesOf(Map.of("N", "5", "ON", "true", "S", "text"));
  }

  @Test
  void aSchemaKeyIsAllowedForEditors() {
    String text =
        "{\"$schema\": \"urn:agentainer:flow:definition:1\", \"name\": \"a\","
            + " \"steps\": [{\"name\": \"a\", \"agent\": {\"image\": \"x\"}}]}";

    assertThat(DefinitionParser.parse(text, "json").name()).isEqualTo("a");
  }

  @Test
  void emptyTextIsRefusedNamingTheBody() {
    assertThat(problems("", "json"))
        .containsExactly(new Problem("body", "required: a workflow definition in JSON or YAML"));
    assertThat(problems("  \n", "yaml"))
        .containsExactly(new Problem("body", "required: a workflow definition in JSON or YAML"));
    assertThat(problems("# only a comment\n", "yaml"))
        .extracting(Problem::path)
        .containsExactly("body");
  }

  @Test
  void syntaxErrorsNameTheLine() {
    List<Problem> json = problems("{\"name\": \"a\",\n \"steps\": [}", "json");
    List<Problem> yaml = problems("name: a\nsteps:\n  - name: [b\n", "yaml");

    assertThat(json)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("body");
              assertThat(p.message()).startsWith("not valid JSON at line 2, column");
            });
    assertThat(yaml)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("body");
              assertThat(p.message()).startsWith("not valid YAML at line");
            });
  }

  @Test
  void duplicateKeysAreRefused() {
    assertThat(problems("{\"name\": \"a\", \"name\": \"b\", \"steps\": []}", "json"))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("Duplicate field 'name'"));
    assertThat(problems("name: a\nname: b\nsteps: []\n", "yaml"))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("Duplicate field 'name'"));
  }

  @Test
  void aDocumentThatIsNoObjectIsRefused() {
    assertThat(problems("[1, 2]", "json"))
        .containsExactly(
            new Problem("body", "must be an object (a mapping) with name and steps, got a list"));
    assertThat(problems("just text", "yaml"))
        .containsExactly(
            new Problem("body", "must be an object (a mapping) with name and steps, got a string"));
  }

  @Test
  void unknownFormatsAreRefusedNamingTheFormat() {
    assertThatThrownBy(() -> DefinitionParser.parse("{}", "text/xml"))
        .isInstanceOfSatisfying(
            DefinitionException.class,
            e -> assertThat(e.problems()).extracting(Problem::path).containsExactly("format"));
    assertThat(DefinitionFormat.of("application/json; charset=UTF-8"))
        .isEqualTo(DefinitionFormat.JSON);
    assertThat(DefinitionFormat.of("application/vnd.flow+json")).isEqualTo(DefinitionFormat.JSON);
    assertThat(DefinitionFormat.of("text/yaml")).isEqualTo(DefinitionFormat.YAML);
    assertThat(DefinitionFormat.of("application/x-yaml")).isEqualTo(DefinitionFormat.YAML);
    assertThat(DefinitionFormat.of("yaml")).isEqualTo(DefinitionFormat.YAML);
  }

  @Test
  void tooLongATextIsRefused() {
    String text = "#".repeat(DefinitionParser.MAX_CHARS + 1);

    assertThat(problems(text, "yaml"))
        .containsExactly(
            new Problem(
                "body",
                "at most " + DefinitionParser.MAX_CHARS + " characters, got " + text.length()));
  }

  @Test
  void theExceptionCarriesTheApiShape() {
    assertThatThrownBy(() -> DefinitionParser.parse("name: Bad Name\nsteps: []\n", "yaml"))
        .isInstanceOfSatisfying(
            DefinitionException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.code()).isEqualTo("invalid_definition");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "name: must be 1 to 64 lower-case letters, digits, _ or - ([a-z0-9_-]{1,64}),"
                          + " got 'Bad Name'");
              assertThat(e.details()).containsKey("problems");
              assertThat(e.problems())
                  .containsExactly(
                      new Problem(
                          "name",
                          "must be 1 to 64 lower-case letters, digits, _ or - ([a-z0-9_-]{1,64}),"
                              + " got 'Bad Name'"),
                      new Problem("steps", "at least one step is required"));
            });
  }
}
