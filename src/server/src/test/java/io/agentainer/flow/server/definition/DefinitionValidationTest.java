package io.agentainer.flow.server.definition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each rule of a definition, with the exact path and message of its problem. */
class DefinitionValidationTest {

  private static List<Problem> problems(String yaml) {
    return DefinitionParser.problems(yaml, "yaml");
  }

  private static List<Problem> problemsOfStep(String step) {
    return problems(Samples.oneStep(step));
  }

  private static Problem p(String path, String message) {
    return new Problem(path, message);
  }

  @Test
  void theSamplesAreValid() {
    assertThat(problems(Samples.WORDCOUNT_YAML)).isEmpty();
    assertThat(problems(Samples.ALL_KINDS_YAML)).isEmpty();
    assertThat(DefinitionParser.problems(Samples.WORDCOUNT_JSON, "json")).isEmpty();
  }

  // --- names

  @Test
  void theNameIsRequiredAndFollowsItsPattern() {
    assertThat(problems("steps: [{name: a, agent: {image: x}}]"))
        .containsExactly(p("name", "required"));
    assertThat(problems("name: Word Count\nsteps: [{name: a, agent: {image: x}}]"))
        .containsExactly(
            p(
                "name",
                "must be 1 to 64 lower-case letters, digits, _ or - ([a-z0-9_-]{1,64}), got"
                    + " 'Word Count'"));
    assertThat(problems("name: " + "a".repeat(65) + "\nsteps: [{name: a, agent: {image: x}}]"))
        .extracting(Problem::path)
        .containsExactly("name");
    assertThat(problems("name: schema\nsteps: [{name: a, agent: {image: x}}]"))
        .containsExactly(p("name", "'schema' is reserved; choose another name"));
  }

  @Test
  void atLeastOneStepIsRequired() {
    assertThat(problems("name: a\nsteps: []"))
        .containsExactly(p("steps", "at least one step is required"));
    assertThat(problems("name: a")).containsExactly(p("steps", "at least one step is required"));
  }

  @Test
  void stepNamesAreRequiredValidAndUnique() {
    assertThat(
            problems(
                """
                name: d
                steps:
                  - {name: a, agent: {image: x}}
                  - {name: a, agent: {image: x}}
                  - {agent: {image: x}}
                  - {name: a b, agent: {image: x}}
                """))
        .containsExactly(
            p("steps[1].name", "duplicate step name 'a' (also steps[0])"),
            p("steps[2].name", "required"),
            p(
                "steps[3].name",
                "must be 1 to 64 letters, digits, _ or - ([A-Za-z0-9_-]{1,64}), got 'a b'"));
  }

  // --- kinds and fields

  @Test
  void anUnknownKindIsNamed() {
    assertThat(problemsOfStep("name: a\nkind: loop\nagent: {image: x}"))
        .containsExactly(
            p(
                "steps[a].kind",
                "unknown kind 'loop'; expected one of task, parallel, map, reduce, branch,"
                    + " workflow"));
  }

  @Test
  void unknownFieldsAreNamedAtEveryLevel() {
    List<Problem> problems =
        problems(
            """
            name: d
            colour: blue
            steps:
              - name: a
                retyr: {maxAttempts: 2}
                agent: {imgae: x, image: y}
                retry: {maxAttempt: 2}
                tolerance: {maxFailure: 1}
              - name: w
                kind: workflow
                workflow: {name: other, versoin: 2}
            """);

    assertThat(problems)
        .extracting(Problem::path)
        .containsExactly(
            "colour",
            "steps[a].retyr",
            "steps[a].agent.imgae",
            "steps[a].retry.maxAttempt",
            "steps[a].tolerance.maxFailure",
            "steps[w].workflow.versoin");
    assertThat(problems.get(0).message())
        .isEqualTo(
            "unknown field 'colour'; expected one of name, description, parameters, timeout,"
                + " maxParallel, retention, steps");
    assertThat(problems.get(1).message())
        .startsWith("unknown field 'retyr'; expected one of name,");
    assertThat(problems.get(3).message())
        .isEqualTo(
            "unknown field 'maxAttempt'; expected one of maxAttempts, backoff, initialDelay,"
                + " maxDelay, jitter");
  }

