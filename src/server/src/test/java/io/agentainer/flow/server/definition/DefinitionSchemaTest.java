package io.agentainer.flow.server.definition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The published JSON Schema: a valid 2020-12 schema that agrees with the parser. */
class DefinitionSchemaTest {

  private static final JsonNode SCHEMA = DefinitionService.schema();

  private static JsonNode yaml(String text) {
    return DefinitionParser.readTree(text, DefinitionFormat.YAML);
  }

  private static List<Problem> againstSchema(JsonNode definition) {
    return InputValidator.validate(SCHEMA, definition, "definition");
  }

  private static Set<String> keys(JsonNode object) {
    Set<String> keys = new HashSet<>();
    object.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  private static Set<String> strings(JsonNode array) {
    Set<String> values = new HashSet<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  @Test
  void isAValidDraft202012Schema() {
    assertThat(SCHEMA.get("$schema").asText())
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(InputValidator.schemaProblems(SCHEMA, "schema")).isEmpty();
  }

  @Test
  void acceptsTheValidSamplesAsWrittenAndInCanonicalForm() {
    for (String sample : List.of(Samples.WORDCOUNT_YAML, Samples.ALL_KINDS_YAML)) {
      assertThat(againstSchema(yaml(sample))).isEmpty();
      assertThat(againstSchema(SpecJson.toTree(DefinitionParser.parse(sample, "yaml")))).isEmpty();
    }
    assertThat(
            againstSchema(DefinitionParser.readTree(Samples.WORDCOUNT_JSON, DefinitionFormat.JSON)))
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "name: Bad\nsteps: [{name: a, agent: {image: x}}]",
        "name: d\nsteps: []",
        "name: d\ncolour: red\nsteps: [{name: a, agent: {image: x}}]",
        "name: d\ntimeout: soon\nsteps: [{name: a, agent: {image: x}}]",
        "name: d\nsteps: [{name: a, kind: loop, agent: {image: x}}]",
        "name: d\nsteps: [{name: a}]",
        "name: d\nsteps: [{name: a, agent: {image: x}, retyr: {}}]",
        "name: d\nsteps: [{name: a, agent: {image: x}, retry: {maxAttempts: 0}}]",
        "name: d\nsteps: [{name: a, agent: {image: x}, executionMode: warm}]",
        "name: d\nsteps: [{name: p, kind: parallel, agent: {image: x}}]",
        "name: d\nsteps: [{name: p, kind: parallel, count: 2, params: [1], agent: {image: x}}]",
        "name: d\nsteps: [{name: m, kind: map, agent: {image: x}}]",
        "name: d\nsteps: [{name: m, kind: map, items: x, count: 2, agent: {image: x}}]",
        "name: d\nsteps: [{name: b, kind: branch, then: [a]}]",
        "name: d\nsteps: [{name: b, kind: branch, when: x, then: [a], agent: {image: x}}]",
        "name: d\nsteps: [{name: w, kind: workflow}]",
        "name: d\nsteps: [{name: a, agent: {image: x},"
            + " tolerance: {minSuccessRatio: 0.5, maxFailures: 1}}]",
        "name: d\nsteps: [{name: a, agent: {image: x}, tolerance: {minSuccessRatio: 0}}]",
        "name: d\nsteps: [{name: a, agent: {image: x, memoryMb: 0}}]",
        "name: d\nsteps: [{name: a, agent: {image: x, env: {FLOW_TOKEN: t}}}]",
      })
  void refusesWhatTheParserRefusesForItsShape(String text) {
    assertThat(DefinitionParser.problems(text, "yaml")).isNotEmpty();
    assertThat(againstSchema(yaml(text))).isNotEmpty();
  }

  @Test
  void knowsTheSameFieldsAsTheParser() {
    JsonNode defs = SCHEMA.get("$defs");
    assertThat(keys(SCHEMA.get("properties"))).isEqualTo(Set.copyOf(SpecReader.WORKFLOW_FIELDS));
    assertThat(keys(defs.get("step").get("properties")))
        .isEqualTo(Set.copyOf(SpecReader.STEP_FIELDS));
    assertThat(keys(defs.get("agent").get("properties")))
        .isEqualTo(Set.copyOf(SpecReader.AGENT_FIELDS));
    assertThat(keys(defs.get("retry").get("properties")))
        .isEqualTo(Set.copyOf(SpecReader.RETRY_FIELDS));
    assertThat(keys(defs.get("tolerance").get("properties")))
        .isEqualTo(Set.copyOf(SpecReader.TOLERANCE_FIELDS));
    assertThat(keys(defs.get("workflowRef").get("properties")))
        .isEqualTo(Set.copyOf(SpecReader.WORKFLOW_REF_FIELDS));
  }

  @Test
  void knowsTheKindsAndTheirFieldsAsTheParserDoes() {
    JsonNode step = SCHEMA.get("$defs").get("step");
    assertThat(strings(step.get("properties").get("kind").get("enum")))
        .isEqualTo(Set.copyOf(Arrays.stream(StepKind.values()).map(StepKind::wire).toList()));

    List<StepKind> seen = new ArrayList<>();
    for (JsonNode rule : step.get("allOf")) {
      JsonNode condition = rule.get("if");
      Set<String> fields = strings(rule.get("then").get("propertyNames").get("enum"));
      JsonNode constKind = condition.at("/properties/kind/const");
      StepKind kind =
          constKind.isMissingNode()
              ? StepKind.TASK // the rule for steps without kind, or with kind task
              : StepKind.fromWire(constKind.asText());
      assertThat(fields).as("fields of %s", kind).isEqualTo(SpecReader.KIND_FIELDS.get(kind));
      seen.add(kind);
    }
    assertThat(seen).containsExactlyInAnyOrder(StepKind.values());
  }

  @Test
  void durationsOfBothFormsMatchThePattern() {
    String pattern = SCHEMA.get("$defs").get("duration").get("pattern").asText();
    for (String ok :
        List.of("PT30M", "P30D", "P1W", "PT1.5S", "30m", "500ms", "2h", "1d", "pt5m")) {
      assertThat(ok).matches(pattern);
    }
    for (String bad : List.of("P", "PT", "soon", "30", "1 minute", "-PT1S")) {
      assertThat(bad).doesNotMatch(pattern);
    }
  }
}
