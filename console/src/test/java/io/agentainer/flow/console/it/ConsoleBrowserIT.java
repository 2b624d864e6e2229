package io.agentainer.flow.console.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.container.annotation.ArquillianTest;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser (Debian's headless Chromium driven by its chromedriver) against the
 * real server deployed beside it: sign in, the pages, a run watched to its end without reloading, a
 * cancel. Screenshots of every page go to {@code target/screenshots}.
 */
@ArquillianTest
@RunAsClient
class ConsoleBrowserIT {

  private static final String TOKEN = System.getProperty("flow.test.admin.token");
  private static final String API =
      System.getProperty("flow.test.api", "http://127.0.0.1:8181/api");
  private static final Path SHOTS =
      Paths.get(System.getProperty("flow.test.output", "target"), "screenshots");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Deployment(name = "server", order = 1, testable = false)
  static WebArchive server() {
    return ConsoleDeployments.server();
  }

  @Deployment(name = "console", order = 2, testable = false)
  static WebArchive console() {
    return ConsoleDeployments.console();
  }

  @ArquillianResource
  @OperateOnDeployment("console")
  URL base;

  private WebDriver browser;
  private WebDriverWait wait;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void openBrowser() throws Exception {
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(
                new File(executable("flow.test.chromedriver", "/usr/bin/chromedriver")))
            .usingAnyFreePort()
            .build();
    Path profile = Files.createTempDirectory("flow-console-browser-");
    ChromeOptions options =
        new ChromeOptions()
            .setBinary(executable("flow.test.chromium", "/usr/bin/chromium"))
            .addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1280,800",
                "--user-data-dir=" + profile);
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    Files.createDirectories(SHOTS);
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  private static String executable(String property, String fallback) {
    String path = System.getProperty(property, fallback);
    assertThat(Path.of(path))
        .as("%s is needed (Debian: apt-get install chromium chromium-driver)", path)
        .isExecutable();
    return path;
  }

  private void open(String path) {
    browser.get(base.toString() + path);
  }

  private WebElement byId(String id) {
    return wait.until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
  }

  /** Clicks an element once it is clickable, scrolled to the middle of the page first. */
  private void click(WebElement element) {
    ((JavascriptExecutor) browser)
        .executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
    wait.until(ExpectedConditions.elementToBeClickable(element)).click();
  }

  private void screenshot(String name) throws Exception {
    Path png = SHOTS.resolve(name + ".png");
    Files.write(png, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    assertThat(png).isNotEmptyFile();
  }

  /** Types {@code text} into a Vaadin text field or area (its input is in the light DOM). */
  private void type(String id, String text) {
    WebElement field = byId(id);
    WebElement input = field.findElement(By.cssSelector("input, textarea"));
    input.clear();
    input.sendKeys(text);
  }

  /**
   * Marks the page in the browser's memory: the mark survives a page that updates itself and is
   * lost when the page is loaded again.
   */
  private void markPage() {
    ((JavascriptExecutor) browser).executeScript("window.flowMark = 'still here';");
  }

  private void assertNotReloaded() {
    assertThat(((JavascriptExecutor) browser).executeScript("return window.flowMark;"))
        .as("the page was not loaded again")
        .isEqualTo("still here");
  }

  private static boolean blank(String text) {
    return text == null || text.isBlank();
  }

  /** Picks the item labelled {@code label} in a Vaadin combo box, typing to find it. */
  private void pick(String id, String typed, String label) {
    WebElement input = byId(id).findElement(By.cssSelector("input"));
    input.sendKeys(typed);
    click(
        wait.until(
            ExpectedConditions.elementToBeClickable(
                By.xpath("//vaadin-combo-box-item[normalize-space(.)='" + label + "']"))));
    wait.until(d -> label.equals(input.getDomProperty("value")));
  }

  private void signIn() {
    open("");
    type("token", TOKEN);
    byId("sign-in").click();
    wait.until(ExpectedConditions.titleIs("Dashboard · Agentainer Flow"));
  }

  private JsonNode api(String method, String path, String type, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(API + "/" + path))
            .header("Authorization", "Bearer " + TOKEN);
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", type)
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
    return JSON.readTree(response.body());
  }

  /** Registers a definition of one parallel step of {@code count} sleeps and starts a run. */
  private String startSleeps(int count, int ms) throws Exception {
    String name = "console-" + UUID.randomUUID().toString().substring(0, 8);
    api(
        "POST",
        "definitions",
        "application/yaml",
        """
        name: %s
        steps:
          - name: nap
            kind: parallel
            count: %d
            input: {ms: %d}
            agent: {image: agentainer/example-agent:latest, handler: sleep, runtime: process}
        """
            .formatted(name, count, ms));
    return api("POST", "definitions/" + name + "/runs", "application/json", "{\"input\":{}}")
        .get("id")
        .asText();
  }

  @Test
  void aWrongTokenIsRefusedOnTheFieldAndTheRightOneSignsIn() throws Exception {
    open("pools");
    wait.until(ExpectedConditions.titleIs("Sign in · Agentainer Flow"));
    screenshot("login");
    type("token", "not-the-token");
    byId("sign-in").click();
    WebElement token = byId("token");
    wait.until(ExpectedConditions.attributeToBe(token, "invalid", "true"));
    assertThat(token.getDomProperty("errorMessage")).isEqualTo("The server refused this token");
    assertThat(browser.getTitle()).isEqualTo("Sign in · Agentainer Flow");

    type("token", TOKEN);
    byId("sign-in").click();
    wait.until(ExpectedConditions.titleIs("Dashboard · Agentainer Flow"));
    // the last 24 hours: rates drawn as columns, durations as bars, failures listed
    assertThat(byId("rates-chart").findElements(By.cssSelector("svg rect"))).isNotEmpty();
    assertThat(byId("rates-summary").getText())
        .matches("\\d+ started \\(.*/h\\) · \\d+ finished.*");
    byId("durations-chart");
    byId("recent-failures");
    screenshot("dashboard");
    // the token never reaches the browser
    assertThat(browser.getPageSource()).doesNotContain(TOKEN);

    byId("sign-out").click();
    wait.until(ExpectedConditions.titleIs("Sign in · Agentainer Flow"));
  }

  @Test
  void aRunIsWatchedToItsEndWithoutReloading() throws Exception {
    signIn();
    String run = startSleeps(4, 1500);
    open("runs/" + run);
    WebElement status = byId("run-status");
    markPage();
    // the page updates itself, pushed from the run's event stream: the same element goes from
    // running to succeeded, and the list of events grows to the run's last one
    wait.until(ExpectedConditions.textToBePresentInElement(status, "SUCCEEDED"));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("run-events"), "run.succeeded"));
    assertThat(byId("run-events").getText())
        .contains("step.started · nap", "job.succeeded · nap", "step.succeeded · nap");
    assertThat(byId("run-facts").getText()).startsWith("Started ").contains("took");
    assertNotReloaded();
    assertThat(byId("run-steps").getText()).contains("nap");
    assertThat(byId("run-result").getText()).contains("slept");
    // the DAG and the timeline are drawn as SVG: a node box and four job bars, on screen
    WebElement node =
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#run-dag g.flow-dag-node[data-step='nap'] rect")));
    assertThat(node.getRect().getWidth()).isGreaterThan(100);
    assertThat(browser.findElements(By.cssSelector("#run-timeline rect.flow-timeline-job")))
        .hasSize(4)
        .allSatisfy(bar -> assertThat(bar.getRect().getWidth()).isPositive());
    screenshot("run-detail");

    // a job drilled into: its input, output and logs in a dialog
    click(
        browser.findElement(
            By.xpath("//*[@id='run-jobs']//vaadin-grid-cell-content[normalize-space(.)='nap']")));
    WebElement output = byId("job-output");
    assertThat(output.getText()).contains("\"slept\" : 1500");
    assertThat(byId("job-input").getText()).contains("\"ms\" : 1500");
    byId("job-logs");
    screenshot("job-dialog");
    click(byId("job-dialog-close"));

    open("workflows");
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("runs"), run.substring(0, 8)));
    screenshot("workflows");

    open("jobs");
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("jobs"), run.substring(0, 8)));
    screenshot("jobs");

    open("pools");
    byId("pools");
    screenshot("pools");
  }

  @Test
  void theWordCountStartedFromTheDefinitionsPageCompletesOnItsRunPage() throws Exception {
    signIn();
    String name = "console-wordcount-" + UUID.randomUUID().toString().substring(0, 8);
    api(
        "POST",
        "definitions",
        "application/yaml",
        """
        name: %s
        description: count words
        parameters:
          type: object
          required: [docs]
          properties:
            docs: {type: array, items: {type: string}}
            label: {type: string}
        steps:
          - name: list
            kind: task
            agent: {image: agentainer/example-agent:latest, handler: split, runtime: process}
            input: {docs: "${input.docs}"}
          - name: count
            kind: map
            dependsOn: [list]
            items: "${results.list.docs}"
            agent: {image: agentainer/example-agent:latest, handler: wordcount, runtime: process}
          - name: total
            kind: reduce
            dependsOn: [count]
            agent: {image: agentainer/example-agent:latest, handler: sum, runtime: process}
        """
            .formatted(name));
    open("definitions");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("definitions"), name));
    click(
        browser.findElement(
            By.xpath("//vaadin-grid-cell-content[normalize-space(.)='" + name + "']")));
    // the parameters are a form: a wrong value is shown on its field and starts nothing
    type("param-docs", "the cat");
    click(byId("start-run"));
    WebElement docs = byId("param-docs");
    wait.until(ExpectedConditions.attributeToBe(docs, "invalid", "true"));
    assertThat(docs.getDomProperty("errorMessage")).startsWith("docs: not JSON");
    assertThat(byId("definition-versions").getText()).contains("count words");
    type("param-docs", "[\"the cat\", \"the dog the end\"]");
    type("param-label", "from the console");
    screenshot("definitions");
    click(byId("start-run"));

    wait.until(ExpectedConditions.titleIs("Run · Agentainer Flow"));
    WebElement status = byId("run-status");
    wait.until(ExpectedConditions.textToBePresentInElement(status, "SUCCEEDED"));
    WebElement result = byId("run-result");
    assertThat(result.getText()).contains("\"the\" : 3").contains("\"total\" : 6");
    screenshot("wordcount-run");
  }

  @Test
  void aRunIsListedInItsTimeRange() throws Exception {
    signIn();
    String name = "console-start-" + UUID.randomUUID().toString().substring(0, 8);
    api(
        "POST",
        "definitions",
        "application/yaml",
        """
        name: %s
        steps:
          - name: hello
            kind: task
            agent: {image: agentainer/example-agent:latest, handler: echo, runtime: process}
        """
            .formatted(name));
    open("workflows");
    type("run-definition", name);
    pick("run-created", "last hour", "In the last hour");
    WebElement runs = byId("runs");
    wait.until(ExpectedConditions.textToBePresentInElement(runs, "No runs match"));
    markPage();
    // a run started elsewhere shows up by itself, pushed from the server's event stream
    String run =
        api("POST", "definitions/" + name + "/runs", "application/json", "{\"input\":{}}")
            .get("id")
            .asText();
    wait.until(ExpectedConditions.textToBePresentInElement(runs, run.substring(0, 8)));
    wait.until(ExpectedConditions.textToBePresentInElement(runs, "SUCCEEDED"));
    assertThat(runs.getText()).contains(name + " v1");
    assertNotReloaded();
    screenshot("workflows-filtered");
  }

  @Test
  void aDefinitionWithACycleShowsTheErrorOnTheField() throws Exception {
    signIn();
    open("definitions");
    type(
        "definition-text",
        "name: cyclic\nsteps:\n  - name: a\n    kind: task\n    dependsOn: [b]\n"
            + "    agent: {image: agentainer/example-agent:latest, handler: echo}\n"
            + "  - name: b\n    kind: task\n    dependsOn: [a]\n"
            + "    agent: {image: agentainer/example-agent:latest, handler: echo}\n");
    click(byId("register-definition"));
    WebElement field = byId("definition-text");
    wait.until(ExpectedConditions.attributeToBe(field, "invalid", "true"));
    assertThat(field.getDomProperty("errorMessage")).containsIgnoringCase("cycle");
    screenshot("definition-cycle");
    // nothing was registered
    HttpResponse<String> missing =
        http.send(
            HttpRequest.newBuilder(URI.create(API + "/definitions/cyclic"))
                .header("Authorization", "Bearer " + TOKEN)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(missing.statusCode()).isEqualTo(404);
  }

  @Test
  void theRunsStateAndAKeysHistoryShowOnItsPage() throws Exception {
    signIn();
    String name = "console-state-" + UUID.randomUUID().toString().substring(0, 8);
    api(
        "POST",
        "definitions",
        "application/yaml",
        """
        name: %s
        steps:
          - name: bump
            kind: parallel
            count: 2
            input: {key: hits, by: 2, times: 3}
            agent: {image: agentainer/example-agent:latest, handler: incr, runtime: process}
        """
            .formatted(name));
    String run =
        api("POST", "definitions/" + name + "/runs", "application/json", "{\"input\":{}}")
            .get("id")
            .asText();
    open("runs/" + run);
    wait.until(ExpectedConditions.textToBePresentInElement(byId("run-status"), "SUCCEEDED"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("run-state"), "12"));
    click(
        browser.findElement(
            By.xpath("//*[@id='run-state']//vaadin-grid-cell-content[normalize-space(.)='hits']")));
    WebElement history = byId("state-history");
    wait.until(ExpectedConditions.visibilityOf(history));
    wait.until(ExpectedConditions.textToBePresentInElement(history, "INCREMENT"));
    // each change says what it added and which job made it
    assertThat(history.getText()).contains("+2").contains("job ");
    screenshot("run-state");
  }

  @Test
  void aLongRunIsCancelledFromItsPage() throws Exception {
    signIn();
    String run = startSleeps(2, 120_000);
    open("runs/" + run);
    WebElement status = byId("run-status");
    wait.until(ExpectedConditions.textToBePresentInElement(status, "RUNNING"));
    click(byId("cancel-run"));
    wait.until(ExpectedConditions.textToBePresentInElement(status, "CANCELLED"));
    assertThat(api("GET", "workflows/" + run, null, null).get("status").asText())
        .isEqualTo("CANCELLED");
    screenshot("run-cancelled");
  }

  @Test
  void aRunStartsFromTheWorkflowsPageWithItsParameters() throws Exception {
    signIn();
    String name = "console-dialog-" + UUID.randomUUID().toString().substring(0, 8);
    api(
        "POST",
        "definitions",
        "application/yaml",
        """
        name: %s
        parameters:
          type: object
          required: [greeting]
          properties:
            greeting: {type: string}
        steps:
          - name: hello
            kind: task
            input: {greeting: "${input.greeting}"}
            agent: {image: agentainer/example-agent:latest, handler: echo, runtime: process}
        """
            .formatted(name));
    open("workflows");
    click(byId("new-run"));
    byId("start-run-dialog");
    pick("start-definition", name, name + " (v1)");
    type("param-greeting", "hello from the dialog");
    screenshot("start-run-dialog");
    click(byId("start-run-confirm"));

    wait.until(ExpectedConditions.titleIs("Run · Agentainer Flow"));
    wait.until(ExpectedConditions.textToBePresentInElement(byId("run-status"), "SUCCEEDED"));
    assertThat(byId("run-result").getText()).contains("hello from the dialog");
  }

  @Test
  void theDashboardRedrawsItselfWhenRunsStart() throws Exception {
    signIn();
    String before = byId("rates-summary").getText();
    markPage();
    startSleeps(1, 10);
    // the card is drawn anew: find its summary again each time
    wait.ignoring(StaleElementReferenceException.class)
        .until(d -> !d.findElement(By.id("rates-summary")).getText().equals(before));
    assertThat(byId("rates-summary").getText())
        .matches("\\d+ started \\(.*/h\\) · \\d+ finished.*");
    assertNotReloaded();
  }

  @Test
  void everyPageFitsTheSmallAndTheLargeScreen() throws Exception {
    signIn();
    String run = startSleeps(3, 200);
    for (Dimension size : new Dimension[] {new Dimension(1280, 800), new Dimension(1920, 1080)}) {
      browser.manage().window().setSize(size);
      for (String page : new String[] {"", "workflows", "definitions", "jobs", "pools"}) {
        open(page);
        byId("sign-out");
        wait.until(
            d ->
                !d.findElements(By.cssSelector(".flow-page")).isEmpty()
                    && d.findElements(By.cssSelector("vaadin-grid[loading]")).isEmpty());
        Long overflow =
            (Long)
                ((JavascriptExecutor) browser)
                    .executeScript(
                        "const e = document.scrollingElement;"
                            + " return e.scrollWidth - e.clientWidth;");
        assertThat(overflow)
            .as("sideways scrolling on %s at %dx%d", page, size.width, size.height)
            .isLessThanOrEqualTo(0L);
        assertThat(
                browser
                    .findElements(
                        By.cssSelector(
                            "vaadin-text-field, vaadin-text-area, vaadin-combo-box,"
                                + " vaadin-password-field, vaadin-select"))
                    .stream()
                    .filter(
                        f ->
                            blank(f.getDomProperty("label"))
                                && blank(f.getDomAttribute("aria-label")))
                    .map(f -> f.getDomAttribute("id"))
                    .toList())
            .as("inputs without a label on %s", page)
            .isEmpty();
        screenshot((page.isEmpty() ? "dashboard" : page) + "-" + size.width + "x" + size.height);
      }
      open("runs/" + run);
      wait.until(ExpectedConditions.textToBePresentInElement(byId("run-status"), "SUCCEEDED"));
      screenshot("run-detail-" + size.width + "x" + size.height);
    }
    browser.manage().window().setSize(new Dimension(1280, 800));
  }

  @Test
  void aFailedRunIsRetriedFromItsPage() throws Exception {
    signIn();
    String name = "console-retry-" + UUID.randomUUID().toString().substring(0, 8);
    api(
        "POST",
        "definitions",
        "application/yaml",
        """
        name: %s
        steps:
          - name: flaky
            kind: task
            input: {failTimes: 1}
            agent: {image: agentainer/example-agent:latest, handler: fail, runtime: process}
        """
            .formatted(name));
    String run =
        api("POST", "definitions/" + name + "/runs", "application/json", "{\"input\":{}}")
            .get("id")
            .asText();
    open("runs/" + run);
    WebElement status = byId("run-status");
    wait.until(ExpectedConditions.textToBePresentInElement(status, "FAILED"));
    assertThat(byId("run-result").getText()).contains("failed on purpose (attempt 1)");
    markPage();
    click(byId("retry-run"));
    // the failed step runs again (attempt 2 succeeds); the page follows it without a reload
    wait.until(ExpectedConditions.textToBePresentInElement(status, "SUCCEEDED"));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("run-events"), "run.retried"));
    assertThat(byId("run-result").getText()).contains("\"attempt\" : 2");
    assertThat(byId("retry-run").getDomAttribute("disabled")).isNotNull();
    assertNotReloaded();
    screenshot("run-retried");
  }
}
