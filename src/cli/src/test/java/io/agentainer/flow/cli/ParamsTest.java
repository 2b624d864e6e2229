package io.agentainer.flow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules of {@code --param KEY=VALUE}. */
class ParamsTest {

  private final ObjectMapper mapper = new ObjectMapper();

  private JsonNode json(String text) throws IOException {
    return mapper.readTree(text);
  }

  private JsonNode merge(String input, String... params) throws IOException {
    return Params.merge(
        input == null ? null : json(input), Stream.of(params).map(Params::parse).toList());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "10          | 10",
        "-2.5e3      | -2500.0",
        "true        | true",
        "null        | null",
        "[1, \"a\"]  | [1,\"a\"]",
        "{\"a\": 1}  | {\"a\":1}",
        "\"10\"      | \"10\"",
      })
  void aValueThatReadsAsJsonIsJson(String text, String expected) throws IOException {
    assertThat(Params.value(text.strip())).isEqualTo(json(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"hello", "hello world", "01", "NaN", "{", "1 2", "tru", "'x'", " "})
  void anythingElseIsTheTextAsAString(String text) {
    JsonNode value = Params.value(text);
    assertThat(value.isTextual()).isTrue();
    assertThat(value.asText()).isEqualTo(text);
  }

  @Test
  void anEmptyValueIsAnEmptyString() {
    assertThat(Params.parse("name=").value().asText()).isEmpty();
    assertThat(Params.parse("name=").value().isTextual()).isTrue();
  }

  @Test
  void onlyTheFirstEqualsSignSplits() {
    Params.Param param = Params.parse("filter=a=b");
    assertThat(param.path()).containsExactly("filter");
    assertThat(param.value().asText()).isEqualTo("a=b");
  }

  @Test
  void dotsNestKeys() throws IOException {
    assertThat(merge(null, "limits.max=5", "limits.min=1", "name=x", "a.b.c=true"))
        .isEqualTo(
            json("{\"limits\":{\"max\":5,\"min\":1},\"name\":\"x\",\"a\":{\"b\":{\"c\":true}}}"));
  }

  @Test
  void paramsAreLaidOverTheInputALaterOneWinning() throws IOException {
    JsonNode input = json("{\"docs\":[\"a\"],\"limits\":{\"max\":1,\"min\":0}}");
    assertThat(
            Params.merge(
                input,
                List.of(Params.parse("limits.max=9"), Params.parse("n=1"), Params.parse("n=2"))))
        .isEqualTo(json("{\"docs\":[\"a\"],\"limits\":{\"max\":9,\"min\":0},\"n\":2}"));
    // the input given is not changed
    assertThat(input.path("limits").path("max").asInt()).isEqualTo(1);
  }

  @Test
  void noInputAndNoParamsIsAnEmptyObject() throws IOException {
    assertThat(merge(null)).isEqualTo(json("{}"));
    assertThat(merge("null")).isEqualTo(json("{}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"novalue", "=1", ".a=1", "a.=1", "a..b=1", " =1"})
  void aParamNeedsAKeyAndAnEqualsSign(String text) {
    assertThatThrownBy(() -> Params.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aKeyCannotGoThroughAValueThatIsNotAnObject() {
    assertThatThrownBy(() -> merge(null, "a=1", "a.b=2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid value for option '--param': a.b=2: a is already 1, not an object");
  }

  @Test
  void paramsNeedAnObjectInput() {
    assertThatThrownBy(() -> merge("[1]", "a=1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid value for option '--input'");
  }
}
