package io.agentainer.flow.sdk.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentainer.flow.sdk.agent.AgentHttp;
import io.agentainer.flow.sdk.agent.AgentHttp.Answer;
import io.agentainer.flow.sdk.agent.AgentServer;
import io.agentainer.flow.sdk.agent.StandInApi;
import io.agentainer.flow.sdk.example.ExampleAgent;
import io.agentainer.flow.sdk.example.workflows.EtlPipeline;
import io.agentainer.flow.sdk.example.workflows.Examples;
import io.agentainer.flow.sdk.example.workflows.StateOperations;
import io.agentainer.flow.sdk.example.workflows.WordCount;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The agent runtime serving workflow classes: each step's handler calls its method. */
class WorkflowAgentTest {

  private AgentServer server;
  private StandInApi api;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (api != null) {
      api.close();
    }
  }

  private AgentHttp start(Object... workflows) throws IOException {
    api = new StandInApi();
    server = AgentServer.builder().host("127.0.0.1").port(0).warmUp(false).build();
    WorkflowAgent.registerOn(server, new PrintStream(log, true, StandardCharsets.UTF_8), workflows);
    server.start();
    return new AgentHttp(server.port());
  }

  private String task(String handler, String step, int taskId, String input, String results) {
    return "{\"jobId\":\"job-"
        + step
        + "-"
        + taskId
        + "\",\"workflowId\":\"run-1\",\"stepId\":\""
        + step
        + "\",\"taskId\":"
        + taskId
        + ",\"attempt\":1,\"handler\":\""
        + handler
        + "\",\"input\":"
        + input
        + (results == null ? "" : ",\"results\":" + results)
        + ",\"flow\":{\"api\":\""
        + api.api()
        + "\",\"token\":\"t\"}}";
  }

  @Test
  void eachStepIsAHandlerNamedWorkflowDotStep() throws IOException {
    start(new EtlPipeline(), new WordCount());
    assertThat(server.handlerNames())
        .contains(
            "etl-pipeline.extract",
            "etl-pipeline.process_chunks",
            "etl-pipeline.aggregate",
            "wordcount-mapreduce.map",
            "wordcount-mapreduce.reduce");
  }

  @Test
  void aTaskGetsItsInputResultsAndStateThroughTheParameters() throws IOException {
    AgentHttp http = start(new EtlPipeline());

    Answer extract =
        http.task(task("etl-pipeline.extract", "extract", 0, "{\"input\":{\"records\":12}}", null));
    assertThat(extract.status()).isEqualTo(200);
    assertThat(extract.body().path("output").toString()).isEqualTo("{\"records\":12,\"chunks\":5}");
    assertThat(api.state().get("records").asInt()).isEqualTo(12);
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("extract[0] extracted 12 records");

    Answer chunk =
        http.task(
            task(
                "etl-pipeline.process_chunks",
                "process_chunks",
                1,
                "{\"input\":{},\"results\":{\"extract\":{\"records\":12,\"chunks\":5}},\"index\":1}",
                null));
    assertThat(chunk.body().path("output").toString()).isEqualTo("{\"chunkId\":1,\"count\":3}");

    Answer aggregate =
        http.task(
            task(
                "etl-pipeline.aggregate",
                "aggregate",
                0,
                "{\"input\":{}}",
                "[{\"taskId\":0,\"status\":\"SUCCEEDED\",\"output\":{\"chunkId\":0,\"count\":3}},"
                    + "{\"taskId\":1,\"status\":\"SUCCEEDED\",\"output\":{\"chunkId\":1,\"count\":4}}]"));
    assertThat(aggregate.body().path("output").path("total").asInt()).isEqualTo(7);
    assertThat(aggregate.body().path("output").path("chunks").asInt()).isEqualTo(2);
    assertThat(api.state().get("total").asInt()).isEqualTo(7);
  }

  @Test
  void atomicOperationsGoToTheRunsState() throws IOException {
    AgentHttp http = start(new StateOperations());
    for (int i = 0; i < 3; i++) {
      assertThat(
              http.task(task("state-operations.bump", "bump", i, "{\"index\":" + i + "}", null))
                  .status())
          .isEqualTo(200);
    }
    Map<String, com.fasterxml.jackson.databind.JsonNode> state = api.state();
    assertThat(state.get("hits").asInt()).isEqualTo(3);
    assertThat(state.get("order").toString()).isEqualTo("[0,1,2]");
    assertThat(state.get("tags").size()).isEqualTo(2);
  }

  @Test
  void inputThatDoesNotFitTheParameterFailsForGoodNamingTheStep() throws IOException {
    AgentHttp http = start(new WordCount());
    Answer answer =
        http.task(task("wordcount-mapreduce.map", "map", 0, "{\"item\":{\"not\":\"text\"}}", null));
    assertThat(answer.error().path("type").asText()).isEqualTo("bad_input");
    assertThat(answer.error().path("retryable").asBoolean()).isFalse();
    assertThat(answer.error().path("message").asText())
        .startsWith("map: the item does not fit String of WordCount.count()");
  }

  @Test
  void theExampleAgentServesEveryExampleWorkflow() throws IOException {
    try (AgentServer example = ExampleAgent.start(Map.of("FLOW_AGENT_PORT", "0"))) {
      for (Object workflow : Examples.all()) {
        String name = workflow.getClass().getAnnotation(Workflow.class).name();
        assertThat(example.handlerNames()).anyMatch(h -> h.startsWith(name + "."));
      }
      assertThat(example.handlerNames()).contains("echo", "wordcount", "sum");
    }
  }
}
