package io.agentainer.flow.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.container.annotation.ArquillianTest;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two runs of 100 jobs each under the test server's global limit of 4 ({@code FLOW_MAX_PARALLEL}):
 * they progress together, and never more than 4 jobs run at once.
 */
@ArquillianTest
@RunAsClient
@Tag("slow")
class FairnessIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.serverWar();
  }

  @ArquillianResource URL base;

  @Test
  void twoRunsProgressTogetherUnderTheGlobalLimit() throws Exception {
    Api api = new Api(base.toURI());
    String name = RunsIT.unique("fair");
    String yaml =
        """
        name: %s
        steps:
          - name: many
            kind: parallel
            count: 100
            agent: {image: agentainer/busybox-agent:latest, handler: echo, runtime: docker}
        """
            .formatted(name);
    HttpResponse<String> registered =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(api.base().resolve("definitions"))
                    .header("Authorization", "Bearer " + Api.ADMIN)
                    .header("Content-Type", "application/yaml")
                    .POST(HttpRequest.BodyPublishers.ofString(yaml))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
    String first =
        api.post("definitions/" + name + "/runs", "{\"input\":{}}").json().get("id").asText();
    String second =
        api.post("definitions/" + name + "/runs", "{\"input\":{}}").json().get("id").asText();

    for (String run : List.of(first, second)) {
      JsonNode done =
          await()
              .atMost(Duration.ofMinutes(4))
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () -> api.get("workflows/" + run).json(),
                  r -> !r.get("status").asText().equals("RUNNING"));
      assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
    }

    // when the jobs started, in order, and which run each belonged to
    TreeMap<Instant, String> starts = new TreeMap<>();
    List<Instant[]> intervals = new ArrayList<>();
    for (String run : List.of(first, second)) {
      JsonNode jobs = api.get("workflows/" + run + "/jobs?size=100").json().get("items");
      assertThat(jobs).hasSize(100);
      for (JsonNode job : jobs) {
        Instant start = Instant.parse(job.get("startedAt").asText());
        starts.put(start.plusNanos(starts.size()), run); // keep equal instants apart
        intervals.add(new Instant[] {start, Instant.parse(job.get("finishedAt").asText())});
      }
    }
    List<String> order = new ArrayList<>(starts.values());
    long firstInFirstHalf = order.subList(0, 100).stream().filter(first::equals).count();
    assertThat(firstInFirstHalf)
        .as("jobs of the first run among the first 100 started")
        .isBetween(40L, 60L);
    long firstInFirstQuarter = order.subList(0, 50).stream().filter(first::equals).count();
    assertThat(firstInFirstQuarter).isBetween(15L, 35L);

    // never more than the global limit at once
    for (Instant[] interval : intervals) {
      long overlapping =
          intervals.stream()
              .filter(o -> !o[0].isAfter(interval[0]) && o[1].isAfter(interval[0]))
              .count();
      assertThat(overlapping).isLessThanOrEqualTo(4);
    }
  }
}
