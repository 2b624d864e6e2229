package io.agentainer.flow.server.definition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each field of a pooled step's {@code pool}, read and checked with the path of its problem. */
class PoolSpecTest {

  private static final String PATH = "steps[0].pool";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Problem> problems = new ArrayList<>();

  private PoolSpec read(String json) {
    return read(tree(json));
  }

  private PoolSpec read(JsonNode node) {
    return PoolSpec.read(node, PATH, (path, message) -> problems.add(new Problem(path, message)));
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static Problem p(String field, String message) {
    return new Problem(PATH + "." + field, message);
  }

  @Test
  void readsEveryField() {
    PoolSpec spec =
        read(
            """
            {"minSize": 1, "maxSize": 5, "idleTimeout": "PT5M", "maxUses": 100, "warmUp": false,
             "shared": true, "leaseTimeout": "30s", "warmSchedule": " 0 8 * * 1-5 ",
             "warmSize": 4}
            """);

    assertThat(problems).isEmpty();
    assertThat(spec)
        .isEqualTo(
            new PoolSpec(
                1,
                5,
                Duration.ofMinutes(5),
                100,
                false,
                true,
                Duration.ofSeconds(30),
                "0 8 * * 1-5",
                4));
    assertThat(spec.isShared()).isTrue();
    assertThat(spec.warmsOnRunStart()).isFalse();
  }

  @Test
  void noSettingsAreTheDefaults() {
    assertThat(read((JsonNode) null)).isSameAs(PoolSpec.DEFAULTS);
    assertThat(read(NullNode.getInstance())).isSameAs(PoolSpec.DEFAULTS);
    assertThat(read("{}")).isEqualTo(PoolSpec.DEFAULTS);
    assertThat(read("{\"maxSize\": null, \"warmUp\": null}")).isEqualTo(PoolSpec.DEFAULTS);
    assertThat(problems).isEmpty();
    assertThat(PoolSpec.DEFAULTS.isShared()).isFalse();
    assertThat(PoolSpec.DEFAULTS.warmsOnRunStart()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"5", "\"big\"", "[1, 2]", "true"})
  void aPoolThatIsNoObjectIsRefused(String json) {
    assertThat(read(json)).isSameAs(PoolSpec.DEFAULTS);
    assertThat(problems)
        .containsExactly(new Problem(PATH, "must be an object such as {maxSize: 5}"));
  }

  @Test
  void anUnknownFieldIsNamedWithTheKnownOnes() {
    PoolSpec spec = read("{\"maxsize\": 5, \"maxSize\": 3}");
    assertThat(problems)
        .containsExactly(
            p(
                "maxsize",
                "unknown field; expected one of [idleTimeout, leaseTimeout, maxSize, maxUses,"
                    + " minSize, shared, warmSchedule, warmSize, warmUp]"));
    assertThat(spec.maxSize()).isEqualTo(3);
  }

  @Test
  void minSizeIsAtLeastZero() {
    assertThat(read("{\"minSize\": -1}").minSize()).isNull();
    assertThat(problems).containsExactly(p("minSize", "must be at least 0, got -1"));
    problems.clear();
    assertThat(read("{\"minSize\": 0}").minSize()).isZero();
    assertThat(problems).isEmpty();
  }

  @Test
  void maxSizeIsAtLeastOne() {
    assertThat(read("{\"maxSize\": 0}").maxSize()).isNull();
    assertThat(problems).containsExactly(p("maxSize", "must be at least 1, got 0"));
  }

  @Test
  void maxUsesIsAtLeastOneAndWarmSizeAtLeastZero() {
    read("{\"maxUses\": 0, \"warmSize\": -2}");
    assertThat(problems)
        .containsExactlyInAnyOrder(
            p("maxUses", "must be at least 1, got 0"), p("warmSize", "must be at least 0, got -2"));
  }

  @Test
  void minSizeMustNotExceedMaxSize() {
    PoolSpec spec = read("{\"minSize\": 3, \"maxSize\": 2}");
    assertThat(problems).containsExactly(p("minSize", "must not exceed maxSize (2), got 3"));
    assertThat(spec.minSize()).isEqualTo(3);
    problems.clear();
    read("{\"minSize\": 2, \"maxSize\": 2}");
    assertThat(problems).isEmpty();
  }

  @Test
  void warmSizeMustNotExceedMaxSize() {
    read("{\"warmSize\": 6, \"maxSize\": 5}");
    assertThat(problems).containsExactly(p("warmSize", "must not exceed maxSize (5), got 6"));
    problems.clear();
    read("{\"warmSize\": 5, \"maxSize\": 5}");
    assertThat(problems).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "minSize  | 1.5",
        "maxSize  | \"5\"",
        "maxUses  | true",
        "warmSize | 3000000000",
        "maxSize  | {}"
      })
  void sizesMustBeWholeNumbers(String field, String value) {
    PoolSpec spec = read("{\"" + field + "\": " + value + "}");
    assertThat(problems)
        .containsExactly(p(field, "must be a whole number, got " + tree(value).toString()));
    assertThat(spec).isEqualTo(PoolSpec.DEFAULTS);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"warmUp | \"yes\"", "shared | 1", "warmUp | \"true\"", "shared | [true]"})
  void warmUpAndSharedMustBeBooleans(String field, String value) {
    PoolSpec spec = read("{\"" + field + "\": " + value + "}");
    assertThat(problems).containsExactly(p(field, "must be true or false, got " + tree(value)));
    assertThat(spec).isEqualTo(PoolSpec.DEFAULTS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"idleTimeout", "leaseTimeout"})
  void durationsMustParse(String field) {
    read("{\"" + field + "\": \"soon\"}");
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0).path()).isEqualTo(PATH + "." + field);
    assertThat(problems.get(0).message())
        .startsWith("not a duration (e.g. PT30M, P30D or 30m), got '")
        .containsIgnoringCase("soon")
        .doesNotContain(PATH); // the path is said once, not again inside the message
  }

  @ParameterizedTest
  @ValueSource(strings = {"idleTimeout", "leaseTimeout"})
  void durationsMustBeMoreThanZero(String field) {
    assertThat(read("{\"" + field + "\": \"PT0S\"}")).isEqualTo(PoolSpec.DEFAULTS);
    assertThat(problems).containsExactly(p(field, "must be more than zero, got 'PT0S'"));
    problems.clear();
    read("{\"" + field + "\": \"0s\"}");
    assertThat(problems).containsExactly(p(field, "must be more than zero, got '0s'"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"idleTimeout", "leaseTimeout"})
  void durationsMustNotBeNegativeOrNumbersOrBlank(String field) {
    read("{\"" + field + "\": \"-PT1M\"}");
    read("{\"" + field + "\": 30}");
    read("{\"" + field + "\": \" \"}");
    assertThat(problems)
        .containsExactly(
            p(field, "must not be negative, got '-PT1M'"),
            p(field, "must be a non-empty string, got 30"),
            p(field, "must be a non-empty string, got \" \""));
  }

  @Test
  void durationsAreReadInEitherForm() {
    PoolSpec spec = read("{\"idleTimeout\": \"5m\", \"leaseTimeout\": \"PT2M\"}");
    assertThat(problems).isEmpty();
    assertThat(spec.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(spec.leaseTimeout()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void aBadCronExpressionIsNamed() {
    PoolSpec spec = read("{\"warmSchedule\": \"every morning\"}");
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0).path()).isEqualTo(PATH + ".warmSchedule");
    assertThat(problems.get(0).message())
        .startsWith(
            "not a five-field cron expression (minute hour day month weekday), e.g. '0 8 * * 1-5':"
                + " ");
    // the spec still carries what was written; the problem makes the definition invalid
    assertThat(spec.warmSchedule()).isEqualTo("every morning");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0 0 8 * * ?", "61 8 * * *", "0 25 * * *", "0 8 * * 1-9", "x"})
  void cronExpressionsOfOtherShapesOrOutOfRangeAreRefused(String expression) {
    read(JSON.createObjectNode().put("warmSchedule", expression));
    assertThat(problems).extracting(Problem::path).containsExactly(PATH + ".warmSchedule");
    assertThat(PoolSpec.cronProblem(expression)).isPresent();
  }

  @Test
  void aBlankCronExpressionIsRefused() {
    read("{\"warmSchedule\": \"\"}");
    assertThat(problems).containsExactly(p("warmSchedule", "must be a non-empty string, got \"\""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0 8 * * 1-5", "*/15 * * * *", "30 6 1 * *", "0 0 * * 0"})
  void goodCronExpressionsPass(String expression) {
    PoolSpec spec = read(JSON.createObjectNode().put("warmSchedule", expression));
    assertThat(problems).isEmpty();
    assertThat(spec.warmSchedule()).isEqualTo(expression);
    assertThat(PoolSpec.cronProblem(expression)).isEmpty();
  }

  @Test
  void cronProblemExplainsTheExpectedShape() {
    assertThat(PoolSpec.cronProblem("every morning"))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .startsWith(
                        "not a five-field cron expression (minute hour day month weekday)"));
  }

  @Test
  void everyProblemIsReported() {
    read(
        """
        {"minSize": -1, "maxSize": 0, "idleTimeout": "soon", "maxUses": 0, "warmUp": "yes",
         "shared": "no", "leaseTimeout": "0s", "warmSchedule": "every morning", "warmSize": 1.5,
         "colour": "blue"}
        """);
    assertThat(problems)
        .extracting(Problem::path)
        .containsExactly(
            PATH + ".colour",
            PATH + ".minSize",
            PATH + ".maxSize",
            PATH + ".warmSize",
            PATH + ".warmSchedule",
            PATH + ".idleTimeout",
            PATH + ".maxUses",
            PATH + ".warmUp",
            PATH + ".shared",
            PATH + ".leaseTimeout");
  }

  @Test
  void theNextCronTimeOfAWeekdayScheduleAfterAFridayMorningIsMonday() {
    Instant friday = Instant.parse("2024-03-08T09:00:00Z");
    assertThat(friday.atZone(ZoneOffset.UTC).getDayOfWeek()).isEqualTo(DayOfWeek.FRIDAY);

    assertThat(PoolSpec.nextCronTime("0 8 * * 1-5", friday))
        .hasValue(Instant.parse("2024-03-11T08:00:00Z"));
  }

  @Test
  void theNextCronTimeIsLaterTheSameDayWhenDue() {
    assertThat(PoolSpec.nextCronTime("0 8 * * 1-5", Instant.parse("2024-03-06T07:59:00Z")))
        .hasValue(Instant.parse("2024-03-06T08:00:00Z"));
    // exactly at a cron time: the next one, not the same one
    assertThat(PoolSpec.nextCronTime("0 8 * * 1-5", Instant.parse("2024-03-06T08:00:00Z")))
        .hasValue(Instant.parse("2024-03-07T08:00:00Z"));
    assertThat(PoolSpec.nextCronTime("*/15 * * * *", Instant.parse("2024-03-06T10:07:30Z")))
        .hasValue(Instant.parse("2024-03-06T10:15:00Z"));
  }
}