  @Test
  void fieldsOfAnotherKindAreRefused() {
    assertThat(
            problemsOfStep(
                """
                name: m
                kind: map
                items: ${input.docs}
                count: 3
                then: [m]
                agent: {image: x}
                """))
        .containsExactly(
            p("steps[m].count", "not allowed in a map step"),
            p("steps[m].then", "not allowed in a map step"));
    assertThat(
            problemsOfStep(
                """
                name: b
                kind: branch
                when: "true"
                then: [b2]
                agent: {image: x}
                retry: {maxAttempts: 2}
                """))
        .contains(
            p("steps[b].agent", "not allowed in a branch step"),
            p("steps[b].retry", "not allowed in a branch step"));
  }

  @Test
  void wrongTypesAreNamed() {
    assertThat(
            problems(
                """
                name: d
                maxParallel: many
                steps:
                  - name: p
                    kind: parallel
                    count: "5"
                    agent: {image: x, cpus: lots}
                    dependsOn: a
                  - just a string
                """))
        .containsExactly(
            p("maxParallel", "must be a whole number, got a string \"many\""),
            p("steps[p].dependsOn", "must be a list of step names, got a string"),
            p("steps[p].agent.cpus", "must be a number, got a string \"lots\""),
            p("steps[p].count", "must be a whole number, got a string \"5\""),
            p("steps[1]", "must be an object with name and kind, got a string"));
  }

  // --- references and cycles

  @Test
  void dependsOnNamesKnownStepsOnce() {
    assertThat(
            problems(
                """
                name: d
                steps:
                  - {name: a, agent: {image: x}}
                  - {name: b, dependsOn: [a, zz, a, b], agent: {image: x}}
                """))
        .containsExactly(
            p("steps[b].dependsOn[1]", "unknown step 'zz'"),
            p("steps[b].dependsOn[2]", "'a' is listed twice"),
            p("steps[b].dependsOn[3]", "a step cannot depend on itself"));
  }

  @Test
  void cyclesNameTheirSteps() {
    assertThat(
            problems(
                """
                name: d
                steps:
                  - {name: start, agent: {image: x}}
                  - {name: a, dependsOn: [start, c], agent: {image: x}}
                  - {name: b, dependsOn: [a], agent: {image: x}}
                  - {name: c, dependsOn: [b], agent: {image: x}}
                  - {name: x, dependsOn: [y], agent: {image: x}}
                  - {name: y, dependsOn: [x], agent: {image: x}}
                """))
        .containsExactly(
            p(
                "steps[a].dependsOn",
                "dependency cycle: a -> c -> b -> a (each step depends on the next)"),
            p(
                "steps[x].dependsOn",
                "dependency cycle: x -> y -> x (each step depends on the next)"));
  }

  @Test
  void aReduceNeedsAFanOutUpstream() {
    assertThat(
            problems(
                """
                name: d
                steps:
                  - {name: a, agent: {image: x}}
                  - {name: r, kind: reduce, dependsOn: [a], agent: {image: x}}
                  - {name: r2, kind: reduce, agent: {image: x}}
                """))
        .containsExactly(
            p(
                "steps[r].dependsOn",
                "a reduce step needs a parallel or map step among its dependsOn, got [a]"),
            p(
                "steps[r2].dependsOn",
                "a reduce step needs a parallel or map step among its dependsOn, got []"));
  }

  @Test
  void aReduceOverAFanOutTwoStepsUpIsStillRefused() {
    // the reduce receives the results of the steps it depends on directly
    assertThat(
            problems(
                """
                name: d
                steps:
                  - {name: fan, kind: parallel, count: 2, agent: {image: x}}
                  - {name: mid, dependsOn: [fan], agent: {image: x}}
                  - {name: r, kind: reduce, dependsOn: [mid], agent: {image: x}}
                """))
        .extracting(Problem::path)
        .containsExactly("steps[r].dependsOn");
  }

