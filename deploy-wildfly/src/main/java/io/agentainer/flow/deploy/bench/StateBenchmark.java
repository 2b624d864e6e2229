package io.agentainer.flow.deploy.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentainer.flow.sdk.client.FlowClient;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Workflow state increments ({@code POST /api/workflows/{id}/state/{key}/increment},
 * src/sdk/STATE.md) with 1, 8 and 32 concurrent clients, all clients of one measurement on the same
 * key: throughput and the latency of one increment, for two paths of the server measured side by
 * side in alternating rounds:
 *
 * <ul>
 *   <li><b>redis</b>: whole-number increments ({@code {"by": 1}}), whose new value comes from a hot
 *       counter in Redis (each increment one history row in PostgreSQL, no hot row);
 *   <li><b>postgres</b>: decimal increments ({@code {"by": 0.5}}), which always take the exclusive
 *       path on PostgreSQL (an advisory lock per key, read, write the row), the path whole-number
 *       increments take with {@code FLOW_STATE_HOT_COUNTERS=none}.
 * </ul>
 *
 * Each round uses a fresh key and ends by reading it back: the value must be the number of
 * increments times {@code by}, else the benchmark fails.
 *
 * <pre>java StateBenchmark [increments per (clients, path)] [api]</pre>
 *
 * Needs a running server ({@code flow up}).
 */
public final class StateBenchmark {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final int[] CLIENTS = {1, 8, 32};
  private static final int ROUNDS = 4;
  private static final int WARM_UP = 320; // per path, not counted
  private static final String DEFINITION = "bench-state";

  /** The two paths of the server, chosen by the increment's {@code by}. */
  enum Route {
    REDIS("redis", "1"),
    POSTGRES("postgres", "0.5");

    final String label;
    final String body;
    final BigDecimal by;

    Route(String label, String by) {
      this.label = label;
      this.body = "{\"by\":" + by + "}";
      this.by = new BigDecimal(by);
    }
  }

  /** What one (clients, path) measurement gathers over its rounds. */
  static final class Measurement {
    final List<Double> latencies = new ArrayList<>();
    long increments;
    long nanos;
    long repeatedAnswers;

    double opsPerSecond() {
      return increments / (nanos / 1e9);
    }
  }

