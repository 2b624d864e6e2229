package io.agentainer.flow.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentainer.flow.sdk.client.EventStream;
import io.agentainer.flow.sdk.client.FlowEvent;
import io.agentainer.flow.sdk.client.InvalidRequestException;
import io.agentainer.flow.sdk.client.Job;
import io.agentainer.flow.sdk.client.Run;
import io.agentainer.flow.sdk.client.WorkflowClient;
import io.agentainer.flow.sdk.example.workflows.EtlPipeline;
import io.agentainer.flow.sdk.example.workflows.Orders;
import io.agentainer.flow.sdk.example.workflows.PooledSquares;
import io.agentainer.flow.sdk.example.workflows.StateOperations;
import io.agentainer.flow.sdk.example.workflows.WordCount;
import io.agentainer.flow.sdk.example.workflows.WordCountByHand;
import io.agentainer.flow.sdk.workflow.LocalRunner;
import io.agentainer.flow.sdk.workflow.WorkflowCompiler;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.container.annotation.ArquillianTest;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SDK's example workflows, compiled from their annotations, on the real server with real agents
 * (the example agent serves their steps), through the async {@link WorkflowClient}: the same
 * results as in local mode.
 */
@ArquillianTest
@RunAsClient
class SdkWorkflowsIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.serverWar();
  }

  @ArquillianResource URL base;
  private WorkflowClient client;

  @BeforeEach
  void client() {
    client = WorkflowClient.builder().baseUrl(base.toString()).token(Api.ADMIN).build();
  }

  @AfterEach
  void close() {
    client.close();
  }

  /** Registers the class's definitions with every agent on the process runtime (fast agents). */
  private void register(Class<?> type) {
    for (ObjectNode definition : WorkflowCompiler.compileWithChildren(type, null).values()) {
      for (JsonNode step : definition.get("steps")) {
        if (step.has("agent")) {
          ((ObjectNode) step.get("agent")).put("runtime", "process");
        }
      }
      client.register(definition).join();
    }
  }

  private Run run(String definition, Object input) {
    String id = client.start(definition, input).join().id();
    Run run = client.await(id, Duration.ofMinutes(3)).join();
    assertThat(run.status()).as("%s: %s", definition, run.error()).isEqualTo("SUCCEEDED");
    return run;
  }

  @Test
  void theEtlExampleRunsItsFiveChunksAndAggregatesOnTheServer() {
    register(EtlPipeline.class);
    Run run = run("etl-pipeline", Map.of("records", 1003));

    assertThat(run.output().get("total").asInt()).isEqualTo(1003);
    assertThat(run.output().get("chunks").asInt()).isEqualTo(5);
    List<Job> chunks =
        client.jobs(run.id()).join().stream()
            .filter(j -> "process_chunks".equals(j.stepId()))
            .toList();
    assertThat(chunks).extracting(Job::taskId).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
    Map<String, JsonNode> state = client.state(run.id()).join();
    assertThat(state.get("records").asInt()).isEqualTo(1003);
    assertThat(state.get("total").asInt()).isEqualTo(1003);
    // the same as in local mode
    assertThat(run.output())
        .isEqualTo(LocalRunner.of(new EtlPipeline()).run(Map.of("records", 1003)).output());
  }

  @Test
  void parallelTasksChangeTheStateAtomically() {
    register(StateOperations.class);
    Run run = run("state-operations", Map.of());
    Map<String, JsonNode> state = client.state(run.id()).join();
    assertThat(state.get("hits").asInt()).isEqualTo(StateOperations.TASKS);
    assertThat(state.get("order")).hasSize(StateOperations.TASKS);
    assertThat(state.get("tags")).hasSize(2);
    assertThat(run.output().get("hits").asInt()).isEqualTo(StateOperations.TASKS);
  }

  @Test
  void aPooledStepOfPoolSizeFiveServesTwentyItems() {
    register(PooledSquares.class);
    Run run = run("pooled-squares", Map.of("items", IntStream.rangeClosed(1, 20).boxed().toList()));
    assertThat(run.output().asLong()).isEqualTo(2870);
    List<Job> squares =
        client.jobs(run.id()).join().stream().filter(j -> "square".equals(j.stepId())).toList();
    assertThat(squares).hasSize(20).allMatch(j -> "pooled".equals(j.executionMode()));
    assertThat(squares.stream().map(Job::poolId).distinct()).hasSize(1);
  }

  @Test
  void theMapReduceWordCountEqualsTheOneWrittenByHand() {
    register(WordCount.class);
    register(WordCountByHand.class);
    Map<String, Object> input = Map.of("docs", List.of("the cat", "The dog, the END", "cat"));
    Run mapReduce = run("wordcount-mapreduce", input);
    Run byHand = run("wordcount-by-hand", input);
    assertThat(mapReduce.output()).isEqualTo(byHand.output());
    assertThat(mapReduce.output().get("the").asInt()).isEqualTo(3);
  }

  @Test
  void aTypedInputIsCheckedByTheServerAndTheChildWorkflowRuns() {
    register(Orders.class);
    assertThatThrownBy(() -> client.start("orders", Map.of("id", "o-1", "express", true)).join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("lines");

    Run run =
        run(
            "orders",
            Map.of(
                "id",
                "o-2",
                "express",
                false,
                "lines",
                List.of(Map.of("sku", "a", "quantity", 3, "price", 50_000))));
    // the child audit run refused an order of 1,500.00
    assertThat(run.output().get("approved").asBoolean()).isFalse();
    assertThat(run.steps())
        .filteredOn(s -> s.name().equals("courier"))
        .extracting(Run.Step::status)
        .containsExactly("SKIPPED");
  }

  @Test
  void streamEventsSeesStepsStartAndSucceedInOrder() {
    register(EtlPipeline.class);
    String id = client.start("etl-pipeline", Map.of("records", 10)).join().id();
    List<FlowEvent> seen = Collections.synchronizedList(new ArrayList<>());
    try (EventStream stream =
        client.streamEvents(
            id, Set.of("step.started", "step.succeeded", "run.succeeded"), seen::add)) {
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> seen.stream().anyMatch(e -> e.type().equals("run.succeeded")));
    }
    List<String> steps = new ArrayList<>();
    seen.stream()
        .filter(e -> e.stepId() != null)
        .forEach(e -> steps.add(e.type() + " " + e.stepId()));
    assertThat(steps)
        .containsExactly(
            "step.started extract",
            "step.succeeded extract",
            "step.started process_chunks",
            "step.succeeded process_chunks",
            "step.started aggregate",
            "step.succeeded aggregate");
  }

  @Test
  void anUnfilteredStreamDeliversTheRunsWholeHistoryToItsLastEvent() {
    register(EtlPipeline.class);
    String id = client.start("etl-pipeline", Map.of("records", 10)).join().id();
    List<FlowEvent> seen = Collections.synchronizedList(new ArrayList<>());
    try (EventStream stream = client.flowClient().streamEvents(id, Set.of(), 0, seen::add)) {
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> seen.stream().anyMatch(e -> e.type().equals("run.succeeded")));
    }
    List<FlowEvent> recorded = client.flowClient().events(id, Set.of(), 0, 5000);
    assertThat(seen).extracting(FlowEvent::id).isSorted().doesNotHaveDuplicates();
    assertThat(seen)
        .extracting(FlowEvent::id)
        .containsExactlyElementsOf(recorded.stream().map(FlowEvent::id).toList());
    assertThat(seen.get(seen.size() - 1).type()).isEqualTo("run.succeeded");
  }

  @Test
  void aClientThatAsksForHttp2GetsTheRunsLastEventLive() throws Exception {
    register(EtlPipeline.class);
    String id = client.start("etl-pipeline", Map.of("records", 10)).join().id();
    // Java's HttpClient asks to upgrade to HTTP/2 by default; the server answers in HTTP/1.1,
    // where nothing holds a stream's last events back
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<Stream<String>> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "workflows/" + id + "/events/stream"))
                .header("Authorization", "Bearer " + Api.ADMIN)
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    CompletableFuture<Boolean> ended =
        CompletableFuture.supplyAsync(
            () -> {
              try (Stream<String> lines = response.body()) {
                return lines.anyMatch(line -> line.equals("event: run.succeeded"));
              }
            });
    assertThat(ended.get(2, TimeUnit.MINUTES)).isTrue();
  }

  @Test
  void everyRunsStreamTellsOfRunsEndingFromTheMomentItOpens() {
    register(EtlPipeline.class);
    String before = client.start("etl-pipeline", Map.of("records", 2)).join().id();
    client.await(before, Duration.ofMinutes(2)).join();
    List<FlowEvent> seen = Collections.synchronizedList(new ArrayList<>());
    try (EventStream stream =
        client
            .flowClient()
            .streamAllEvents(Set.of("run.started", "run.succeeded"), 0, seen::add, null)) {
      String first = client.start("etl-pipeline", Map.of("records", 3)).join().id();
      String second = client.start("etl-pipeline", Map.of("records", 4)).join().id();
      await()
          .atMost(Duration.ofMinutes(2))
          .until(
              () ->
                  seen.stream()
                      .filter(e -> e.type().equals("run.succeeded"))
                      .map(FlowEvent::workflowId)
                      .toList()
                      .containsAll(List.of(first, second)));
      assertThat(seen).extracting(FlowEvent::workflowId).doesNotContain(before);
      assertThat(seen)
          .extracting(FlowEvent::type)
          .containsOnly("run.started", "run.succeeded")
          .contains("run.started");
      assertThat(seen).extracting(FlowEvent::id).isSorted().doesNotHaveDuplicates();
    }
  }
}