  @Test
  void expressionsReadResultsOfStepsThatRunBefore() {
    assertThat(
            problems(
                """
                name: d
                steps:
                  - {name: a, agent: {image: x}}
                  - {name: b, agent: {image: x}}
                  - name: m
                    kind: map
                    dependsOn: [a]
                    items: ${results.b.docs}
                    agent: {image: x}
                  - name: t
                    dependsOn: [m]
                    when: results.nope.ok
                    agent: {image: x}
                    input: {first: "${results.a.docs[0]}", bad: "${results['b'].x}"}
                """))
        .containsExactly(
            p(
                "steps[m].items",
                "reads results of 'b', which is not among the steps it depends on (directly or"
                    + " not)"),
            p("steps[t].when", "reads results of unknown step 'nope'"),
            p(
                "steps[t].input.bad",
                "reads results of 'b', which is not among the steps it depends on (directly or"
                    + " not)"));
  }

  // --- kinds' requirements

  @Test
  void aMapNeedsItems() {
    assertThat(problemsOfStep("name: m\nkind: map\nagent: {image: x}"))
        .containsExactly(
            p(
                "steps[m].items",
                "required for a map step: the list to map over, e.g. ${results.list.docs},"
                    + " ${input.docs} or ${state.key}"));
  }

  @Test
  void aParallelNeedsExactlyOneOfCountAndParams() {
    assertThat(problemsOfStep("name: p\nkind: parallel\nagent: {image: x}"))
        .containsExactly(
            p(
                "steps[p].count",
                "a parallel step needs count (the number of tasks) or params (one entry per"
                    + " task)"));
    assertThat(problemsOfStep("name: p\nkind: parallel\ncount: 2\nparams: [{}]\nagent: {image: x}"))
        .containsExactly(p("steps[p].count", "give count or params, not both"));
    assertThat(problemsOfStep("name: p\nkind: parallel\nparams: []\nagent: {image: x}"))
        .containsExactly(p("steps[p].params", "must not be empty: one entry per task"));
  }

  @Test
  void aBranchNeedsWhenAndThenNamingKnownLaterSteps() {
    assertThat(
            problems(
                """
                name: d
                steps:
                  - {name: a, agent: {image: x}}
                  - {name: b, kind: branch, dependsOn: [a]}
                  - {name: c, kind: branch, dependsOn: [a], when: "true", then: [a, zz, c], else: [yy]}
                """))
        .containsExactly(
            p("steps[b].when", "required for a branch step: the condition, in Jakarta EL"),
            p(
                "steps[b].then",
                "required for a branch step: the steps to run when the condition holds"),
            p("steps[c].then[0]", "'a' runs before this branch (the branch depends on it)"),
            p("steps[c].then[1]", "unknown step 'zz'"),
            p("steps[c].then[2]", "a branch cannot name itself"),
            p("steps[c].else[0]", "unknown step 'yy'"));
  }

  @Test
  void stepsWithJobsNeedAnAgentImage() {
    assertThat(problemsOfStep("name: a"))
        .containsExactly(p("steps[a].agent", "required for a task step: {image, handler}"));
    assertThat(problemsOfStep("name: m\nkind: map\nitems: input.docs\nagent: {handler: h}"))
        .containsExactly(
            p(
                "steps[m].agent.image",
                "required for a map step, e.g. agentainer/example-agent:latest"));
    assertThat(problemsOfStep("name: a\nagent: {image: Bad Image}"))
        .containsExactly(p("steps[a].agent.image", "not an image name: 'Bad Image'"));
  }

  @Test
  void theAgentsSettingsAreChecked() {
    assertThat(
            problemsOfStep(
                """
                name: a
                agent:
                  image: x
                  handler: "no spaces"
                  runtime: kubernetes
                  cpus: 0
                  memoryMb: 0
                  env: {FLOW_TOKEN: t, "1X": y, OK: z}
                """))
        .containsExactly(
            p("steps[a].agent.handler", "letters, digits, . _ - only, at most 64, got 'no spaces'"),
            p("steps[a].agent.runtime", "must be docker or process, got 'kubernetes'"),
            p("steps[a].agent.cpus", "must be more than 0 and at most 64, got 0"),
            p("steps[a].agent.memoryMb", "must be between 16 and 1048576, got 0"),
            p("steps[a].agent.env.FLOW_TOKEN", "set by the server; choose another name"),
            p("steps[a].agent.env.1X", "not a variable name ([A-Za-z_][A-Za-z0-9_]*)"));
  }

