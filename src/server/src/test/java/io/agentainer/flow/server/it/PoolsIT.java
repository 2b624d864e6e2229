package io.agentainer.flow.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.agentainer.flow.server.infra.docker.DockerRuntimes;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.container.annotation.ArquillianTest;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Agent pools on a real Docker engine: pooled steps run their tasks on warm containers, and the
 * pool's policies (maxUses, idle timeout, health before a lease, the lease queue and its timeout,
 * drain) hold, counted by the containers' labels. (The test server runs at most 4 jobs at once;
 * {@link PoolLifecycleIT} runs a server of its own for wider fan-out, shutdown and restart.)
 */
@ArquillianTest
@RunAsClient
class PoolsIT {

  private static final String IMAGE = "agentainer/example-agent:latest";
  private static DockerClient docker;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.serverWar();
  }

  @ArquillianResource URL base;
  private Api api;

  @BeforeAll
  static void connect() {
    docker = DockerRuntimes.client("unix:///var/run/docker.sock", 4, Duration.ofSeconds(20));
  }

  @AfterAll
  static void close() throws Exception {
    docker.close();
  }

  @BeforeEach
  void client() throws Exception {
    api = new Api(base.toURI());
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A definition with one pooled step {@code work} of {@code kind} ({@code extra} lines added). */
  private void register(String name, String step, String pool) {
    Api.Reply reply =
        api.register(
            "name: "
                + name
                + "\nsteps:\n  - name: work\n"
                + step
                + "    agent: {image: "
                + IMAGE
                + ", handler: sleep, runtime: docker}\n"
                + "    executionMode: pooled\n"
                + "    pool: "
                + pool
                + "\n");
    assertThat(reply.status()).as(reply.text()).isIn(200, 201);
  }

  private String start(String definition) {
    Api.Reply reply = api.post("definitions/" + definition + "/runs", Api.object());
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

  private List<JsonNode> jobs(String runId) {
    List<JsonNode> jobs = new ArrayList<>();
    api.get("workflows/" + runId + "/jobs?size=500").json().get("items").forEach(jobs::add);
    return jobs;
  }

  /** The pool of {@code definition}'s step (the only one). */
  private JsonNode poolOf(String definition) {
    for (JsonNode pool : api.get("pools?size=500").json().get("items")) {
      if (definition.equals(pool.path("definition").asText())) {
        return api.get("pools/" + pool.get("id").asText()).json();
      }
    }
    throw new AssertionError("no pool for " + definition);
  }

  private JsonNode pool(String id) {
    return api.get("pools/" + id).json();
  }

  private List<Container> containersOf(String poolId, boolean all) {
    return docker
        .listContainersCmd()
        .withShowAll(all)
        .withLabelFilter(Map.of("agentainer.pool", poolId))
        .exec();
  }

  private JsonNode awaitPool(String id, String what, java.util.function.Predicate<JsonNode> done) {
    return await(what)
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> pool(id), done);
  }

  // ---- serving from warm agents --------------------------------------------------------------

  @Test
  void aRunWarmsItsPoolBeforeItsFirstPooledTaskSoNoTaskStartsCold() {
    String name = unique("poolwarm");
    Api.Reply registered =
        api.register(
            "name: "
                + name
                + "\nsteps:\n"
                + "  - name: first\n    kind: task\n    input: {ms: 100}\n"
                + "    agent: {image: "
                + IMAGE
                + ", handler: sleep, runtime: process}\n"
                + "  - name: work\n    kind: parallel\n    count: 6\n    dependsOn: [first]\n"
                + "    input: {ms: 50}\n"
                + "    agent: {image: "
                + IMAGE
                + ", handler: sleep, runtime: docker}\n"
                + "    executionMode: pooled\n    pool: {maxSize: 3, warmUp: true}\n"
                + "    maxParallel: 3\n");
    assertThat(registered.status()).as(registered.text()).isIn(200, 201);
    String poolId = poolOf(name).get("id").asText();
    String runId = start(name);
    // the warm-up starts with the run, before the pooled step has any job
    JsonNode warming = pool(poolId);
    assertThat(warming.get("size").asInt()).isEqualTo(3);
    assertThat(warming.get("leases").asLong()).isZero();
    JsonNode run = awaitRun(runId, Duration.ofMinutes(2));
    assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
    List<JsonNode> pooled =
        jobs(runId).stream().filter(j -> j.get("stepId").asText().equals("work")).toList();
    assertThat(pooled).hasSize(6);
    assertThat(pooled).allSatisfy(j -> assertThat(j.get("coldStart").asBoolean()).isFalse());
    assertThat(pool(poolId).get("coldStarts").asLong()).isZero();
    assertThat(containersOf(poolId, true)).hasSize(3);
  }

  // ---- lifecycle policies --------------------------------------------------------------------

  @Test
  void anAgentRetiresAfterMaxUsesAndAnotherReplacesIt() {
    String name = unique("poolmaxuses");
    register(
        name,
        "    kind: parallel\n    count: 6\n    input: {ms: 10}\n    maxParallel: 1\n",
        "{maxSize: 1, maxUses: 3, warmUp: false}");
    String poolId = poolOf(name).get("id").asText();
    JsonNode run = awaitRun(start(name), Duration.ofMinutes(2));
    assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");

    Map<String, Long> perAgent =
        jobs(run.get("id").asText()).stream()
            .collect(Collectors.groupingBy(j -> j.get("agentId").asText(), Collectors.counting()));
    assertThat(perAgent.values()).containsExactly(3L, 3L);
    JsonNode after =
        awaitPool(
            poolId,
            "both agents retired",
            p -> p.path("terminations").path("max_uses").asLong() == 2);
    assertThat(after.get("coldStarts").asLong()).isEqualTo(2);
    await("retired containers removed")
        .atMost(Duration.ofSeconds(30))
        .until(() -> containersOf(poolId, true).isEmpty());
  }

  @Test
  void theIdleTimeoutShrinksThePoolToItsMinSize() {
    String name = unique("poolidle");
    register(
        name,
        "    kind: task\n    input: {ms: 10}\n",
        "{minSize: 1, maxSize: 3, idleTimeout: PT2S, warmUp: false}");
    JsonNode declared = poolOf(name);
    String poolId = declared.get("id").asText();
    Api.Reply warm = api.post("pools/" + poolId + "/warm", Api.object().put("size", 3));
    assertThat(warm.status()).as(warm.text()).isEqualTo(202);
    awaitPool(poolId, "three idle agents", p -> p.get("idle").asInt() == 3);
    JsonNode shrunk =
        awaitPool(
            poolId,
            "the pool back at minSize",
            p -> p.get("size").asInt() == 1 && p.at("/terminations/idle_timeout").asLong() >= 2);
    assertThat(shrunk.at("/terminations/idle_timeout").asLong()).isEqualTo(2);
    assertThat(shrunk.get("idle").asInt()).isEqualTo(1);
    await("idle containers removed")
        .atMost(Duration.ofSeconds(30))
        .until(() -> containersOf(poolId, true).size() == 1);
    // it stays at minSize: the remaining agent outlives another idle timeout
    JsonNode later =
        await()
            .pollDelay(Duration.ofSeconds(3))
            .atMost(Duration.ofSeconds(10))
            .until(() -> pool(poolId), p -> true);
    assertThat(later.get("size").asInt()).isEqualTo(1);
  }

  @Test
  void aKilledIdleContainerIsSkippedByTheNextLeaseAndReplaced() {
    String name = unique("poolkill");
    register(name, "    kind: task\n    input: {ms: 10}\n", "{maxSize: 2, warmUp: false}");
    String poolId = poolOf(name).get("id").asText();
    api.post("pools/" + poolId + "/warm", Api.object().put("size", 1));
    JsonNode ready = awaitPool(poolId, "one idle agent", p -> p.get("idle").asInt() == 1);
    String killed = ready.at("/agents/0/id").asText();
    Container container = containersOf(poolId, false).get(0);
    assertThat(container.getLabels().get("agentainer.agent")).isEqualTo(killed);
    docker.killContainerCmd(container.getId()).exec();

    JsonNode run = awaitRun(start(name), Duration.ofMinutes(2));
    assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
    JsonNode job = jobs(run.get("id").asText()).get(0);
    assertThat(job.get("agentId").asText()).isNotEqualTo(killed);
    assertThat(job.get("attempt").asInt()).isEqualTo(1);
    JsonNode after =
        awaitPool(
            poolId, "the dead agent removed", p -> p.at("/terminations/unhealthy").asLong() == 1);
    assertThat(after.get("size").asInt()).isEqualTo(1);
  }

  @Test
  void aFullPoolQueuesLeasesAndServesThemInTurn() {
    String name = unique("poolqueue");
    register(
        name,
        "    kind: parallel\n    count: 3\n    input: {ms: 500}\n    maxParallel: 3\n",
        "{maxSize: 1, leaseTimeout: PT60S, warmUp: true}");
    String poolId = poolOf(name).get("id").asText();
    JsonNode run = awaitRun(start(name), Duration.ofMinutes(2));
    assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
    List<JsonNode> jobs = jobs(run.get("id").asText());
    assertThat(jobs.stream().map(j -> j.get("agentId").asText()).distinct()).hasSize(1);
    JsonNode after = pool(poolId);
    assertThat(after.get("exhaustions").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(after.get("leaseWaitP99Ms").asDouble()).isGreaterThanOrEqualTo(400);
  }

  @Test
  void aLeaseThatWaitsLongerThanTheLeaseTimeoutFailsWithAClearError() {
    String name = unique("pooltimeout");
    register(
        name,
        "    kind: parallel\n    count: 2\n    input: {ms: 8000}\n    maxParallel: 2\n"
            + "    tolerance: {maxFailures: 1}\n",
        "{maxSize: 1, leaseTimeout: PT2S, warmUp: false}");
    String poolId = poolOf(name).get("id").asText();
    api.post("pools/" + poolId + "/warm", null);
    awaitPool(poolId, "one idle agent", p -> p.get("idle").asInt() == 1);
    JsonNode run = awaitRun(start(name), Duration.ofMinutes(2));
    assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
    List<JsonNode> jobs = jobs(run.get("id").asText());
    Set<String> statuses =
        jobs.stream().map(j -> j.get("status").asText()).collect(Collectors.toSet());
    assertThat(statuses).containsExactlyInAnyOrder("SUCCEEDED", "FAILED");
    JsonNode failed =
        jobs.stream().filter(j -> j.get("status").asText().equals("FAILED")).findFirst().get();
    assertThat(failed.at("/error/type").asText()).isEqualTo("pool_exhausted");
    assertThat(failed.at("/error/message").asText()).contains("lease timeout").contains("2 s");
    assertThat(pool(poolId).get("leaseTimeouts").asLong()).isEqualTo(1);
  }

  // ---- operations ----------------------------------------------------------------------------

  @Test
  void drainRemovesEveryContainerAndThePoolServesAgainAfter() {
    String name = unique("pooldrain");
    register(name, "    kind: task\n    input: {ms: 10}\n", "{maxSize: 2, warmUp: false}");
    String poolId = poolOf(name).get("id").asText();
    api.post("pools/" + poolId + "/warm", null);
    awaitPool(poolId, "two idle agents", p -> p.get("idle").asInt() == 2);
    assertThat(containersOf(poolId, true)).hasSize(2);

    Api.Reply drained = api.post("pools/" + poolId + "/drain", null);
    assertThat(drained.status()).as(drained.text()).isEqualTo(202);
    assertThat(drained.json().get("stopping").asInt()).isEqualTo(2);
    await("drained containers removed")
        .atMost(Duration.ofSeconds(30))
        .until(() -> containersOf(poolId, true).isEmpty());
    assertThat(
            awaitPool(poolId, "drained", p -> p.at("/terminations/drained").asLong() == 2)
                .get("size")
                .asInt())
        .isZero();

    JsonNode run = awaitRun(start(name), Duration.ofMinutes(2));
    assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
  }

  @Test
  void resizeChecksEveryFieldAndChangesNothingOnAMistake() {
    String name = unique("poolresize");
    register(name, "    kind: task\n    input: {ms: 10}\n", "{minSize: 0, maxSize: 2}");
    String poolId = poolOf(name).get("id").asText();
    String poolName = poolOf(name).get("name").asText();

    Map<String, Object> bad = new HashMap<>();
    bad.put("maxSize", 0);
    Api.Reply zero = api.call("PUT", "pools/" + poolId, bad, Api.ADMIN);
    assertThat(zero.status()).isEqualTo(400);
    assertThat(zero.text()).contains("maxSize");
    Api.Reply cron =
        api.call("PUT", "pools/" + poolId, Map.of("warmSchedule", "every morning"), Api.ADMIN);
    assertThat(cron.status()).isEqualTo(400);
    assertThat(cron.text()).contains("warmSchedule");
    Api.Reply minAboveMax = api.call("PUT", "pools/" + poolId, Map.of("minSize", 3), Api.ADMIN);
    assertThat(minAboveMax.status()).isEqualTo(400);
    assertThat(minAboveMax.text()).contains("minSize");
    Api.Reply duration =
        api.call("PUT", "pools/" + poolId, Map.of("idleTimeout", "soon"), Api.ADMIN);
    assertThat(duration.status()).isEqualTo(400);
    assertThat(duration.text()).contains("idleTimeout");
    assertThat(pool(poolId).get("maxSize").asInt()).isEqualTo(2);

    Api.Reply ok =
        api.call(
            "PUT",
            "pools/" + poolName,
            Map.of("maxSize", 4, "maxUses", 10, "warmSchedule", "0 8 * * 1-5"),
            Api.ADMIN);
    assertThat(ok.status()).as(ok.text()).isEqualTo(200);
    assertThat(ok.json().get("maxSize").asInt()).isEqualTo(4);
    assertThat(ok.json().get("maxUses").asInt()).isEqualTo(10);
    assertThat(ok.json().get("nextWarmAt").asText()).contains("T08:00:00Z");
    assertThat(pool(poolId).get("maxSize").asInt()).isEqualTo(4);

    assertThat(api.get("pools/no-such-pool").status()).isEqualTo(404);
    assertThat(api.post("pools/" + poolId + "/warm", Api.object().put("size", 5)).status())
        .isEqualTo(400);
    assertThat(api.get("pools", null).status()).isEqualTo(401);
  }

  @Test
  void twoDefinitionsShareAPoolOnlyWhenTheirStepsSaySo() {
    String env = UUID.randomUUID().toString().substring(0, 8);
    String step =
        "    kind: task\n    input: {ms: 10}\n"
            + "    agent: {image: "
            + IMAGE
            + ", handler: sleep, runtime: docker, env: {SHARE: '"
            + env
            + "'}}\n    executionMode: pooled\n";
    String a = unique("poolsharea");
    String b = unique("poolshareb");
    String c = unique("poolsharec");
    for (String name : List.of(a, b)) {
      Api.Reply r =
          api.register(
              "name: "
                  + name
                  + "\nsteps:\n  - name: work\n"
                  + step
                  + "    pool: {shared: true, warmUp: false}\n");
      assertThat(r.status()).as(r.text()).isIn(200, 201);
    }
    Api.Reply r = api.register("name: " + c + "\nsteps:\n  - name: work\n" + step);
    assertThat(r.status()).as(r.text()).isIn(200, 201);

    List<JsonNode> shared = new ArrayList<>();
    for (JsonNode pool : api.get("pools?size=500").json().get("items")) {
      if (pool.at("/config/env/SHARE").asText().equals(env)) {
        shared.add(pool);
      }
    }
    assertThat(shared).hasSize(2);
    JsonNode sharedPool =
        shared.stream().filter(p -> p.get("shared").asBoolean()).findFirst().orElseThrow();
    assertThat(sharedPool.get("name").asText()).startsWith("shared-example-agent-");
    assertThat(sharedPool.has("definition")).isFalse();
    assertThat(poolOf(c).get("shared").asBoolean()).isFalse();

    JsonNode runA = awaitRun(start(a), Duration.ofMinutes(1));
    JsonNode runB = awaitRun(start(b), Duration.ofMinutes(1));
    assertThat(jobs(runA.get("id").asText()).get(0).get("poolId").asText())
        .isEqualTo(sharedPool.get("id").asText());
    assertThat(jobs(runB.get("id").asText()).get(0).get("agentId").asText())
        .isEqualTo(jobs(runA.get("id").asText()).get(0).get("agentId").asText());
  }

  @Test
  void aPoolWarmsOnItsCronSchedule() {
    String name = unique("poolcron");
    register(name, "    kind: task\n    input: {ms: 10}\n", "{maxSize: 2, warmUp: false}");
    String poolId = poolOf(name).get("id").asText();
    Api.Reply set =
        api.call(
            "PUT",
            "pools/" + poolId,
            Map.of("warmSchedule", "* * * * *", "warmSize", 1),
            Api.ADMIN);
    assertThat(set.status()).as(set.text()).isEqualTo(200);
    assertThat(set.json().get("nextWarmAt").isNull()).isFalse();
    assertThat(set.json().get("size").asInt()).isZero();
    // the next whole minute comes within 60 s; the node looks at schedules every 5 s
    JsonNode warmed =
        await("the scheduled warm-up")
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> pool(poolId), p -> p.get("idle").asInt() == 1);
    assertThat(warmed.get("size").asInt()).isEqualTo(1);
    assertThat(warmed.get("coldStarts").asLong()).isZero();
  }

  @Test
  void aStandaloneJobMayRunPooledOnTheAdHocPoolOfItsImage() {
    ObjectNode body = Api.object();
    body.putObject("agent")
        .put("image", IMAGE)
        .put("handler", "echo")
        .put("runtime", "docker")
        .putObject("env")
        .put("POOL_TEST", UUID.randomUUID().toString());
    body.put("executionMode", "pooled");
    body.putObject("input").put("hello", "pool");
    Api.Reply first = api.post("jobs", body);
    assertThat(first.status()).as(first.text()).isEqualTo(202);
    JsonNode one = api.awaitFinal(first.json().get("id").asText(), Duration.ofMinutes(1));
    Api.Reply second = api.post("jobs", body);
    JsonNode two = api.awaitFinal(second.json().get("id").asText(), Duration.ofMinutes(1));

    assertThat(one.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(two.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(one.get("coldStart").asBoolean()).isTrue();
    assertThat(two.get("coldStart").asBoolean()).isFalse();
    assertThat(two.get("agentId").asText()).isEqualTo(one.get("agentId").asText());
    assertThat(two.get("poolId").asText()).isEqualTo(one.get("poolId").asText());
    assertThat(pool(one.get("poolId").asText()).get("name").asText())
        .startsWith("adhoc-example-agent-");
  }
}
