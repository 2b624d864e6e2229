package io.agentainer.flow.console.ui.definitions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import org.junit.jupiter.api.Test;

class ParametersFormTest {

  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode schema() throws Exception {
    return JSON.readTree(
        """
        {"type": "object", "required": ["docs", "limit"],
         "properties": {
           "docs": {"type": "array", "items": {"type": "string"}},
           "limit": {"type": "integer"},
           "ratio": {"type": ["number", "null"], "default": 0.5},
           "label": {"type": "string", "description": "shown on the run"},
           "dryRun": {"type": "boolean", "default": true},
           "options": {"type": "object"}}}
        """);
  }

  private static <T> T field(ParametersForm form, String name, Class<T> type) {
    return form.getChildren()
        .filter(c -> c.getId().orElse("").equals("param-" + name))
        .map(type::cast)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aFieldPerPropertyTypedAndLabelledWithRequiredOnesMarked() throws Exception {
    ParametersForm form = new ParametersForm(schema());
    assertThat(form.hasFields()).isTrue();
    assertThat(field(form, "docs", TextArea.class).getLabel()).isEqualTo("docs *");
    assertThat(field(form, "limit", TextField.class).getLabel()).isEqualTo("limit *");
    assertThat(field(form, "ratio", TextField.class).getValue()).isEqualTo("0.5");
    assertThat(field(form, "dryRun", Checkbox.class).getValue()).isTrue();
    assertThat(field(form, "label", TextField.class).getLabel()).isEqualTo("label");
  }

  @Test
  void theFilledFieldsMakeTheInputWithTheirTypes() throws Exception {
    ParametersForm form = new ParametersForm(schema());
    form.set("docs", "[\"a b\", \"c\"]");
    form.set("limit", "12");
    form.set("label", "nightly");
    form.set("dryRun", "false");

    JsonNode input = form.value().orElseThrow();

    assertThat(input.toString())
        .isEqualTo(
            "{\"docs\":[\"a b\",\"c\"],\"limit\":12,\"ratio\":0.5,\"label\":\"nightly\","
                + "\"dryRun\":false}");
    assertThat(input.get("limit").isIntegralNumber()).isTrue();
  }

  @Test
  void eachWrongFieldShowsItsProblemAndNothingIsMade() throws Exception {
    ParametersForm form = new ParametersForm(schema());
    form.set("docs", "{\"not\": \"a list\"}");
    form.set("limit", "1.5");
    form.set("ratio", "half");
    form.set("options", "[1]");

    assertThat(form.value()).isEmpty();
    assertThat(field(form, "docs", TextArea.class).isInvalid()).isTrue();
    assertThat(field(form, "docs", TextArea.class).getErrorMessage())
        .isEqualTo("docs: must be a JSON list");
    assertThat(field(form, "limit", TextField.class).getErrorMessage())
        .isEqualTo("limit: not a whole number: '1.5'");
    assertThat(field(form, "ratio", TextField.class).getErrorMessage())
        .isEqualTo("ratio: not a number: 'half'");
    assertThat(field(form, "options", TextArea.class).getErrorMessage())
        .isEqualTo("options: must be a JSON object");
    assertThat(field(form, "label", TextField.class).isInvalid()).isFalse();

    form.set("docs", "");
    form.value();
    assertThat(field(form, "docs", TextArea.class).getErrorMessage()).isEqualTo("docs: required");
  }

  @Test
  void theServersProblemLandsOnTheFieldItNames() throws Exception {
    ParametersForm form = new ParametersForm(schema());
    assertThat(form.showProblem("input.docs[0]", "must be a string")).isTrue();
    assertThat(field(form, "docs", TextArea.class).getErrorMessage())
        .isEqualTo("input.docs[0]: must be a string");
    assertThat(form.showProblem("input.ghost", "unknown")).isFalse();
    assertThat(form.showProblem(null, "whole input")).isFalse();
  }

  @Test
  void noPropertiesMeansNoForm() throws Exception {
    assertThat(new ParametersForm(null).hasFields()).isFalse();
    assertThat(new ParametersForm(JSON.readTree("{\"type\": \"object\"}")).hasFields()).isFalse();
    assertThat(new ParametersForm(null).value().orElseThrow()).isEmpty();
  }
}
