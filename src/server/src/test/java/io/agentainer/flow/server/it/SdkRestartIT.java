package io.agentainer.flow.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentainer.flow.sdk.client.Page;
import io.agentainer.flow.sdk.client.Run;
import io.agentainer.flow.sdk.client.RunRef;
import io.agentainer.flow.sdk.client.WorkflowClient;
import io.agentainer.flow.sdk.example.workflows.EtlPipeline;
import io.agentainer.flow.sdk.workflow.WorkflowCompiler;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The SDK's client across a server restart, on a WildFly of the test's own (port offset 500, its
 * own database, agent ports below the kernel's ephemeral range): a start with an idempotency key,
 * sent while the server is down, is retried until the server is back and creates exactly one run.
 */
@Tag("slow")
class SdkRestartIT {

  private static final String DB = "flow_sdk_it";
  private OwnServer server;

  @BeforeEach
  void serverOfItsOwn() throws Exception {
    OwnServer.freshDatabase(DB);
    server =
        new OwnServer(
            "sdk-node",
            500,
            Map.of(
                "FLOW_DB_URL",
                "jdbc:postgresql://127.0.0.1:5432/" + DB,
                "FLOW_AGENT_PORTS",
                "30000-30499"));
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void aStartRetriedAcrossARestartCreatesExactlyOneRun() throws Exception {
    try (WorkflowClient client =
        WorkflowClient.builder()
            .baseUrl("http://127.0.0.1:" + server.httpPort() + "/api")
            .token(Api.ADMIN)
            .retries(40)
            .backoff(Duration.ofMillis(250), Duration.ofSeconds(2))
            .build()) {
      ObjectNode definition = WorkflowCompiler.compile(EtlPipeline.class);
      definition.get("steps").forEach(s -> ((ObjectNode) s.get("agent")).put("runtime", "process"));
      client.register(definition).join();

      server.kill(false);
      // sent while nobody answers: retried with the same key until the server is back
      CompletableFuture<RunRef> started =
          client.start("etl-pipeline", Map.of("records", 10), "nightly-2026-11-27");
      server.start();
      RunRef first = started.join();
      RunRef again =
          client.start("etl-pipeline", Map.of("records", 10), "nightly-2026-11-27").join();

      assertThat(again.id()).isEqualTo(first.id());
      Page<Run> runs = client.flowClient().runs("etl-pipeline", Set.of(), 0, 50);
      assertThat(runs.total()).isEqualTo(1);
      Run run = client.await(first.id(), Duration.ofMinutes(3)).join();
      assertThat(run.status()).as("%s", run.error()).isEqualTo("SUCCEEDED");
      assertThat(run.output().get("total").asInt()).isEqualTo(10);
    }
  }
}
