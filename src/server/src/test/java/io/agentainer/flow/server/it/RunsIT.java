package io.agentainer.flow.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.container.annotation.ArquillianTest;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Workflows end to end: definitions, runs through their DAG on real agents, events. */
@ArquillianTest
@RunAsClient
class RunsIT {

  private static final String IMAGE = "agentainer/example-agent:latest";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.serverWar();
  }

  @ArquillianResource URL base;
  private Api api;

  @BeforeEach
  void client() throws Exception {
    api = new Api(base.toURI());
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private void register(String yaml) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(api.base().resolve("definitions"))
                    .header("Authorization", "Bearer " + Api.ADMIN)
                    .header("Content-Type", "application/yaml")
                    .POST(HttpRequest.BodyPublishers.ofString(yaml))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
  }

  private String start(String definition, JsonNode input) {
    ObjectNode body = Api.object();
    body.set("input", input);
    Api.Reply reply = api.post("definitions/" + definition + "/runs", body);
    assertThat(reply.status()).as(reply.text()).isEqualTo(202);
    return reply.json().get("id").asText();
  }

  private JsonNode awaitRun(String id, Duration limit) {
    return await()
        .atMost(limit)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> api.get("workflows/" + id).json(),
            run ->
                List.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT")
                    .contains(run.get("status").asText()));
  }

  private static String words(int doc) {
    String[] vocabulary = {"alpha", "beta", "gamma", "delta", "epsilon"};
    StringBuilder text = new StringBuilder();
    for (int i = 0; i <= doc % 7 + 2; i++) {
      text.append(vocabulary[(doc + i) % vocabulary.length]).append(i % 2 == 0 ? " " : ", ");
    }
    return text.toString();
  }

  @Test
  void listMapReduceCountsTheWordsOfTwentyDocuments() throws Exception {
    String name = unique("wordcount");
    register(
        """
        name: %s
        description: count words
        parameters: {type: object, required: [docs]}
        steps:
          - name: list
            kind: task
            agent: {image: %s, handler: split, runtime: process}
            input: {docs: "${input.docs}"}
          - name: count
            kind: map
            dependsOn: [list]
            items: "${results.list.docs}"
            agent: {image: %s, handler: wordcount, runtime: docker}
            maxParallel: 5
          - name: total
            kind: reduce
            dependsOn: [count]
            agent: {image: %s, handler: sum, runtime: process}
        """
            .formatted(name, IMAGE, IMAGE, IMAGE));
    ArrayNode docs = Api.JSON.createArrayNode();
    Map<String, Integer> expected = new TreeMap<>();
    int expectedTotal = 0;
    for (int d = 0; d < 20; d++) {
      String text = words(d);
      docs.add(text);
      for (String w : text.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
        if (!w.isEmpty()) {
          expected.merge(w, 1, Integer::sum);
          expectedTotal++;
        }
      }
    }
    ObjectNode input = Api.object();
    input.set("docs", docs);
    String id = start(name, input);

    JsonNode run = awaitRun(id, Duration.ofMinutes(3));
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
    assertThat(run.at("/output/total").asInt()).isEqualTo(expectedTotal);
    Map<String, Integer> counted = new TreeMap<>();
    run.at("/output/words")
        .fields()
        .forEachRemaining(e -> counted.put(e.getKey(), e.getValue().asInt()));
    assertThat(counted).isEqualTo(expected);
    assertThat(run.at("/output/succeeded").asInt()).isEqualTo(20);
    assertThat(run.get("progress").asDouble()).isEqualTo(1.0);
    assertThat(run.get("steps")).hasSize(3);
    JsonNode count = run.get("steps").get(1);
    assertThat(count.get("name").asText()).isEqualTo("count");
    assertThat(count.get("total").asInt()).isEqualTo(20);
    assertThat(count.get("succeeded").asInt()).isEqualTo(20);
    // map outputs in taskId order: task i counted document i
    for (int d = 0; d < 20; d++) {
      int total = 0;
      for (String w : words(d).split("[^a-z]+")) {
        total += w.isEmpty() ? 0 : 1;
      }
      assertThat(count.at("/output/" + d + "/total").asInt()).as("task " + d).isEqualTo(total);
    }
    JsonNode jobs = api.get("workflows/" + id + "/jobs?size=100").json();
    assertThat(jobs.get("total").asInt()).isEqualTo(22);

    JsonNode events =
        api.get("workflows/" + id + "/events?type=step.succeeded").json().get("items");
    List<String> stepsDone = new ArrayList<>();
    events.forEach(e -> stepsDone.add(e.get("stepId").asText()));
    assertThat(stepsDone).containsExactly("list", "count", "total");
  }

  private static String failParams(int failures, int total) {
    StringBuilder params = new StringBuilder("[");
    for (int i = 0; i < total; i++) {
      params.append(i > 0 ? ", " : "").append(i < failures ? "{failTimes: 5}" : "{failTimes: 0}");
    }
    return params.append("]").toString();
  }

  private String toleranceRun(int failures) throws Exception {
    String name = unique("tolerance");
    register(
        """
        name: %s
        steps:
          - name: tasks
            kind: parallel
            params: %s
            agent: {image: %s, handler: fail, runtime: process}
            tolerance: {minSuccessRatio: 0.8}
          - name: total
            kind: reduce
            dependsOn: [tasks]
            agent: {image: %s, handler: sum, runtime: process}
        """
            .formatted(name, failParams(failures, 20), IMAGE, IMAGE));
    return start(name, Api.object());
  }

  @Test
  void aStepToleratesFailuresUpToItsRatioAndTheReduceSeesThem() throws Exception {
    JsonNode three = awaitRun(toleranceRun(3), Duration.ofMinutes(3));
    assertThat(three.get("status").asText()).as(three.toString()).isEqualTo("SUCCEEDED");
    assertThat(three.at("/steps/0/succeeded").asInt()).isEqualTo(17);
    assertThat(three.at("/steps/0/failed").asInt()).isEqualTo(3);
    assertThat(three.at("/output/succeeded").asInt()).isEqualTo(17);
    assertThat(three.at("/output/failed").asInt()).isEqualTo(3);
    // partial results stay readable: the failed tasks are null in the step's output
    assertThat(three.at("/steps/0/output/0").isNull()).isTrue();
    assertThat(three.at("/steps/0/output/3/attempt").asInt()).isEqualTo(1);

    JsonNode five = awaitRun(toleranceRun(5), Duration.ofMinutes(3));
    assertThat(five.get("status").asText()).isEqualTo("FAILED");
    assertThat(five.at("/steps/0/status").asText()).isEqualTo("FAILED");
    assertThat(five.at("/steps/0/error/type").asText()).isEqualTo("tolerance_exceeded");
    assertThat(five.at("/steps/1/status").asText()).isEqualTo("CANCELLED");
    assertThat(five.at("/error/message").asText()).contains("tasks");
  }

  @Test
  void aFailingTaskIsRetriedWithBackoffUntilItSucceeds() throws Exception {
    String name = unique("retry");
    register(
        """
        name: %s
        steps:
          - name: flaky
            kind: task
            input: {failTimes: 2, retryable: true}
            agent: {image: %s, handler: fail, runtime: process}
            retry: {maxAttempts: 3, backoff: exponential, initialDelay: PT1S, maxDelay: PT10S, jitter: 0}
        """
            .formatted(name, IMAGE));
    String id = start(name, Api.object());
    JsonNode run = awaitRun(id, Duration.ofMinutes(2));
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
    assertThat(run.at("/output/attempt").asInt()).isEqualTo(3);

    JsonNode events =
        api.get("workflows/" + id + "/events?type=job.running&type=job.retrying")
            .json()
            .get("items");
    List<java.time.Instant> running = new ArrayList<>();
    List<java.time.Instant> retrying = new ArrayList<>();
    events.forEach(
        e ->
            (e.get("type").asText().equals("job.running") ? running : retrying)
                .add(java.time.Instant.parse(e.get("at").asText())));
    assertThat(running).hasSize(3);
    assertThat(retrying).hasSize(2);
    long firstGap = Duration.between(retrying.get(0), running.get(1)).toMillis();
    long secondGap = Duration.between(retrying.get(1), running.get(2)).toMillis();
    assertThat(firstGap).as("wait after attempt 1").isBetween(1000L, 3000L);
    assertThat(secondGap).as("wait after attempt 2").isBetween(2000L, 4500L);
    assertThat(api.get("workflows/" + id + "/jobs").json().get("total").asInt()).isEqualTo(1);
  }

  @Test
  void aNonRetryableErrorFailsAtOnce() throws Exception {
    String name = unique("permanent");
    register(
        """
        name: %s
        steps:
          - name: bad
            kind: task
            input: {retryable: false, message: broken input}
            agent: {image: %s, handler: fail, runtime: process}
            retry: {maxAttempts: 5, initialDelay: PT1S}
        """
            .formatted(name, IMAGE));
    JsonNode run = awaitRun(start(name, Api.object()), Duration.ofMinutes(1));
    assertThat(run.get("status").asText()).isEqualTo("FAILED");
    JsonNode job = api.get("workflows/" + run.get("id").asText() + "/jobs").json().at("/items/0");
    assertThat(job.get("attempt").asInt()).isEqualTo(1);
    assertThat(job.at("/error/message").asText()).contains("broken input");
  }

  @Test
  void jobStepAndRunTimeoutsEndWhatRunsTooLong() throws Exception {
    String job = unique("jobtimeout");
    register(
        """
        name: %s
        steps:
          - name: slow
            kind: task
            input: {ms: 20000}
            timeout: PT1S
            agent: {image: %s, handler: sleep, runtime: process}
        """
            .formatted(job, IMAGE));
    JsonNode jobRun = awaitRun(start(job, Api.object()), Duration.ofSeconds(40));
    assertThat(jobRun.get("status").asText()).isEqualTo("FAILED");
    assertThat(jobRun.at("/steps/0/status").asText()).isIn("FAILED", "TIMED_OUT");

    String run = unique("runtimeout");
    register(
        """
        name: %s
        timeout: PT2S
        steps:
          - name: slow
            kind: parallel
            count: 2
            input: {ms: 60000}
            agent: {image: %s, handler: sleep, runtime: docker}
        """
            .formatted(run, IMAGE));
    String id = start(run, Api.object());
    JsonNode timedOut = awaitRun(id, Duration.ofSeconds(30));
    assertThat(timedOut.get("status").asText()).isEqualTo("TIMED_OUT");
    assertThat(timedOut.at("/steps/0/status").asText()).isEqualTo("TIMED_OUT");
    assertNoContainersOf(id);
    JsonNode jobs = api.get("workflows/" + id + "/jobs").json();
    jobs.get("items").forEach(j -> assertThat(j.get("status").asText()).isEqualTo("CANCELLED"));
  }

  private void assertNoContainersOf(String runId) throws Exception {
    try (var docker =
        io.agentainer.flow.server.infra.docker.DockerRuntimes.client(
            "unix:///var/run/docker.sock", 2, Duration.ofSeconds(20))) {
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(
                          docker
                              .listContainersCmd()
                              .withShowAll(true)
                              .withLabelFilter(Map.of("agentainer.workflow", runId))
                              .exec())
                      .isEmpty());
    }
  }

  @Test
  void cancellingARunMidwayCancelsItsJobsAndRemovesTheirContainers() throws Exception {
    String name = unique("cancel");
    register(
        """
        name: %s
        steps:
          - name: sleepers
            kind: parallel
            count: 3
            input: {ms: 60000}
            agent: {image: %s, handler: sleep, runtime: docker}
          - name: after
            kind: task
            dependsOn: [sleepers]
            agent: {image: %s, handler: echo, runtime: process}
        """
            .formatted(name, IMAGE, IMAGE));
    String id = start(name, Api.object());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                api.get("workflows/" + id + "/jobs?status=RUNNING").json().get("total").asInt()
                    >= 1);
    Api.Reply cancel = api.post("workflows/" + id + "/cancel", "");
    assertThat(cancel.status()).isEqualTo(202);
    JsonNode run = api.get("workflows/" + id).json();
    assertThat(run.get("status").asText()).isEqualTo("CANCELLED");
    assertThat(run.at("/steps/1/status").asText()).isEqualTo("CANCELLED");
    assertNoContainersOf(id);
    assertThat(
            api.get("workflows/" + id + "/jobs?status=QUEUED&status=RUNNING")
                .json()
                .get("total")
                .asInt())
        .isZero();
    assertThat(api.post("workflows/" + id + "/cancel", "").status()).isEqualTo(409);
  }

  @Test
  void aBranchChoosesItsStepsAndWhenSkipsAStep() throws Exception {
    String name = unique("branch");
    register(
        """
        name: %s
        steps:
          - name: size
            kind: branch
            when: "${input.n > 10}"
            then: [big]
            else: [small]
          - name: big
            kind: task
            input: {size: big}
            agent: {image: %s, handler: echo, runtime: process}
          - name: small
            kind: task
            input: {size: small, n: "${input.n}"}
            agent: {image: %s, handler: echo, runtime: process}
          - name: audit
            kind: task
            when: "${input.audit}"
            agent: {image: %s, handler: echo, runtime: process}
        """
            .formatted(name, IMAGE, IMAGE, IMAGE));
    JsonNode small =
        awaitRun(start(name, Api.object().put("n", 3).put("audit", false)), Duration.ofMinutes(1));
    assertThat(small.get("status").asText()).as(small.toString()).isEqualTo("SUCCEEDED");
    Map<String, String> statuses = new TreeMap<>();
    small
        .get("steps")
        .forEach(st -> statuses.put(st.get("name").asText(), st.get("status").asText()));
    assertThat(statuses)
        .containsEntry("big", "SKIPPED")
        .containsEntry("small", "SUCCEEDED")
        .containsEntry("audit", "SKIPPED");
    assertThat(small.at("/steps/2/output/n").asInt()).isEqualTo(3);

    JsonNode big =
        awaitRun(start(name, Api.object().put("n", 30).put("audit", true)), Duration.ofMinutes(1));
    Map<String, String> bigStatuses = new TreeMap<>();
    big.get("steps")
        .forEach(st -> bigStatuses.put(st.get("name").asText(), st.get("status").asText()));
    assertThat(bigStatuses)
        .containsEntry("big", "SUCCEEDED")
        .containsEntry("small", "SKIPPED")
        .containsEntry("audit", "SUCCEEDED");
  }

  @Test
  void aWorkflowStepRunsAChildAndTakesItsOutput() throws Exception {
    String child = unique("child");
    register(
        """
        name: %s
        steps:
          - name: count
            kind: task
            input: {item: "${input.text}"}
            agent: {image: %s, handler: wordcount, runtime: process}
        """
            .formatted(child, IMAGE));
    String parent = unique("parent");
    register(
        """
        name: %s
        steps:
          - name: sub
            kind: workflow
            workflow: {name: %s, input: {text: "${input.text}"}}
          - name: after
            kind: task
            dependsOn: [sub]
            input: {total: "${results.sub.total}"}
            agent: {image: %s, handler: echo, runtime: process}
        """
            .formatted(parent, child, IMAGE));
    JsonNode run =
        awaitRun(
            start(parent, Api.object().put("text", "one two three two")), Duration.ofMinutes(2));
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
    assertThat(run.at("/output/total").asInt()).isEqualTo(4);
    String childId = run.at("/steps/0/childRunId").asText();
    JsonNode childRun = api.get("workflows/" + childId).json();
    assertThat(childRun.get("parentRunId").asText()).isEqualTo(run.get("id").asText());
    assertThat(childRun.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(childRun.at("/output/words/two").asInt()).isEqualTo(2);
  }

  @Test
  void aFailedRunIsRetriedFromItsFailedStepsKeepingWhatSucceeded() throws Exception {
    String name = unique("rerun");
    register(
        """
        name: %s
        steps:
          - name: first
            kind: task
            input: {n: 1}
            agent: {image: %s, handler: echo, runtime: process}
          - name: second
            kind: task
            dependsOn: [first]
            input: {failTimes: 1, retryable: false}
            agent: {image: %s, handler: fail, runtime: process}
        """
            .formatted(name, IMAGE, IMAGE));
    String id = start(name, Api.object());
    JsonNode failed = awaitRun(id, Duration.ofMinutes(1));
    assertThat(failed.get("status").asText()).isEqualTo("FAILED");
    assertThat(api.post("workflows/" + id + "/retry", "").status()).isEqualTo(202);

    JsonNode done = awaitRun(id, Duration.ofMinutes(1));
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(done.at("/steps/1/attempt").asInt()).isEqualTo(2);
    assertThat(done.at("/output/attempt").asInt()).isEqualTo(2);
    JsonNode jobs = api.get("workflows/" + id + "/jobs").json();
    assertThat(jobs.get("total").asInt()).isEqualTo(3);
    long firstJobs = 0;
    for (JsonNode j : jobs.get("items")) {
      firstJobs += j.get("stepId").asText().equals("first") ? 1 : 0;
    }
    assertThat(firstJobs).as("the succeeded step is not run again").isEqualTo(1);
    assertThat(api.post("workflows/" + id + "/retry", "").status()).isEqualTo(409);
  }

  @Test
  void aRunKeepsTheVersionItStartedWithWhenANewOneIsRegistered() throws Exception {
    String name = unique("versions");
    register(
        """
        name: %s
        steps:
          - name: first
            kind: parallel
            count: 3
            maxParallel: 1
            input: {ms: 700}
            agent: {image: %s, handler: sleep, runtime: process}
        """
            .formatted(name, IMAGE));
    Api.Reply started = api.post("definitions/" + name + "/runs", Api.object());
    assertThat(started.status()).isEqualTo(202);
    assertThat(started.json().get("queuePosition").asLong()).isNotNegative();
    assertThat(started.json().get("status").asText()).isIn("QUEUED", "RUNNING");
    String old = started.json().get("id").asText();
    // while it runs, with one of three tasks at a time, it has an ETA from the tasks already done
    JsonNode midway =
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> api.get("workflows/" + old).json(),
                run -> run.at("/steps/0/succeeded").asInt() >= 1 && run.hasNonNull("eta"));
    assertThat(midway.get("status").asText()).isEqualTo("RUNNING");
    assertThat(java.time.Instant.parse(midway.get("eta").asText()))
        .isAfter(java.time.Instant.parse(midway.get("startedAt").asText()));
    assertThat(midway.get("progress").asDouble()).isBetween(0.3, 0.7);

    register(
        """
        name: %s
        steps:
          - name: second
            kind: task
            agent: {image: %s, handler: echo, runtime: process}
        """
            .formatted(name, IMAGE));
    JsonNode done = awaitRun(old, Duration.ofSeconds(40));
    assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(done.get("version").asInt()).isEqualTo(1);
    assertThat(done.at("/steps/0/name").asText()).isEqualTo("first");
    assertThat(done.get("steps")).hasSize(1);
    JsonNode next = awaitRun(start(name, Api.object()), Duration.ofSeconds(40));
    assertThat(next.get("version").asInt()).isEqualTo(2);
    assertThat(next.at("/steps/0/name").asText()).isEqualTo("second");

    // the list: both runs, one page at a time, and by status
    JsonNode page0 = api.get("workflows?definition=" + name + "&size=1&page=0").json();
    JsonNode page1 = api.get("workflows?definition=" + name + "&size=1&page=1").json();
    assertThat(page0.get("total").asInt()).isEqualTo(2);
    assertThat(page0.get("items")).hasSize(1);
    assertThat(page1.get("items")).hasSize(1);
    assertThat(page0.at("/items/0/id").asText()).isNotEqualTo(page1.at("/items/0/id").asText());
    assertThat(api.get("workflows?definition=" + name + "&size=1&page=2").json().get("items"))
        .isEmpty();
    assertThat(
            api.get("workflows?definition=" + name + "&status=SUCCEEDED")
                .json()
                .get("total")
                .asInt())
        .isEqualTo(2);
    assertThat(
            api.get("workflows?definition=" + name + "&status=FAILED&status=RUNNING")
                .json()
                .get("total")
                .asInt())
        .isZero();
  }

  @Test
  void aStepTimeoutEndsTheStepWhileEachJobIsWithinItsOwnLimit() throws Exception {
    String name = unique("steptimeout");
    // six sleeps of a second, one at a time: no job comes near the limit of 4 s, the step does
    register(
        """
        name: %s
        steps:
          - name: slow
            kind: parallel
            count: 6
            maxParallel: 1
            input: {ms: 1000}
            timeout: PT4S
            agent: {image: %s, handler: sleep, runtime: process}
        """
            .formatted(name, IMAGE));
    JsonNode run = awaitRun(start(name, Api.object()), Duration.ofSeconds(40));
    assertThat(run.get("status").asText()).isIn("FAILED", "TIMED_OUT");
    assertThat(run.at("/steps/0/status").asText()).isEqualTo("TIMED_OUT");
    JsonNode jobs = api.get("workflows/" + run.get("id").asText() + "/jobs").json().get("items");
    assertThat(jobs).anySatisfy(j -> assertThat(j.get("status").asText()).isEqualTo("SUCCEEDED"));
    assertThat(jobs)
        .as("no job timed out on its own")
        .noneSatisfy(j -> assertThat(j.at("/error/type").asText()).isEqualTo("timeout"));
  }

  @Test
  void statsCountRunsByBucketAndDefinitionAndListTheLatestFailures() throws Exception {
    String name = unique("stats");
    register(
        """
        name: %s
        steps:
          - name: only
            kind: task
            input: {failTimes: "${input.fail}", retryable: false}
            agent: {image: %s, handler: fail, runtime: process}
        """
            .formatted(name, IMAGE));
    java.time.Instant from = java.time.Instant.now().minusSeconds(1);
    String ok = start(name, Api.object().put("fail", 0));
    JsonNode succeeded = awaitRun(ok, Duration.ofSeconds(40));
    java.time.Instant between = java.time.Instant.now();
    String bad = start(name, Api.object().put("fail", 5));
    JsonNode failed = awaitRun(bad, Duration.ofSeconds(40));
    assertThat(succeeded.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(failed.get("status").asText()).isEqualTo("FAILED");
    java.time.Instant to = java.time.Instant.now().plusSeconds(1);

    JsonNode stats = api.get("workflows/stats?from=" + from + "&to=" + to + "&buckets=4").json();
    assertThat(stats.get("buckets")).hasSize(4);
    long started = 0;
    long ended = 0;
    for (JsonNode b : stats.get("buckets")) {
      started += b.get("started").asLong();
      ended += b.get("succeeded").asLong() + b.get("failed").asLong();
    }
    assertThat(started).isGreaterThanOrEqualTo(2);
    assertThat(ended).isGreaterThanOrEqualTo(2);
    JsonNode mine = null;
    for (JsonNode d : stats.get("definitions")) {
      if (d.get("definition").asText().equals(name)) {
        mine = d;
      }
    }
    assertThat(mine).as(stats.toString()).isNotNull();
    assertThat(mine.get("runs").asLong()).isEqualTo(2);
    assertThat(mine.get("succeeded").asLong()).isEqualTo(1);
    assertThat(mine.get("failed").asLong()).isEqualTo(1);
    assertThat(mine.get("averageDurationMs").asLong()).isPositive();
    assertThat(stats.get("recentFailures"))
        .anySatisfy(
            f -> {
              assertThat(f.get("id").asText()).isEqualTo(bad);
              assertThat(f.get("definition").asText()).isEqualTo(name);
              assertThat(f.get("errorMessage").asText()).isNotBlank();
            });

    // the list by time range: only the run created after "between"
    JsonNode later = api.get("workflows?definition=" + name + "&from=" + between).json();
    assertThat(later.get("total").asInt()).isEqualTo(1);
    assertThat(later.at("/items/0/id").asText()).isEqualTo(bad);
    JsonNode earlier = api.get("workflows?definition=" + name + "&to=" + between).json();
    assertThat(earlier.at("/items/0/id").asText()).isEqualTo(ok);

    // bad ranges name their parameter
    assertThat(api.get("workflows?from=yesterday").json().at("/error/details/field").asText())
        .isEqualTo("from");
    assertThat(api.get("workflows/stats?buckets=0").json().at("/error/details/field").asText())
        .isEqualTo("buckets");
    assertThat(api.get("workflows/stats?buckets=x").status()).isEqualTo(400);
    assertThat(
            api.get("workflows/stats?from=" + to + "&to=" + from)
                .json()
                .at("/error/details/field")
                .asText())
        .isEqualTo("to");
  }

  @Test
  void theSameIdempotencyKeyReturnsTheSameRun() throws Exception {
    String name = unique("idem");
    register(
        """
        name: %s
        steps:
          - name: only
            kind: task
            agent: {image: %s, handler: echo, runtime: process}
        """
            .formatted(name, IMAGE));
    ObjectNode body = Api.object().put("idempotencyKey", "order-42");
    body.set("input", Api.object().put("a", 1));
    Api.Reply first = api.post("definitions/" + name + "/runs", body);
    Api.Reply second = api.post("definitions/" + name + "/runs", body);
    assertThat(first.status()).isEqualTo(202);
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.json().get("id").asText()).isEqualTo(first.json().get("id").asText());
    assertThat(api.get("workflows?definition=" + name).json().get("total").asInt()).isEqualTo(1);
  }

  @Test
  void concurrentStartsWithOneIdempotencyKeyMakeOneRunAndNoError() throws Exception {
    String name = unique("idem-race");
    register(
        """
        name: %s
        steps:
          - name: only
            kind: task
            agent: {image: %s, handler: echo, runtime: process}
        """
            .formatted(name, IMAGE));
    int keys = 4;
    int clients = 8;
    var pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
    try {
      for (int k = 0; k < keys; k++) {
        ObjectNode body = Api.object().put("idempotencyKey", "retry-" + k);
        var gate = new java.util.concurrent.CyclicBarrier(clients);
        List<java.util.concurrent.Future<Api.Reply>> replies = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
          replies.add(
              pool.submit(
                  () -> {
                    gate.await();
                    return api.post("definitions/" + name + "/runs", body);
                  }));
        }
        List<Integer> statuses = new ArrayList<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (var reply : replies) {
          Api.Reply r = reply.get(60, java.util.concurrent.TimeUnit.SECONDS);
          statuses.add(r.status());
          ids.add(r.json().path("id").asText());
        }
        assertThat(statuses).as("key retry-%d", k).containsOnly(200, 202);
        assertThat(statuses.stream().filter(s -> s == 202)).as("created once").hasSize(1);
        assertThat(ids).as("one run for key retry-%d", k).hasSize(1);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(api.get("workflows?definition=" + name).json().get("total").asInt()).isEqualTo(keys);
  }

  @Test
  void malformedRunRequestsAre4xxNamingTheFieldAndStartNothing() throws Exception {
    String name = unique("strict");
    register(
        """
        name: %s
        parameters: {type: object, required: [docs], properties: {docs: {type: array, items: {type: string}}}}
        steps:
          - name: only
            kind: task
            agent: {image: %s, handler: echo, runtime: process}
        """
            .formatted(name, IMAGE));
    Api.Reply missing = api.post("definitions/" + name + "/runs", "{\"input\":{}}");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().at("/error/message").asText()).contains("docs");
    Api.Reply wrongType = api.post("definitions/" + name + "/runs", "{\"input\":{\"docs\":[1]}}");
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.json().at("/error/details/field").asText()).startsWith("input.docs");
    assertThat(
            api.post("definitions/" + name + "/runs", "{\"input\":{\"docs\":[]},\"nope\":1}")
                .json()
                .at("/error/details/field")
                .asText())
        .isEqualTo("nope");
    assertThat(api.post("definitions/" + name + "/runs", "{\"input\":").status()).isEqualTo(400);
    assertThat(
            api.post(
                    "definitions/" + name + "/runs",
                    "{\"input\":{\"docs\":[]},\"idempotencyKey\":\"\"}")
                .json()
                .at("/error/details/field")
                .asText())
        .isEqualTo("idempotencyKey");
    assertThat(api.post("definitions/" + unique("absent") + "/runs", "{\"input\":{}}").status())
        .isEqualTo(404);
    assertThat(api.get("workflows?definition=" + name).json().get("total").asInt()).isZero();
    assertThat(api.get("workflows/not-a-uuid").json().at("/error/details/field").asText())
        .isEqualTo("id");
    assertThat(api.get("workflows/" + UUID.randomUUID()).status()).isEqualTo(404);
    assertThat(api.get("workflows?status=DONE").json().at("/error/details/field").asText())
        .isEqualTo("status");
    assertThat(
            api.get("workflows/" + UUID.randomUUID() + "/events?type=Bad")
                .json()
                .at("/error/details/field")
                .asText())
        .isEqualTo("type");
  }

  @Test
  void eventsStreamAsServerSentEventsAndResumeFromTheLastId() throws Exception {
    String name = unique("stream");
    register(
        """
        name: %s
        steps:
          - name: only
            kind: parallel
            count: 3
            agent: {image: %s, handler: echo, runtime: process}
        """
            .formatted(name, IMAGE));
    String id = start(name, Api.object());
    awaitRun(id, Duration.ofMinutes(1));
    JsonNode history = api.get("workflows/" + id + "/events").json().get("items");
    assertThat(history.size()).isGreaterThan(6);
    long third = history.get(2).get("id").asLong();

    HttpResponse<java.util.stream.Stream<String>> stream =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(api.base().resolve("workflows/" + id + "/events/stream"))
                    .header("Authorization", "Bearer " + Api.ADMIN)
                    .header("Accept", "text/event-stream")
                    .header("Last-Event-ID", String.valueOf(third))
                    .build(),
                HttpResponse.BodyHandlers.ofLines());
    assertThat(stream.statusCode()).isEqualTo(200);
    List<Long> ids = new ArrayList<>();
    try (var lines = stream.body()) {
      var iterator = lines.iterator();
      while (ids.size() < history.size() - 3 && iterator.hasNext()) {
        String line = iterator.next();
        if (line.startsWith("id:")) {
          ids.add(Long.parseLong(line.substring(3).trim()));
        }
      }
    }
    assertThat(ids.get(0)).isEqualTo(history.get(3).get("id").asLong());
    assertThat(ids).isSorted().doesNotHaveDuplicates().allMatch(i -> i > third);
  }

  private HttpResponse<String> postDefinition(String path, String type, String body)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(api.base().resolve(path))
                .header("Authorization", "Bearer " + Api.ADMIN)
                .header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Every malformed definition of the validator's own test (over 50), sent to the running server:
   * each a 400 whose problems name exactly the field the validator names, and nothing registered.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "{1}")
  @org.junit.jupiter.params.provider.MethodSource(
      "io.agentainer.flow.server.definition.DefinitionValidationTest#malformed")
  void theServerNamesTheFieldOfEveryMalformedDefinition(String yaml, String path, String message)
      throws Exception {
    long before = api.get("definitions?size=1").json().get("total").asLong();
    HttpResponse<String> response = postDefinition("definitions", "application/yaml", yaml);
    assertThat(response.statusCode()).as(yaml + " -> " + response.body()).isEqualTo(400);
    JsonNode problems = Api.JSON.readTree(response.body()).at("/error/details/problems");
    List<String> named = new ArrayList<>();
    problems.forEach(p -> named.add(p.get("path").asText() + ": " + p.get("message").asText()));
    assertThat(named)
        .as(response.body())
        .anySatisfy(n -> assertThat(n).startsWith(path + ": ").contains(message));
    assertThat(api.get("definitions?size=1").json().get("total").asLong()).isEqualTo(before);
  }

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> malformed() {
    String[][] cases = {
      {"name: Bad Name", "steps: [{name: a, agent: {image: i}}]", "name"},
      {"name: x1", "steps: []", "steps"},
      {"name: x2", "steps: [{name: a, kind: teleport, agent: {image: i}}]", "steps[a].kind"},
      {
        "name: x3",
        "steps: [{name: a, dependsOn: [ghost], agent: {image: i}}]",
        "steps[a].dependsOn"
      },
      {
        "name: x4",
        "steps: [{name: a, dependsOn: [b], agent: {image: i}}, {name: b, dependsOn: [a], agent: {image: i}}]",
        "dependsOn"
      },
      {"name: x5", "steps: [{name: a, kind: map, agent: {image: i}}]", "steps[a].items"},
      {"name: x6", "steps: [{name: a, kind: reduce, agent: {image: i}}]", "steps[a]"},
      {"name: x7", "steps: [{name: a, timeout: soon, agent: {image: i}}]", "steps[a].timeout"},
      {"name: x8", "steps: [{name: a, maxParallel: 0, agent: {image: i}}]", "steps[a].maxParallel"},
      {"name: x9", "steps: [{name: a, when: '${input.(}', agent: {image: i}}]", "steps[a].when"},
      {"name: x10", "steps: [{name: a, agent: {image: i}}, {name: a, agent: {image: i}}]", "steps"},
      {"name: x11", "steps: [{name: a, kind: parallel, agent: {image: i}}]", "steps[a]"},
      {
        "name: x12",
        "steps: [{name: a, retry: {maxAttempts: -1}, agent: {image: i}}]",
        "steps[a].retry.maxAttempts"
      },
      {
        "name: x13",
        "steps: [{name: a, tolerance: {minSuccessRatio: 2}, agent: {image: i}}]",
        "steps[a].tolerance"
      },
      {"name: x14\nunknown: 1", "steps: [{name: a, agent: {image: i}}]", "unknown"},
    };
    return java.util.Arrays.stream(cases)
        .map(c -> org.junit.jupiter.params.provider.Arguments.of(c[0] + "\n" + c[1] + "\n", c[2]));
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("malformed")
  void malformedDefinitionsAre400sNamingTheStepAndFieldAndRegisterNothing(String yaml, String path)
      throws Exception {
    String text = yaml;
    long before = api.get("definitions?size=1").json().get("total").asLong();
    for (String endpoint : List.of("definitions/validate", "definitions")) {
      HttpResponse<String> response = postDefinition(endpoint, "application/yaml", text);
      assertThat(response.statusCode()).as(text + " -> " + response.body()).isEqualTo(400);
      JsonNode problems = Api.JSON.readTree(response.body()).at("/error/details/problems");
      List<String> paths = new ArrayList<>();
      problems.forEach(p -> paths.add(p.get("path").asText()));
      assertThat(paths)
          .as(response.body())
          .anyMatch(p -> p.startsWith(path.trim()) || p.contains(path.trim()));
    }
    assertThat(api.get("definitions?size=1").json().get("total").asLong()).isEqualTo(before);
  }
}
