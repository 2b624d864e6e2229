package io.agentainer.flow.console.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.container.annotation.ArquillianTest;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * The console WAR deployed on the provisioned WildFly, seen from outside: over plain HTTP and in a
 * real (headless Chromium) browser. No API server runs here, and failsafe points the console at an
 * address where nothing listens, so the dashboard shows the API as unreachable.
 */
@ArquillianTest
@RunAsClient
class ConsoleIT {

  /** How long one Chromium run may take, start to exit. */
  private static final Duration BROWSER_LIMIT = Duration.ofSeconds(90);

  /** Where the console looks for the API in this test (failsafe sets FLOW_API for WildFly). */
  private static final String API = System.getProperty("flow.test.api", "http://127.0.0.1:1/api");

  private static final Path OUTPUT = Paths.get(System.getProperty("flow.test.output", "target"));

  @Deployment(testable = false)
  static WebArchive deployment() {
    File war = new File(System.getProperty("flow.test.war", "target/agentainer-flow-console.war"));
    if (!war.isFile()) {
      throw new IllegalStateException("build the WAR first (mvn package): " + war);
    }
    return ShrinkWrap.createFromZipFile(WebArchive.class, war);
  }

  @ArquillianResource URL base;

  @Test
  void theRootServesVaadinsBootstrapPage() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(base.toURI()).timeout(Duration.ofSeconds(30)).GET().build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    System.out.println(response.body());
  }

  @Test
  void aBrowserShowsTheDashboardWithTheApiUnreachable() throws Exception {
    Path chromium = chromium();
    String url = base.toURI().toString();

    Path domFile = OUTPUT.resolve("console-dashboard.html");
    browse(chromium, "dom", domFile, "--dump-dom", url);
    String dom = Files.readString(domFile, StandardCharsets.UTF_8);
    System.out.println(dom);

    Path png = OUTPUT.resolve("console-dashboard.png");
    Files.deleteIfExists(png);
    browse(chromium, "screenshot", null, "--window-size=1280,800", "--screenshot=" + png, url);
    assertThat(png).isRegularFile();
    assertThat(Files.size(png)).isPositive();
  }

  /** Chromium: {@code /usr/bin/chromium}, else {@code chromium} on the PATH; fails without it. */
  private static Path chromium() {
    List<Path> candidates = new ArrayList<>();
    Optional.ofNullable(System.getProperty("flow.test.chromium"))
        .filter(p -> !p.isBlank())
        .map(Paths::get)
        .ifPresent(candidates::add);
    candidates.add(Paths.get("/usr/bin/chromium"));
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    for (String dir : path.split(Pattern.quote(File.pathSeparator))) {
      if (!dir.isBlank()) {
        candidates.add(Paths.get(dir, "chromium"));
        candidates.add(Paths.get(dir, "chromium-browser"));
      }
    }
    return candidates.stream()
        .filter(Files::isRegularFile)
        .filter(Files::isExecutable)
        .findFirst()
        .orElseGet(
            () ->
                fail(
                    "Chromium is not installed: ConsoleIT needs headless Chromium at"
                        + " /usr/bin/chromium or as chromium on the PATH (e.g. apt-get install"
                        + " chromium); looked at "
                        + candidates));
  }

  /**
   * Runs headless Chromium once, with a fresh profile, within {@link #BROWSER_LIMIT}; its standard
   * output goes to {@code stdout} (or is discarded), and it must exit with 0.
   */
  private static void browse(Path chromium, String name, Path stdout, String... arguments)
      throws IOException, InterruptedException {
    Files.createDirectories(OUTPUT);
    Path profile = Files.createTempDirectory("flow-chromium-");
    Path log = OUTPUT.resolve("chromium-" + name + ".log");
    List<String> command =
        new ArrayList<>(
            List.of(
                chromium.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + profile,
                "--virtual-time-budget=10000"));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
    if (stdout == null) {
      builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    } else {
      builder.redirectOutput(stdout.toFile());
    }
    Process process = builder.start();
    try {
      if (!process.waitFor(BROWSER_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
        fail("Chromium (" + name + ") did not finish within " + BROWSER_LIMIT + "; see " + log);
      }
      if (process.exitValue() != 0) {
        fail(
            "Chromium ("
                + name
                + ") exited with "
                + process.exitValue()
                + ":\n"
                + Files.readString(log, StandardCharsets.UTF_8));
      }
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      deleteRecursively(profile);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    }
  }

  @SuppressWarnings("unused")
  private static URI unused() {
    return URI.create(API);
  }
}
