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
}
