package io.agentainer.flow.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.container.annotation.ArquillianTest;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/** The real {@code agentainer} jar against the real server. */
@ArquillianTest
@RunAsClient
class CliIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.serverWar();
  }

  @ArquillianResource URL base;

  private record Run(int code, String out, String err) {}

  private Run cli(String... args) throws Exception {
    return cliAs(Api.ADMIN, args);
  }

  private Run cliAs(String token, String... args) throws Exception {
    File jar = new File(System.getProperty("flow.test.cli.jar"));
    assertThat(jar).as("the CLI jar (mvn package builds it)").isFile();
    List<String> command = new ArrayList<>(List.of("java", "-jar", jar.getPath()));
    command.addAll(List.of(args));
    command.addAll(List.of("--api", base.toString().replaceAll("/$", ""), "--token", token));
    Process p = new ProcessBuilder(command).start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  @Test
  void submitsAJobWaitsAndReadsItsOutputAndLogs() throws Exception {
    Run submit =
        cli(
            "job",
            "submit",
            "--image",
            "agentainer/example-agent:latest",
            "--handler",
            "wordcount",
            "--runtime",
            "process",
            "--input",
            "{\"item\":\"to be or not to be\"}",
            "--wait",
            "-o",
            "json");
    assertThat(submit.code()).as(submit.err()).isZero();
    JsonNode job = Api.JSON.readTree(submit.out());
    assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(job.at("/output/total").asInt()).isEqualTo(6);
    String id = job.get("id").asText();

    Run logs = cli("job", "logs", id);
    assertThat(logs.code()).isZero();
    assertThat(logs.out()).contains("listening");

    Run list = cli("list", "--size", "5");
    assertThat(list.code()).isZero();
    assertThat(list.out().lines().findFirst().orElseThrow())
        .contains("JOB", "WORKFLOW", "STEP", "TASK", "STATUS", "IMAGE", "AGE");
    assertThat(list.out()).contains(id.substring(0, 8)).contains("SUCCEEDED");
  }

  @Test
  void listsARunsJobsInStepAndTaskOrder() throws Exception {
    UUID run = TestDatabase.newRun();
    try (Connection c = TestDatabase.connect();
        PreparedStatement insert =
            c.prepareStatement(
                "insert into job (id, run_id, step_name, task_id, status, execution_mode, runtime, image,"
                    + " queued_at, due_at, started_at, finished_at) values (gen_random_uuid(), ?, ?, ?,"
                    + " 'SUCCEEDED', 'cold', 'docker', 'agentainer/example-agent:latest', now(), now(), now(), now())")) {
      for (String[] row :
          new String[][] {{"total", "0"}, {"count", "1"}, {"count", "0"}, {"list", "0"}}) {
        insert.setObject(1, run);
        insert.setString(2, row[0]);
        insert.setInt(3, Integer.parseInt(row[1]));
        insert.addBatch();
      }
      insert.executeBatch();
    }
    Run table = cli("workflow", "jobs", run.toString());
    assertThat(table.code()).as(table.err()).isZero();
    List<String> rows = table.out().lines().skip(1).filter(l -> l.contains("SUCCEEDED")).toList();
    assertThat(rows).hasSize(4);
    assertThat(rows.get(0)).contains("count").contains(" 0 ");
    assertThat(rows.get(1)).contains("count").contains(" 1 ");
    assertThat(rows.get(2)).contains("list");
    assertThat(rows.get(3)).contains("total");
    assertThat(rows).allSatisfy(r -> assertThat(r).contains(run.toString().substring(0, 8)));

    Run json = cli("workflow", "jobs", run.toString(), "--status", "FAILED", "-o", "json");
    assertThat(Api.JSON.readTree(json.out()).get("total").asInt()).isZero();
  }

  @Test
  void mistakesAreNamedAndServerRefusalsReported() throws Exception {
    Run badStatus = cli("list", "--status", "DONE");
    assertThat(badStatus.code()).isEqualTo(2);
    assertThat(badStatus.err()).contains("--status").contains("DONE");

    Run badInput = cli("job", "submit", "--image", "x:1", "--input", "{not json");
    assertThat(badInput.code()).isEqualTo(2);
    assertThat(badInput.err()).contains("--input");

    Run forbidden = cliAs("wrong-token", "list");
    assertThat(forbidden.code()).isEqualTo(1);
    assertThat(forbidden.err()).startsWith("agentainer: Authorization");

    Run unknown = cli("job", "get", UUID.randomUUID().toString());
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("not found");
  }

  @Test
  void appliesADefinitionRunsItAndShowsTheRun() throws Exception {
    String name = RunsIT.unique("cli");
    java.nio.file.Path file = java.nio.file.Files.createTempFile("definition", ".yaml");
    java.nio.file.Files.writeString(
        file,
        """
        name: %s
        steps:
          - name: count
            kind: task
            input: {item: "${input.text}"}
            agent: {image: agentainer/example-agent:latest, handler: wordcount, runtime: process}
        """
            .formatted(name));
    Run apply = cli("definition", "apply", "-f", file.toString());
    assertThat(apply.code()).as(apply.err()).isZero();
    assertThat(apply.out()).contains(name).contains("1");

    Run run = cli("run", name, "--param", "text=one two two", "--wait", "-o", "json");
    assertThat(run.code()).as(run.err()).isZero();
    JsonNode done = Api.JSON.readTree(run.out());
    assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(done.at("/output/words/two").asInt()).isEqualTo(2);

    Run status = cli("workflow", "status", done.get("id").asText());
    assertThat(status.code()).isZero();
    assertThat(status.out()).contains("count").contains("SUCCEEDED");

    Run events = cli("workflow", "events", done.get("id").asText(), "--type", "run.succeeded");
    assertThat(events.code()).isZero();
    assertThat(events.out()).contains("run.succeeded");

    java.nio.file.Files.writeString(file, "name: Bad Name\nsteps: []\n");
    Run invalid = cli("definition", "apply", "-f", file.toString());
    assertThat(invalid.code()).isEqualTo(2);
    assertThat(invalid.err()).contains("name").contains("steps");
  }

  @Test
  void listsShowsWarmsResizesAndDrainsAPool() throws Exception {
    String name = RunsIT.unique("clipool");
    Api api = new Api(base.toURI());
    Api.Reply registered =
        api.register(
            """
            name: %s
            steps:
              - name: work
                kind: task
                agent: {image: agentainer/example-agent:latest, handler: echo, runtime: process}
                executionMode: pooled
                pool: {maxSize: 2, warmUp: false}
            """
                .formatted(name));
    assertThat(registered.status()).as(registered.text()).isIn(200, 201);
    String pool = null;
    for (JsonNode p : api.get("pools?size=500").json().get("items")) {
      if (name.equals(p.path("definition").asText())) {
        pool = p.get("name").asText();
      }
    }
    assertThat(pool).isNotNull();

    Run list = cli("pool", "list", "--size", "500");
    assertThat(list.code()).as(list.err()).isZero();
    assertThat(list.out()).contains(pool).contains("process");

    Run warm = cli("pool", "warm", pool, "--size", "1");
    assertThat(warm.code()).as(warm.err()).isZero();
    String warmed = pool;
    await()
        .atMost(java.time.Duration.ofSeconds(60))
        .until(() -> api.get("pools/" + warmed).json().get("idle").asInt() == 1);

    Run show = cli("pool", "show", pool, "-o", "json");
    assertThat(show.code()).as(show.err()).isZero();
    JsonNode shown = Api.JSON.readTree(show.out());
    assertThat(shown.get("idle").asInt()).isEqualTo(1);
    assertThat(shown.get("agents")).hasSize(1);

    Run resize = cli("pool", "resize", pool, "--max", "3");
    assertThat(resize.code()).as(resize.err()).isZero();
    assertThat(api.get("pools/" + pool).json().get("maxSize").asInt()).isEqualTo(3);
    Run badResize = cli("pool", "resize", pool, "--max", "0");
    assertThat(badResize.code()).isNotZero();
    assertThat(badResize.err()).contains("--max");

    Run drain = cli("pool", "drain", pool);
    assertThat(drain.code()).as(drain.err()).isZero();
    await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(() -> api.get("pools/" + warmed).json().get("size").asInt() == 0);
    Run missing = cli("pool", "show", "no-such-pool");
    assertThat(missing.code()).isNotZero();
    assertThat(missing.err()).contains("not found");
  }
}
