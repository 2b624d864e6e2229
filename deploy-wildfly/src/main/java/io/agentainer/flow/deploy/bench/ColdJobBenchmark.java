package io.agentainer.flow.deploy.bench;

import io.agentainer.flow.sdk.client.FlowClient;
import io.agentainer.flow.sdk.client.Job;
import io.agentainer.flow.sdk.client.JobRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cold job latency: a job on a fresh container of the example agent, from the request to the result
 * with the container removed, beside {@code docker run --rm} of the same image doing the same work
 * (start, first 200 on /health, one task, removal), measured alternately in one run.
 *
 * <pre>java ColdJobBenchmark [runs] [api] [token]</pre>
 *
 * Prints medians, p99s and the ratio. Needs a running server ({@code flow up}) and the image
 * ({@code flow images}).
 */
public final class ColdJobBenchmark {

  static final String IMAGE = "agentainer/example-agent:latest";

  private ColdJobBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    FlowClient.Builder builder =
        FlowClient.builder().fromEnvironment().timeout(Duration.ofSeconds(30));
    if (args.length > 1) {
      builder.baseUrl(args[1]);
    }
    if (args.length > 2) {
      builder.token(args[2]);
    }
    FlowClient flow = builder.build();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    System.out.printf("cold job latency, %d runs each, alternating, image %s%n", runs, IMAGE);
    // one of each first, not counted: file caches, JIT of the server's paths
    flowJob(flow);
    dockerRun(http);

    List<Double> flowEndToEnd = new ArrayList<>();
    List<Double> flowServer = new ArrayList<>();
    List<Double> flowAcquire = new ArrayList<>();
    List<Double> docker = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      Sample sample = flowJob(flow);
      flowEndToEnd.add(sample.endToEndMs);
      flowServer.add(sample.serverMs);
      flowAcquire.add(sample.acquireMs);
      docker.add(dockerRun(http));
    }
    System.out.println();
    System.out.printf("%-52s %10s %10s%n", "", "median ms", "p99 ms");
    row("Flow cold job, client: POST -> result, agent removed", flowEndToEnd);
    row("Flow cold job, server: queued -> finished", flowServer);
    row("  of which agent acquisition (start -> first 200)", flowAcquire);
    row("docker run --rm: start -> 200 -> task -> removed", docker);
    System.out.printf(
        "%nratio Flow (client) / docker run --rm: median %.2f, p99 %.2f%n",
        percentile(flowEndToEnd, 50) / percentile(docker, 50),
        percentile(flowEndToEnd, 99) / percentile(docker, 99));
  }

  record Sample(double endToEndMs, double serverMs, double acquireMs) {}

  static Sample flowJob(FlowClient flow) throws InterruptedException {
    long start = System.nanoTime();
    String id =
        flow.submitJob(
                JobRequest.builder(IMAGE)
                    .handler("echo")
                    .runtime("docker")
                    .input(Map.of("n", 1))
                    .build())
            .id();
    Job job = flow.awaitJob(id, Duration.ofSeconds(60)); // the server answers when the job ends
    double endToEnd = (System.nanoTime() - start) / 1e6;
    if (!job.succeeded()) {
      throw new IllegalStateException("job " + id + " " + job.status() + ": " + job.error());
    }
    double server = Duration.between(job.queuedAt(), job.finishedAt()).toNanos() / 1e6;
    return new Sample(endToEnd, server, job.agentAcquireMs() == null ? 0 : job.agentAcquireMs());
  }

  static double dockerRun(HttpClient http) throws Exception {
    int port = freePort();
    String name = "agentainer-bench-" + port;
    long start = System.nanoTime();
    run(
        "docker",
        "run",
        "-d",
        "--rm",
        "--network",
        "host",
        "--name",
        name,
        "-e",
        "FLOW_AGENT_PORT=" + port,
        IMAGE);
    URI base = URI.create("http://127.0.0.1:" + port);
    while (true) {
      try {
        HttpResponse<Void> health =
            http.send(
                HttpRequest.newBuilder(base.resolve("/health")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (health.statusCode() == 200) {
          break;
        }
      } catch (IOException notYet) {
        // still starting
      }
      TimeUnit.MILLISECONDS.sleep(2);
    }
    HttpResponse<String> task =
        http.send(
            HttpRequest.newBuilder(base.resolve("/task"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"jobId\":\"bench\",\"attempt\":1,\"handler\":\"echo\",\"input\":{\"n\":1}}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (task.statusCode() != 200) {
      throw new IllegalStateException("docker run agent answered " + task.statusCode());
    }
    run("docker", "rm", "-f", name);
    return (System.nanoTime() - start) / 1e6;
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void row(String label, List<Double> values) {
    System.out.printf(
        "%-52s %10.1f %10.1f%n", label, percentile(values, 50), percentile(values, 99));
  }

  /** Nearest-rank percentile. */
  static double percentile(List<Double> values, double p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }
}
