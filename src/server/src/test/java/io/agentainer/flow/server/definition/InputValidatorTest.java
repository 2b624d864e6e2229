package io.agentainer.flow.server.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class InputValidatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  private static final String SCHEMA =
      """
      {"type": "object", "required": ["docs"], "additionalProperties": false,
       "properties": {
         "docs": {"type": "array", "items": {"type": "string"}, "minItems": 1},
         "lines": {"type": "integer", "minimum": 1},
         "mode": {"enum": ["fast", "exact"]},
         "when": {"type": "string", "format": "date-time"}}}
      """;

  @Test
  void aMatchingInputHasNoProblems() throws Exception {
    assertThat(InputValidator.validate(json(SCHEMA), json("{\"docs\": [\"a b\"], \"lines\": 2}")))
        .isEmpty();
  }

  @Test
  void noSchemaAcceptsAnything() throws Exception {
    assertThat(InputValidator.validate(null, json("[1, 2]"))).isEmpty();
  }

  @Test
  void problemsNameThePlaceInTheInput() throws Exception {
    assertThat(
            InputValidator.validate(
                json(SCHEMA),
                json("{\"docs\": [\"a\", 3], \"lines\": 0, \"mode\": \"slow\", \"extra\": true}")))
        .containsExactly(
            new Problem("input.docs[1]", "integer found, string expected"),
            new Problem("input.extra", "is not allowed here (the schema does not define it)"),
            new Problem("input.lines", "must have a minimum value of 1"),
            new Problem(
                "input.mode", "does not have a value in the enumeration [\"fast\", \"exact\"]"));
  }

  @Test
  void aMissingRequiredFieldIsNamed() throws Exception {
    assertThat(InputValidator.validate(json(SCHEMA), json("{}")))
        .containsExactly(new Problem("input.docs", "is required"));
    assertThat(InputValidator.validate(json(SCHEMA), null))
        .containsExactly(new Problem("input.docs", "is required"));
  }

  @Test
  void formatsAreChecked() throws Exception {
    assertThat(
            InputValidator.validate(
                json(SCHEMA), json("{\"docs\": [\"x\"], \"when\": \"yesterday\"}")))
        .extracting(Problem::path)
        .containsExactly("input.when");
  }

  @Test
  void aWrongTopLevelTypeIsNamedAsInput() throws Exception {
    assertThat(InputValidator.validate(json(SCHEMA), json("[1]")))
        .containsExactly(new Problem("input", "array found, object expected"));
  }

  @Test
  void anotherRootCanBeNamed() throws Exception {
    assertThat(InputValidator.validate(json(SCHEMA), json("{}"), "body.input"))
        .containsExactly(new Problem("body.input.docs", "is required"));
  }

  @Test
  void schemasAreCheckedAgainstTheMetaSchema() throws Exception {
    assertThat(InputValidator.schemaProblems(json(SCHEMA), "parameters")).isEmpty();
    assertThat(InputValidator.schemaProblems(json("{\"minimum\": \"one\"}"), "parameters"))
        .containsExactly(new Problem("parameters.minimum", "string found, number expected"));
    assertThat(InputValidator.schemaProblems(json("true"), "parameters")).isEmpty();
  }

  @Test
  void referencesElsewhereAreRefusedWithoutFetching() throws Exception {
    JsonNode schema = json("{\"$ref\": \"http://127.0.0.1:1/other.json\"}");

    assertThat(InputValidator.schemaProblems(schema, "parameters"))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).startsWith("not a usable JSON Schema: "));
    assertThatThrownBy(() -> InputValidator.validate(schema, json("{}")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void localReferencesWork() throws Exception {
    JsonNode schema =
        json(
            "{\"$defs\": {\"n\": {\"type\": \"integer\"}}, \"type\": \"object\","
                + " \"properties\": {\"a\": {\"$ref\": \"#/$defs/n\"}}}");

    assertThat(InputValidator.validate(schema, json("{\"a\": \"x\"}")))
        .containsExactly(new Problem("input.a", "string found, integer expected"));
  }
}