  @Test
  void executionModeIsColdOrPooledAndAPoolNeedsPooled() {
    assertThat(problemsOfStep("name: a\nagent: {image: x}\nexecutionMode: warm"))
        .containsExactly(p("steps[a].executionMode", "must be cold or pooled, got 'warm'"));
    assertThat(problemsOfStep("name: a\nagent: {image: x}\npool: {maxSize: 2}"))
        .containsExactly(p("steps[a].pool", "only for executionMode pooled"));
    assertThat(problemsOfStep("name: a\nagent: {image: x}\nexecutionMode: pooled\npool: {}"))
        .isEmpty();
  }

  @Test
  void aPooledStepsPoolSettingsAreChecked() {
    assertThat(
            problemsOfStep("name: a\nagent: {image: x}\nexecutionMode: pooled\npool: {maxSize: 0}"))
        .containsExactly(p("steps[a].pool.maxSize", "must be at least 1, got 0"));
    assertThat(
            problemsOfStep(
                "name: a\nagent: {image: x}\nexecutionMode: pooled\n"
                    + "pool: {minSize: 3, maxSize: 2, warmSchedule: every morning}"))
        .extracting(Problem::path)
        .containsExactly("steps[a].pool.minSize", "steps[a].pool.warmSchedule");
  }

  @Test
  void aWorkflowStepNamesADefinition() {
    assertThat(problemsOfStep("name: w\nkind: workflow"))
        .containsExactly(
            p("steps[w].workflow", "required for a workflow step: {name, version?, input?}"));
    assertThat(problemsOfStep("name: w\nkind: workflow\nworkflow: {input: {}}"))
        .containsExactly(p("steps[w].workflow.name", "required"));
    assertThat(problemsOfStep("name: w\nkind: workflow\nworkflow: {name: Other, version: 0}"))
        .containsExactly(
            p(
                "steps[w].workflow.name",
                "must be 1 to 64 lower-case letters, digits, _ or - ([a-z0-9_-]{1,64}), got"
                    + " 'Other'"),
            p("steps[w].workflow.version", "must be at least 1, got 0"));
  }

  // --- limits

  @Test
  void limitsMustBePositive() {
    assertThat(
            problems(
                """
                name: d
                maxParallel: 0
                timeout: PT0S
                retention: 0d
                steps:
                  - name: p
                    kind: parallel
                    count: 0
                    maxParallel: -1
                    timeout: 0s
                    retry: {maxAttempts: 0}
                    agent: {image: x, cpus: -1, memoryMb: -5}
                """))
        .containsExactly(
            p("timeout", "must be more than zero, got PT0S"),
            p("maxParallel", "must be at least 1, got 0"),
            p("retention", "must be more than zero, got PT0S"),
            p("steps[p].timeout", "must be more than zero, got PT0S"),
            p("steps[p].agent.cpus", "must be more than 0 and at most 64, got -1"),
            p("steps[p].agent.memoryMb", "must be between 16 and 1048576, got -5"),
            p("steps[p].maxParallel", "must be at least 1, got -1"),
            p("steps[p].retry.maxAttempts", "must be at least 1, got 0"),
            p("steps[p].count", "must be at least 1, got 0"));
  }

  @Test
  void durationsThatDoNotParseAreNamed() {
    assertThat(
            problems(
                """
                name: d
                timeout: soon
                retention: 30
                steps:
                  - name: a
                    agent: {image: x}
                    timeout: -PT1S
                    retry: {maxAttempts: 2, initialDelay: 1 minute, maxDelay: P1M}
                """))
        .containsExactly(
            p("timeout", "not a duration (e.g. PT30M, P30D or 30m), got 'SOON'"),
            p("retention", "must be a duration such as PT30M, P30D or 30m, got a number 30"),
            p("steps[a].timeout", "must not be negative, got '-PT1S'"),
            p(
                "steps[a].retry.initialDelay",
                "not a duration (e.g. PT30M, P30D or 30m), got '1 MINUTE'"),
            p("steps[a].retry.maxDelay", "use days, not months or years, got 'P1M'"));
  }

