package io.agentainer.flow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code agentainer definition apply|validate|list} against a stand-in API. */
class DefinitionCommandsTest {

  static final String YAML =
      """
      name: wordcount
      description: counts words
      steps:
        - name: count
          agent: {image: agentainer/example-agent:latest, handler: wordcount}
      """;

  static final String INVALID =
      """
      {"error": {"code": "invalid_definition",
                 "message": "steps[count].retry.maxAttempts: must be 1 or more",
                 "details": {"problems": [
                   {"path": "steps[count].retry.maxAttempts", "message": "must be 1 or more"},
                   {"path": "steps[total].dependsOn", "message": "unknown step 'cnt'"}]}}}
      """;

  @TempDir Path dir;
  private final ObjectMapper mapper = new ObjectMapper();
  private FakeApi api;
  private CliHarness cli;

  @BeforeEach
  void start() throws IOException {
    api = new FakeApi();
    cli = new CliHarness(api);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private Path file(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  // apply

  @Test
  void applySendsTheFileAsYamlAndPrintsTheNewVersion() throws IOException {
    api.json("POST", "/api/definitions", 201, "{\"name\":\"wordcount\",\"version\":3}");
    Path file = file("wordcount.yaml", YAML);

    assertThat(cli.run("definition", "apply", "-f", file.toString())).isZero();

    assertThat(cli.out()).isEqualTo("wordcount version 3\n");
    assertThat(cli.err()).isEmpty();
    FakeApi.Request seen = api.last();
    assertThat(seen.method()).isEqualTo("POST");
    assertThat(seen.path()).isEqualTo("/api/definitions");
    assertThat(seen.body()).isEqualTo(YAML);
    assertThat(seen.header("Content-Type")).startsWith("application/yaml");
    assertThat(seen.header("Authorization")).isEqualTo("Bearer t0k3n");
  }

  @Test
  void applyOfAnUnchangedDefinitionSaysSo() throws IOException {
    api.json("POST", "/api/definitions", 200, "{\"name\":\"wordcount\",\"version\":3}");
    assertThat(cli.run("definition", "apply", "--file", file("w.yml", YAML).toString())).isZero();
    assertThat(cli.out()).isEqualTo("wordcount version 3 (unchanged)\n");
  }

  @Test
  void theFileNameTellsTheFormatElseTheText() throws IOException {
    api.json("POST", "/api/definitions", 201, "{\"name\":\"w\",\"version\":1}");
    cli.run("definition", "apply", "-f", file("w.json", "{\"name\": \"w\"}").toString());
    assertThat(api.last().header("Content-Type")).startsWith("application/json");
    cli.run("definition", "apply", "-f", file("w.flow", "  {\"name\": \"w\"}").toString());
    assertThat(api.last().header("Content-Type")).startsWith("application/json");
    cli.run("definition", "apply", "-f", file("w.txt", YAML).toString());
    assertThat(api.last().header("Content-Type")).startsWith("application/yaml");
  }

  @Test
  void applyAsJsonPrintsTheReference() throws IOException {
    api.json("POST", "/api/definitions", 201, "{\"name\":\"wordcount\",\"version\":3}");
    assertThat(cli.run("definition", "apply", "-f", file("w.yaml", YAML).toString(), "-o", "json"))
        .isZero();
    assertThat(mapper.readTree(cli.out()))
        .isEqualTo(mapper.readTree("{\"name\":\"wordcount\",\"version\":3,\"created\":true}"));
  }

  @Test
  void anInvalidDefinitionExitsTwoWithEachProblem() throws IOException {
    api.json("POST", "/api/definitions", 400, INVALID);
    Path file = file("w.yaml", YAML);

    assertThat(cli.run("definition", "apply", "-f", file.toString())).isEqualTo(2);

    assertThat(cli.out()).isEmpty();
    assertThat(cli.err())
        .isEqualTo(
            "agentainer: "
                + file
                + " is not a valid definition:\n"
                + "steps[count].retry.maxAttempts: must be 1 or more\n"
                + "steps[total].dependsOn: unknown step 'cnt'\n");
  }

  @Test
  void anInvalidDefinitionAsJsonListsTheProblemsOnStdout() throws IOException {
    api.json("POST", "/api/definitions", 400, INVALID);
    assertThat(cli.run("definition", "apply", "-f", file("w.yaml", YAML).toString(), "-o", "json"))
        .isEqualTo(2);
    assertThat(mapper.readTree(cli.out()))
        .isEqualTo(
            mapper.readTree(
                """
                {"valid": false, "problems": [
                  {"path": "steps[count].retry.maxAttempts", "message": "must be 1 or more"},
                  {"path": "steps[total].dependsOn", "message": "unknown step 'cnt'"}]}
                """));
  }

  @Test
  void aMissingFileIsAUsageErrorNamingFile() {
    Path missing = dir.resolve("nope.yaml");
    assertThat(cli.run("definition", "apply", "-f", missing.toString())).isEqualTo(2);
    assertThat(cli.err())
        .startsWith("agentainer: Invalid value for option '--file': no file " + missing + "\n");
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void applyNeedsAFile() {
    assertThat(cli.run("definition", "apply")).isEqualTo(2);
    assertThat(cli.err()).contains("--file");
  }

  @Test
  void anotherRefusalIsAServerError() throws IOException {
    api.json(
        "POST",
        "/api/definitions",
        403,
        "{\"error\":{\"code\":\"forbidden\",\"message\":\"Authorization: not an admin token\"}}");
    assertThat(cli.run("definition", "apply", "-f", file("w.yaml", YAML).toString())).isEqualTo(1);
    assertThat(cli.err()).isEqualTo("agentainer: Authorization: not an admin token\n");
  }

  // validate

  @Test
  void validateSaysAValidFileIsValid() throws IOException {
    api.json("POST", "/api/definitions/validate", 200, "{\"valid\":true}");
    Path file = file("w.yaml", YAML);
    assertThat(cli.run("definition", "validate", "-f", file.toString())).isZero();
    assertThat(cli.out()).isEqualTo(file + " is valid\n");
    assertThat(api.last().body()).isEqualTo(YAML);
  }

  @Test
  void validateListsProblemsAndExitsTwo() throws IOException {
    api.json("POST", "/api/definitions/validate", 400, INVALID);
    Path file = file("w.yaml", YAML);
    assertThat(cli.run("definition", "validate", "-f", file.toString())).isEqualTo(2);
    assertThat(cli.err())
        .contains(file + " is not a valid definition:\n")
        .contains("\nsteps[total].dependsOn: unknown step 'cnt'\n");
  }

  @Test
  void validateAsJson() throws IOException {
    api.json("POST", "/api/definitions/validate", 200, "{\"valid\":true}");
    assertThat(
            cli.run("definition", "validate", "-f", file("w.yaml", YAML).toString(), "-o", "json"))
        .isZero();
    assertThat(mapper.readTree(cli.out())).isEqualTo(mapper.readTree("{\"valid\":true}"));
  }

  // list

  static final String DEFINITIONS =
      """
      {"items": [{"name": "wordcount", "latestVersion": 3, "description": "counts words",
                  "createdAt": "2025-01-02T03:07:00Z"},
                 {"name": "etl", "latestVersion": 12, "description": null,
                  "createdAt": "2024-12-30T03:10:00Z"}],
       "total": 2, "page": 0, "size": 50}
      """;

  @Test
  void listShowsNamesLatestVersionsAndAges() {
    api.json("GET", "/api/definitions", 200, DEFINITIONS);

    assertThat(cli.run("definition", "list")).isZero();

    assertThat(cli.out())
        .isEqualTo(
            """
            NAME       LATEST  DESCRIPTION   AGE
            wordcount  3       counts words  3m
            etl        12      -             3d
            page 1 of 1 (2 definitions)
            """);
    assertThat(api.last().rawQuery()).isEqualTo("page=0&size=50");
  }

  @Test
  void listCountsPagesFromOne() {
    api.json("GET", "/api/definitions", 200, "{\"items\":[],\"total\":3,\"page\":4,\"size\":2}");
    assertThat(cli.run("definition", "list", "--page", "5", "--size", "2")).isZero();
    assertThat(api.last().rawQuery()).isEqualTo("page=4&size=2");
    assertThat(cli.out()).isEqualTo("no definitions on page 5\npage 5 of 2 (3 definitions)\n");
  }

  @Test
  void noDefinitionsSaysSo() {
    api.json("GET", "/api/definitions", 200, "{\"items\":[],\"total\":0,\"page\":0,\"size\":50}");
    assertThat(cli.run("definition", "list")).isZero();
    assertThat(cli.out()).isEqualTo("no definitions\n");
  }

  @Test
  void listAsJsonIsThePage() throws IOException {
    api.json("GET", "/api/definitions", 200, DEFINITIONS);
    assertThat(cli.run("definition", "list", "-o", "json")).isZero();
    assertThat(mapper.readTree(cli.out()).path("items").get(1).path("latestVersion").asInt())
        .isEqualTo(12);
    assertThat(mapper.readTree(cli.out()).path("total").asInt()).isEqualTo(2);
  }

  @Test
  void aBadPageNamesTheOption() {
    assertThat(cli.run("definition", "list", "--page", "0")).isEqualTo(2);
    assertThat(cli.err()).contains("--page");
  }
}
