package io.agentainer.flow.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentainer.flow.sdk.agent.AgentServer;
import io.agentainer.flow.sdk.client.FlowClient;
import io.agentainer.flow.sdk.example.ExampleAgent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Orchestration overhead per step: a chain of 100 no-op steps ({@code echo}) on the process
 * runtime. The overhead of a step is the time from the end of one step's job to the start of the
 * next one's (the job's end recorded, the step decided, the next job queued, claimed and started),
 * and, as a whole, (wall time minus the jobs' own time) / 100. Printed beside one PostgreSQL commit
 * and one HTTP round trip to an agent, measured in the same run.
 *
 * <pre>java OverheadBenchmark [steps] [api] [dbUrl]</pre>
 */
public final class OverheadBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();

  private OverheadBenchmark() {}

  public static void main(String[] args) throws Exception {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    String api = args.length > 1 ? args[1] : FlowClient.DEFAULT_BASE_URL;
    String dbUrl = args.length > 2 ? args[2] : "jdbc:postgresql://127.0.0.1:5432/postgres";
    String token =
        System.getenv("FLOW_TOKEN") != null
            ? System.getenv("FLOW_TOKEN")
            : FlowClient.TokenFile.read(FlowClient.TokenFile.defaultPath()).orElseThrow();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI base = URI.create(api.endsWith("/") ? api : api + "/");

    String name = "bench-chain-" + steps;
    StringBuilder yaml = new StringBuilder("name: " + name + "\nsteps:\n");
    for (int i = 0; i < steps; i++) {
      yaml.append("  - name: s")
          .append(i)
          .append("\n    kind: task\n")
          .append(i == 0 ? "" : "    dependsOn: [s" + (i - 1) + "]\n")
          .append(
              "    agent: {image: agentainer/example-agent:latest, handler: echo, runtime: process}\n");
    }
    send(http, base.resolve("definitions"), token, "application/yaml", yaml.toString());

    System.out.printf(
        "orchestration overhead, a chain of %d no-op steps on the process runtime%n", steps);
    long start = System.nanoTime();
    JsonNode started =
        JSON.readTree(
            send(
                http,
                base.resolve("definitions/" + name + "/runs"),
                token,
                "application/json",
                "{\"input\":{}}"));
    String runId = started.get("id").asText();
    JsonNode run;
    do {
      TimeUnit.MILLISECONDS.sleep(
          100); // a 35-second run: a coarse look suffices, the figures come from the server
      run = JSON.readTree(get(http, base.resolve("workflows/" + runId), token));
    } while (!run.get("status").asText().matches("SUCCEEDED|FAILED|CANCELLED|TIMED_OUT"));
    double wallMs = (System.nanoTime() - start) / 1e6;
    if (!run.get("status").asText().equals("SUCCEEDED")) {
      throw new IllegalStateException(
          "the run " + runId + " ended " + run.get("status") + ": " + run.get("error"));
    }
    JsonNode jobs =
        JSON.readTree(get(http, base.resolve("workflows/" + runId + "/jobs?size=500"), token))
            .get("items");
    List<JsonNode> chain = new ArrayList<>();
    jobs.forEach(chain::add);
    chain.sort((x, y) -> Integer.compare(index(x), index(y)));
    List<Double> gaps = new ArrayList<>();
    double jobsMs = 0;
    Instant runCreated = Instant.parse(run.get("createdAt").asText());
    Instant runFinished = Instant.parse(run.get("finishedAt").asText());
    for (int i = 0; i < chain.size(); i++) {
      Instant jobStart = Instant.parse(chain.get(i).get("startedAt").asText());
      Instant jobEnd = Instant.parse(chain.get(i).get("finishedAt").asText());
      jobsMs += Duration.between(jobStart, jobEnd).toNanos() / 1e6;
      Instant previousEnd =
          i == 0 ? runCreated : Instant.parse(chain.get(i - 1).get("finishedAt").asText());
      gaps.add(Duration.between(previousEnd, jobStart).toNanos() / 1e6);
    }
    double serverWallMs = Duration.between(runCreated, runFinished).toNanos() / 1e6;

    List<Double> commits = commits(dbUrl, 200);
    List<Double> roundTrips = agentRoundTrips(http, 200);

    System.out.println();
    System.out.printf("%-58s %10s %10s%n", "", "median ms", "p99 ms");
    row("overhead per step: a job's end -> the next job's start", gaps);
    row("one PostgreSQL commit (insert + commit)", commits);
    row("one HTTP round trip to an agent (POST /task echo)", roundTrips);
    System.out.printf(
        "%nwall time %.0f ms (server %.0f ms), jobs' own time %.0f ms: (wall - jobs) / %d steps = %.1f ms per step%n",
        wallMs, serverWallMs, jobsMs, steps, (serverWallMs - jobsMs) / steps);
    double budget =
        ColdJobBenchmark.percentile(commits, 50) + ColdJobBenchmark.percentile(roundTrips, 50);
    System.out.printf(
        "ratio overhead median / (commit + round trip) medians: %.1f (target at most 3)%n",
        ColdJobBenchmark.percentile(gaps, 50) / budget);
  }

  private static int index(JsonNode job) {
    return Integer.parseInt(job.get("stepId").asText().substring(1));
  }

  private static List<Double> commits(String url, int n) throws Exception {
    List<Double> times = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, "postgres", "postgres")) {
      // a regular table: a temporary one skips the write-ahead log and flatters the commit
      try (Statement s = c.createStatement()) {
        s.execute("drop table if exists flow_bench_commit");
        s.execute("create table flow_bench_commit (id uuid primary key, at timestamptz)");
      }
      c.setAutoCommit(false);
      try (PreparedStatement insert =
          c.prepareStatement("insert into flow_bench_commit values (?, now())")) {
        for (int i = 0; i < n + 20; i++) {
          long t0 = System.nanoTime();
          insert.setObject(1, UUID.randomUUID());
          insert.executeUpdate();
          c.commit();
          if (i >= 20) {
            times.add((System.nanoTime() - t0) / 1e6);
          }
        }
      }
      c.setAutoCommit(true);
      try (Statement s = c.createStatement()) {
        s.execute("drop table flow_bench_commit");
      }
    }
    return times;
  }

  private static List<Double> agentRoundTrips(HttpClient http, int n) throws Exception {
    List<Double> times = new ArrayList<>();
    try (AgentServer agent = ExampleAgent.start(Map.of("FLOW_AGENT_PORT", "0"))) {
      URI task = agent.uri().resolve("/task");
      String body = "{\"jobId\":\"bench\",\"attempt\":1,\"handler\":\"echo\",\"input\":{\"n\":1}}";
      for (int i = 0; i < n + 50; i++) {
        long t0 = System.nanoTime();
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(task)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          throw new IllegalStateException("agent answered " + r.statusCode());
        }
        if (i >= 50) {
          times.add((System.nanoTime() - t0) / 1e6);
        }
      }
    }
    return times;
  }

  private static String send(HttpClient http, URI uri, String token, String type, String body)
      throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(uri + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  private static String get(HttpClient http, URI uri, String token) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(uri + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  private static void row(String label, List<Double> values) {
    System.out.printf(
        "%-58s %10.2f %10.2f%n",
        label, ColdJobBenchmark.percentile(values, 50), ColdJobBenchmark.percentile(values, 99));
  }
}