  @Test
  void retryAndToleranceAreInRange() {
    assertThat(
            problems(
                """
                name: d
                steps:
                  - name: p
                    kind: parallel
                    count: 3
                    agent: {image: x}
                    retry: {backoff: linear, initialDelay: 10s, maxDelay: 5s, jitter: 2}
                    tolerance: {minSuccessRatio: 0, maxFailures: -1}
                  - name: q
                    kind: parallel
                    count: 3
                    agent: {image: x}
                    tolerance: {minSuccessRatio: 1.5}
                """))
        .containsExactly(
            p("steps[p].retry.backoff", "must be exponential or fixed, got 'linear'"),
            p("steps[p].retry.maxDelay", "must not be shorter than initialDelay (PT10S), got PT5S"),
            p("steps[p].retry.jitter", "must be between 0 and 1, got 2"),
            p("steps[p].tolerance", "give minSuccessRatio or maxFailures, not both"),
            p("steps[p].tolerance.minSuccessRatio", "must be more than 0 and at most 1, got 0"),
            p("steps[p].tolerance.maxFailures", "must be 0 or more, got -1"),
            p("steps[q].tolerance.minSuccessRatio", "must be more than 0 and at most 1, got 1.5"));
  }

  // --- expressions and parameters

  @Test
  void expressionsThatDoNotParseAreNamed() {
    List<Problem> problems =
        problems(
            """
            name: d
            steps:
              - name: a
                agent: {image: x}
                when: "input.n >"
                input: {x: "${1 +}", ok: "plain text", nested: [{y: "id ${input.id"}]}
              - name: m
                kind: map
                items: "${results.a.docs"
                dependsOn: [a]
                agent: {image: x}
            """);

    assertThat(problems)
        .extracting(Problem::path)
        .containsExactly(
            "steps[a].when", "steps[a].input.x", "steps[a].input.nested[0].y", "steps[m].items");
    assertThat(problems)
        .allSatisfy(p -> assertThat(p.message()).startsWith("not a valid expression: "));
  }