  private StateBenchmark() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    String api = args.length > 1 ? args[1] : FlowClient.DEFAULT_BASE_URL;
    if (count < 1) {
      throw new IllegalArgumentException("the count must be at least 1, got " + count);
    }
    String token =
        System.getenv("FLOW_TOKEN") != null
            ? System.getenv("FLOW_TOKEN")
            : FlowClient.TokenFile.read(FlowClient.TokenFile.defaultPath()).orElseThrow();
    URI base = URI.create(api.endsWith("/") ? api : api + "/");
    int maxClients = CLIENTS[CLIENTS.length - 1];
    HttpClient[] clients = new HttpClient[maxClients]; // one per client: its own connection
    for (int i = 0; i < maxClients; i++) {
      clients[i] =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(10))
              .build();
    }
    HttpClient http = clients[0];

    send(
        http,
        base.resolve("definitions"),
        token,
        "application/yaml",
        "name: "
            + DEFINITION
            + "\nsteps:\n  - name: hold\n    kind: task\n"
            + "    agent: {image: "
            + ColdJobBenchmark.IMAGE
            + ", handler: echo, runtime: process}\n");
    String runId =
        JSON.readTree(
                send(
                    http,
                    base.resolve("definitions/" + DEFINITION + "/runs"),
                    token,
                    "application/json",
                    "{\"input\":{}}"))
            .get("id")
            .asText();
    URI state = base.resolve("workflows/" + runId + "/state/");

    int rounds = Math.min(ROUNDS, count);
    System.out.printf(
        "state increments, %d per (clients, path) in %d alternating rounds, all clients of a"
            + " measurement on one key (fresh per round), run %s%n",
        count, rounds, runId);
    for (Route route : Route.values()) {
      System.out.printf("  %-9s POST .../state/{key}/increment %s%n", route.label, route.body);
    }

    ExecutorService pool =
        Executors.newFixedThreadPool(
            maxClients,
            r -> {
              Thread t = new Thread(r, "bench-client");
              t.setDaemon(true);
              return t;
            });
    try {
      // not counted: connections of every client, JIT and caches of both paths
      for (Route route : Route.values()) {
        round(pool, clients, state, token, "warm-up-" + route.label, maxClients, WARM_UP, route);
      }

      Measurement[][] results = new Measurement[CLIENTS.length][Route.values().length];
      for (int c = 0; c < CLIENTS.length; c++) {
        for (Route route : Route.values()) {
          results[c][route.ordinal()] = new Measurement();
        }
      }
      for (int r = 0; r < rounds; r++) {
        int n = count / rounds + (r < count % rounds ? 1 : 0);
        Route[] order =
            r % 2 == 0
                ? new Route[] {Route.REDIS, Route.POSTGRES}
                : new Route[] {Route.POSTGRES, Route.REDIS};
        for (int c = 0; c < CLIENTS.length; c++) {
          for (Route route : order) {
            String key = "bench-" + route.label + "-c" + CLIENTS[c] + "-r" + r;
            Measurement m = results[c][route.ordinal()];
            Round done = round(pool, clients, state, token, key, CLIENTS[c], n, route);
            m.latencies.addAll(done.latencies);
            m.increments += n;
            m.nanos += done.nanos;
            m.repeatedAnswers += done.repeatedAnswers;
          }
        }
      }

      System.out.println();
      System.out.printf(
          "%7s  %-9s %10s %10s %10s%n", "clients", "path", "ops/s", "p50 ms", "p99 ms");
      for (int c = 0; c < CLIENTS.length; c++) {
        for (Route route : Route.values()) {
          Measurement m = results[c][route.ordinal()];
          System.out.printf(
              "%7d  %-9s %10.0f %10.2f %10.2f%n",
              CLIENTS[c],
              route.label,
              m.opsPerSecond(),
              ColdJobBenchmark.percentile(m.latencies, 50),
              ColdJobBenchmark.percentile(m.latencies, 99));
        }
      }
      System.out.println();
      for (int c = 0; c < CLIENTS.length; c++) {
        Measurement redis = results[c][Route.REDIS.ordinal()];
        Measurement postgres = results[c][Route.POSTGRES.ordinal()];
        System.out.printf(
            "ratio redis / postgres, %2d client%s: ops/s %.2f, p50 %.2f%n",
            CLIENTS[c],
            CLIENTS[c] == 1 ? " " : "s",
            redis.opsPerSecond() / postgres.opsPerSecond(),
            ColdJobBenchmark.percentile(redis.latencies, 50)
                / ColdJobBenchmark.percentile(postgres.latencies, 50));
      }
      System.out.printf(
          "%ncorrect: every round's key read back as increments x by (%d keys)%n",
          rounds * CLIENTS.length * Route.values().length);
      // allowed by STATE.md ("the value after this increment"), shown because it is not a ticket
      StringBuilder repeated = new StringBuilder();
      for (Route route : Route.values()) {
        for (int c = 0; c < CLIENTS.length; c++) {
          long repeats = results[c][route.ordinal()].repeatedAnswers;
          if (repeats > 0) {
            repeated.append(String.format(" %s/%d clients: %d;", route.label, CLIENTS[c], repeats));
          }
        }
      }
      System.out.println(
          repeated.length() == 0
              ? "answers: every increment answered a distinct value"
              : "answers that repeated a value another increment of the key also answered:"
                  + repeated.substring(0, repeated.length() - 1));
    } finally {
      pool.shutdownNow();
    }
  }

  record Round(List<Double> latencies, long nanos, long repeatedAnswers) {}

  /**
   * {@code n} increments of one fresh key by {@code clients} clients at once, then the key read
   * back. Every answer must be a multiple of {@code by} within {@code by .. n x by}, and the value
   * read back {@code n x by}.
   */
  static Round round(
      ExecutorService pool,
      HttpClient[] clients,
      URI state,
      String token,
      String key,
      int clientCount,
      int n,
      Route route)
      throws Exception {
    URI keyUri = state.resolve(URLEncoder.encode(key, StandardCharsets.UTF_8));
    URI incrementUri = URI.create(keyUri + "/increment");
    CountDownLatch ready = new CountDownLatch(clientCount);
    CountDownLatch gate = new CountDownLatch(1);
    List<Future<List<Sample>>> running = new ArrayList<>();
    for (int i = 0; i < clientCount; i++) {
      int share = n / clientCount + (i < n % clientCount ? 1 : 0);
      HttpClient client = clients[i];
      HttpRequest request =
          HttpRequest.newBuilder(incrementUri)
              .timeout(Duration.ofSeconds(60))
              .header("Authorization", "Bearer " + token)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(route.body))
              .build();
      running.add(
          pool.submit(
              () -> {
                List<Sample> samples = new ArrayList<>(share);
                ready.countDown();
                gate.await();
                for (int k = 0; k < share; k++) {
                  long t0 = System.nanoTime();
                  HttpResponse<String> r =
                      client.send(request, HttpResponse.BodyHandlers.ofString());
                  long t1 = System.nanoTime();
                  if (r.statusCode() != 200) {
                    throw new IllegalStateException(
                        "increment of " + key + " answered " + r.statusCode() + ": " + r.body());
                  }
                  samples.add(new Sample((t1 - t0) / 1e6, r.body()));
                }
                return samples;
              }));
    }
    ready.await(); // every client at the gate: the clock starts when they all may go
    long start = System.nanoTime();
    gate.countDown();
    List<Sample> samples = new ArrayList<>(n);
    try {
      for (Future<List<Sample>> f : running) {
        samples.addAll(f.get());
      }
    } catch (ExecutionException e) {
      for (Future<List<Sample>> f : running) {
        f.cancel(true);
      }
      throw new IllegalStateException(
          "round " + key + " (" + route.label + ", " + clientCount + " clients) failed",
          e.getCause());
    }
    long nanos = System.nanoTime() - start;

    boolean[] seen = new boolean[n + 1];
    long repeated = 0;
    List<Double> latencies = new ArrayList<>(n);
    for (Sample s : samples) {
      latencies.add(s.ms);
      BigDecimal value = JSON.readTree(s.body).path("value").decimalValue();
      int multiple;
      try {
        multiple = value.divide(route.by).intValueExact();
      } catch (ArithmeticException notWhole) {
        multiple = -1;
      }
      if (multiple < 1 || multiple > n) {
        throw new IllegalStateException(
            "WRONG ANSWER: an increment of "
                + key
                + " by "
                + route.by
                + " answered "
                + s.body
                + ", not a multiple of "
                + route.by
                + " within "
                + route.by
                + " .. "
                + route.by.multiply(BigDecimal.valueOf(n)));
      }
      if (seen[multiple]) {
        repeated++;
      }
      seen[multiple] = true;
    }

    HttpResponse<String> read =
        clients[0].send(
            HttpRequest.newBuilder(keyUri).header("Authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.ofString());
    BigDecimal expected = route.by.multiply(BigDecimal.valueOf(n));
    JsonNode value = read.statusCode() == 200 ? JSON.readTree(read.body()).get("value") : null;
    if (value == null || !value.isNumber() || value.decimalValue().compareTo(expected) != 0) {
      throw new IllegalStateException(
          "WRONG VALUE: after "
              + n
              + " increments by "
              + route.by
              + " from "
              + clientCount
              + " clients, GET "
              + keyUri
              + " answered "
              + read.statusCode()
              + " "
              + read.body()
              + ", expected the value "
              + expected);
    }
    return new Round(latencies, nanos, repeated);
  }

  record Sample(double ms, String body) {}

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
}
