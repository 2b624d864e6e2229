package io.agentainer.flow.server.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentainer.flow.server.api.ApiException;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StateValuesTest {

  private static JsonNode json(String text) {
    return StateValues.read(text);
  }

  @Test
  void numbersStayExactAndWholeNumbersHaveNoFraction() {
    assertThat(StateValues.number(new BigDecimal("2.50")).toString()).isEqualTo("2.5");
    assertThat(StateValues.number(new BigDecimal("3.000")).toString()).isEqualTo("3");
    assertThat(StateValues.number(new BigDecimal("0.000")).toString()).isEqualTo("0");
    assertThat(StateValues.number(new BigDecimal("1E+3")).toString()).isEqualTo("1000");
    assertThat(StateValues.number(new BigDecimal("123456789012345678901234567890")).toString())
        .isEqualTo("123456789012345678901234567890");
    JsonNode sum = StateValues.apply(json("0.1"), StateOp.INCREMENT, null, new BigDecimal("0.2"));
    assertThat(StateValues.write(sum)).isEqualTo("0.3");
    assertThat(StateValues.isLong(new BigDecimal("5.0"))).isTrue();
    assertThat(StateValues.isLong(new BigDecimal("5.5"))).isFalse();
    assertThat(StateValues.isLong(new BigDecimal("9223372036854775808"))).isFalse();
  }

  @Test
  void eachOpChangesAValueAsTheHistorySays() {
    assertThat(StateValues.apply(null, StateOp.INCREMENT, null, BigDecimal.TEN))
        .isEqualTo(json("10"));
    assertThat(StateValues.apply(null, StateOp.APPEND, json("1"), null)).isEqualTo(json("[1]"));
    assertThat(StateValues.apply(json("[1]"), StateOp.ADD_TO_SET, json("2"), null))
        .isEqualTo(json("[1,2]"));
    assertThat(StateValues.apply(json("1"), StateOp.DELETE, null, null)).isNull();
    assertThat(StateValues.apply(json("1"), StateOp.PUT, json("{}"), null)).isEqualTo(json("{}"));
    assertThat(StateValues.apply(json("1"), StateOp.COMPARE_AND_SWAP, json("2"), null))
        .isEqualTo(json("2"));
  }

  @Test
  void sameComparesNumbersByValueAndNullAsAbsent() {
    assertThat(StateValues.same(json("1"), json("1.0"))).isTrue();
    assertThat(StateValues.same(json("{\"a\": [1, 2.0]}"), json("{\"a\": [1.00, 2]}"))).isTrue();
    assertThat(StateValues.same(json("\"1\""), json("1"))).isFalse();
    assertThat(StateValues.same(null, json("null"))).isTrue();
    assertThat(StateValues.same(null, json("0"))).isFalse();
    assertThat(StateValues.contains(json("[\"a\", 2]"), json("2.0"))).isTrue();
    assertThat(StateValues.type(json("[]"))).isEqualTo("array");
    assertThat(StateValues.type(json("true"))).isEqualTo("boolean");
    assertThat(StateValues.describe("object")).isEqualTo("a map");
    assertThat(StateValues.describe("null")).isEqualTo("null");
  }

  @Test
  void aRequestBodyIsReadAsItStreamsIn() {
    StateInput.Value small = read("{\"value\": {\"a\": [1, 2]}}", 100);
    assertThat(small.isLarge()).isFalse();
    assertThat(small.inline()).isEqualTo(json("{\"a\": [1, 2]}"));
    assertThat(small.type()).isEqualTo("object");
    StateInput.Value nothing = read("{\"value\": null}", 100);
    assertThat(nothing.inline().isNull()).isTrue();
    StateInput.Value large = read("{\"value\": \"" + "x".repeat(5000) + "\"}", 100);
    assertThat(large.isLarge()).isTrue();
    assertThat(large.size()).isEqualTo(5002);
    assertThat(large.type()).isEqualTo("string");
    assertThat(large.compressed().length).isLessThan(200);
  }

  @Test
  void aBadRequestBodyNamesWhatIsWrong() {
    assertBad("not json", "body: not valid JSON");
    assertBad("[1]", "body: expected a JSON object");
    assertBad("{}", "value: required");
    assertBad("{\"value\": 1, \"other\": 2}", "other: unknown field");
    assertBad("{\"value\": 1} trailing", "body:");
    assertBad("{\"value\": [1, 2", "body: not valid JSON");
  }

  private static void assertBad(String body, String message) {
    assertThatThrownBy(() -> read(body, 100))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageStartingWith(message);
  }

  private static StateInput.Value read(String body, int limit) {
    return StateInput.read(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), limit);
  }
}