  @Test
  void parametersMustBeAJsonSchema() {
    assertThat(
            problems(
                """
                name: d
                parameters: {type: objekt, required: docs}
                steps: [{name: a, agent: {image: x}}]
                """))
        .containsExactly(
            p("parameters.required", "string found, array expected"),
            p(
                "parameters.type",
                "does not have a value in the enumeration [\"array\", \"boolean\", \"integer\","
                    + " \"null\", \"number\", \"object\", \"string\"]"));
    assertThat(problems("name: d\nparameters: [1]\nsteps: [{name: a, agent: {image: x}}]"))
        .containsExactly(p("parameters", "must be a JSON Schema (an object), got a list"));
    assertThat(
            problems(
                "name: d\nparameters: {$ref: 'http://127.0.0.1:1/s.json'}\n"
                    + "steps: [{name: a, agent: {image: x}}]"))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("parameters");
              assertThat(p.message()).startsWith("not a usable JSON Schema: ");
            });
  }

  // --- all at once

  @Test
  void everyProblemIsReportedNotJustTheFirst() {
    List<Problem> problems =
        problems(
            """
            name: Bad
            steps:
              - {name: a, kind: loop}
              - {name: b, dependsOn: [zz], agent: {image: x}, retry: {maxAttempts: 0}}
              - {name: m, kind: map, agent: {image: x}}
            """);

    assertThat(problems)
        .extracting(Problem::path)
        .containsExactly(
            "steps[a].kind",
            "name",
            "steps[b].dependsOn[0]",
            "steps[b].retry.maxAttempts",
            "steps[m].items");
  }

  @Test
  void specsBuiltInCodeAreValidatedToo() {
    WorkflowSpec spec =
        new WorkflowSpec(
            "coded",
            null,
            null,
            null,
            null,
            null,
            List.of(
                new StepSpec(
                    "a",
                    StepKind.MAP,
                    List.of("a"),
                    null,
                    null,
                    null,
                    null,
                    null,
                    0,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null)));

    assertThat(DefinitionValidator.validate(spec))
        .containsExactly(
            p("steps[a].dependsOn[0]", "a step cannot depend on itself"),
            p("steps[a].agent", "required for a map step: {image, handler}"),
            p("steps[a].maxParallel", "must be at least 1, got 0"),
            p(
                "steps[a].items",
                "required for a map step: the list to map over, e.g. ${results.list.docs},"
                    + " ${input.docs} or ${state.key}"));
  }

  // --- 30+ malformed definitions, each naming its field

  static Stream<Arguments> malformed() {
    String task = "agent: {image: x}\n";
    return Stream.of(
        bad("name: UPPER\nsteps: [{name: a, " + "agent: {image: x}}]", "name", "must be 1 to 64"),
        bad("steps: [{name: a, agent: {image: x}}]", "name", "required"),
        bad(
            "name: validate\nsteps: [{name: a, agent: {image: x}}]",
            "name",
            "'validate' is reserved"),
        bad("name: d\nsteps: {a: 1}", "steps", "must be a list of steps, got an object"),
        bad("name: d\nsteps: []", "steps", "at least one step is required"),
        bad(
            "name: d\ncolour: red\nsteps: [{name: a, agent: {image: x}}]",
            "colour",
            "unknown field 'colour'"),
        bad(
            "name: d\ntimeout: tomorrow\nsteps: [{name: a, agent: {image: x}}]",
            "timeout",
            "not a duration"),
        bad(
            "name: d\nmaxParallel: 0\nsteps: [{name: a, agent: {image: x}}]",
            "maxParallel",
            "must be at least 1, got 0"),
        bad(
            "name: d\nretention: P1Y\nsteps: [{name: a, agent: {image: x}}]",
            "retention",
            "use days, not months or years"),
        bad(
            "name: d\nparameters: {type: 3}\nsteps: [{name: a, agent: {image: x}}]",
            "parameters.type",
            "does not have a value in the enumeration"),
        step("name: a\nkind: loop\n" + task, "steps[a].kind", "unknown kind 'loop'"),
        step("name: a\nkind: 7\n" + task, "steps[a].kind", "must be one of task, parallel"),
        step(
            "name: a\ndependsOn: [ghost]\n" + task,
            "steps[a].dependsOn[0]",
            "unknown step 'ghost'"),
        step(
            "name: a\ndependsOn: [a]\n" + task,
            "steps[a].dependsOn[0]",
            "a step cannot depend on itself"),
        step("name: a\n", "steps[a].agent", "required for a task step"),
        step("name: a\nagent: {handler: h}\n", "steps[a].agent.image", "required for a task step"),
        step(
            "name: a\nagent: {image: x, imagee: y}\n",
            "steps[a].agent.imagee",
            "unknown field 'imagee'"),
        step(
            "name: a\nagent: {image: x, memoryMb: 0}\n",
            "steps[a].agent.memoryMb",
            "must be between 16 and 1048576, got 0"),
        step(
            "name: a\nagent: {image: x, cpus: -0.5}\n",
            "steps[a].agent.cpus",
            "must be more than 0 and at most 64, got -0.5"),
        step(
            "name: a\nagent: {image: x, runtime: vm}\n",
            "steps[a].agent.runtime",
            "must be docker or process"),
        step(
            "name: a\nagent: {image: x, env: [A]}\n",
            "steps[a].agent.env",
            "must be an object, got a list"),
        step(
            "name: a\n" + task + "executionMode: hot\n",
            "steps[a].executionMode",
            "must be cold or pooled, got 'hot'"),
        step("name: a\n" + task + "timeout: 0s\n", "steps[a].timeout", "must be more than zero"),
        step("name: a\n" + task + "timeout: 5 minutes\n", "steps[a].timeout", "not a duration"),
        step(
            "name: a\n" + task + "maxParallel: 0\n",
            "steps[a].maxParallel",
            "must be at least 1, got 0"),
        step(
            "name: a\n" + task + "retry: {maxAttempts: 0}\n",
            "steps[a].retry.maxAttempts",
            "must be at least 1, got 0"),
        step(
            "name: a\n" + task + "retry: {maxAttempts: -2}\n",
            "steps[a].retry.maxAttempts",
            "must be at least 1, got -2"),
        step(
            "name: a\n" + task + "retry: {maxAttempts: 2.5}\n",
            "steps[a].retry.maxAttempts",
            "must be a whole number, got a number 2.5"),
        step(
            "name: a\n" + task + "retry: {backoff: random}\n",
            "steps[a].retry.backoff",
            "must be exponential or fixed"),
        step(
            "name: a\n" + task + "retry: {initialDelay: later}\n",
            "steps[a].retry.initialDelay",
            "not a duration"),
        step(
            "name: a\n" + task + "retry: 3\n", "steps[a].retry", "must be an object, got a number"),
        step(
            "name: a\n" + task + "tolerance: {minSuccessRatio: 0.5, maxFailures: 1}\n",
            "steps[a].tolerance",
            "give minSuccessRatio or maxFailures, not both"),
        step(
            "name: a\n" + task + "tolerance: {minSuccessRatio: 0}\n",
            "steps[a].tolerance.minSuccessRatio",
            "must be more than 0 and at most 1, got 0"),
        step(
            "name: a\n" + task + "tolerance: {maxFailures: -1}\n",
            "steps[a].tolerance.maxFailures",
            "must be 0 or more, got -1"),
        step(
            "name: a\n" + task + "when: \"input.x ==\"\n",
            "steps[a].when",
            "not a valid expression"),
        step(
            "name: a\n" + task + "input: {x: \"${input.}\"}\n",
            "steps[a].input.x",
            "not a valid expression"),
        step("name: m\nkind: map\n" + task, "steps[m].items", "required for a map step"),
        step(
            "name: m\nkind: map\nitems: [1, 2]\n" + task,
            "steps[m].items",
            "must be an expression such as ${results.list.docs}, got a list"),
        step(
            "name: m\nkind: map\nitems: \"${input.docs\"\n" + task,
            "steps[m].items",
            "not a valid expression"),
        step(
            "name: m\nkind: map\nitems: input.docs\ncount: 3\n" + task,
            "steps[m].count",
            "not allowed in a map step"),
        step("name: p\nkind: parallel\n" + task, "steps[p].count", "a parallel step needs count"),
        step(
            "name: p\nkind: parallel\ncount: 2\nparams: [1]\n" + task,
            "steps[p].count",
            "give count or params, not both"),
        step(
            "name: p\nkind: parallel\ncount: 0\n" + task,
            "steps[p].count",
            "must be at least 1, got 0"),
        step(
            "name: p\nkind: parallel\ncount: 100001\n" + task,
            "steps[p].count",
            "must be at most 100000, got 100001"),
        step(
            "name: p\nkind: parallel\nparams: {a: 1}\n" + task,
            "steps[p].params",
            "must be a list (one entry per task), got an object"),
        step(
            "name: r\nkind: reduce\n" + task,
            "steps[r].dependsOn",
            "a reduce step needs a parallel or map step"),
        step("name: b\nkind: branch\nthen: [b]\n", "steps[b].when", "required for a branch step"),
        step(
            "name: b\nkind: branch\nwhen: \"true\"\n",
            "steps[b].then",
            "required for a branch step"),
        step(
            "name: b\nkind: branch\nwhen: \"true\"\nthen: [ghost]\n",
            "steps[b].then[0]",
            "unknown step 'ghost'"),
        step(
            "name: b\nkind: branch\nwhen: \"true\"\nthen: [b]\nelse: [ghost]\n",
            "steps[b].else[0]",
            "unknown step 'ghost'"),
        step(
            "name: b\nkind: branch\nwhen: \"true\"\nthen: [b]\n" + task,
            "steps[b].agent",
            "not allowed in a branch step"),
        step("name: w\nkind: workflow\n", "steps[w].workflow", "required for a workflow step"),
        step(
            "name: w\nkind: workflow\nworkflow: {version: 1}\n",
            "steps[w].workflow.name",
            "required"),
        step(
            "name: w\nkind: workflow\nworkflow: {name: other, version: -1}\n",
            "steps[w].workflow.version",
            "must be at least 1, got -1"));
  }

  private static Arguments bad(String yaml, String path, String message) {
    return Arguments.of(yaml, path, message);
  }

  private static Arguments step(String step, String path, String message) {
    return Arguments.of(Samples.oneStep(step), path, message);
  }

  @ParameterizedTest(name = "{1}: {2}")
  @MethodSource("malformed")
  void aMalformedDefinitionNamesItsField(String yaml, String path, String message) {
    List<Problem> problems = problems(yaml);

    assertThat(problems)
        .as("problems of:\n%s", yaml)
        .anySatisfy(
            p -> {
              assertThat(p.path()).isEqualTo(path);
              assertThat(p.message()).contains(message);
            });
  }
}
