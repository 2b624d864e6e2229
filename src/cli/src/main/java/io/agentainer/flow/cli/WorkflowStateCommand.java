package io.agentainer.flow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.agentainer.flow.sdk.client.FlowClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code agentainer workflow state <id> [key]}: a run's state (see the SDK's {@code STATE.md}).
 *
 * <ul>
 *   <li>no key: every key, {@code KEY VALUE}, values as compact JSON cut to {@value #VALUE_WIDTH}
 *       characters unless {@code --wide}; {@code --output json} prints the object the API answers;
 *   <li>a key: its value as indented JSON; {@code no key <k> in run <id>} (exit code 1) when the
 *       run has no such key, the API's message when there is no such run;
 *   <li>{@code --at}: either, as it was at an instant or a time ago;
 *   <li>{@code --history}: the changes, oldest first ({@code ID AT OP KEY VALUE/DELTA JOB}), pages
 *       followed up to {@code --limit};
 *   <li>{@code --export FILE}: the whole state and history, streamed into a file next to {@code
 *       FILE} and moved there once complete, so a failed export leaves no file and replaces none.
 * </ul>
 */
@Command(
    name = "state",
    description =
        "Show a run's state: every key and its value, or one key's value; as it is now or as it"
            + " was at a time (--at); the changes that made it (--history); or export it all to a"
            + " file (--export).",
    footer = {
      "",
      "Examples:",
      "  RUN=9a8b7c6d-1111-2222-3333-444455556666",
      "  agentainer workflow state $RUN",
      "  agentainer workflow state $RUN processed --at 5m",
      "  agentainer workflow state $RUN --at 2026-11-27T10:15:30Z -o json",
      "  agentainer workflow state $RUN processed --history --from 1h",
      "  agentainer workflow state $RUN --export state.json"
    })
class WorkflowStateCommand extends ApiCommand {

  /** How many changes {@code --history} shows when {@code --limit} is not given. */
  static final int DEFAULT_LIMIT = 100;

  /** The most characters of a value a table shows without {@code --wide}. */
  static final int VALUE_WIDTH = 60;

  @Parameters(index = "0", paramLabel = "WORKFLOW_ID", description = "the run's id")
  String id;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "KEY",
      description = "only this key: its value, or with --history its changes")
  String key;

  @Option(
      names = "--at",
      paramLabel = "TIME",
      description =
          "as it was at TIME: ISO-8601 (2026-11-27T10:15:30Z) or a time ago (30s, 5m, 2h,"
              + " 1h30m); not with --history or --export")
  String at;

  @Option(
      names = "--history",
      description = "show the changes, oldest first: ID AT OP KEY VALUE/DELTA JOB")
  boolean history;

  @Option(
      names = "--from",
      paramLabel = "TIME",
      description = "with --history: only changes made at TIME or later (a time as for --at)")
  String from;

  @Option(
      names = "--to",
      paramLabel = "TIME",
      description = "with --history: only changes made before TIME (a time as for --at)")
  String to;

  @Option(
      names = "--limit",
      paramLabel = "N",
      converter = Converters.HistoryLimit.class,
      description =
          "with --history: show at most N changes, 1 to "
              + Converters.HistoryLimit.MAX
              + " (default: "
              + DEFAULT_LIMIT
              + ")")
  Integer limit;

  @Option(
      names = "--export",
      paramLabel = "FILE",
      description =
          "write the whole state and its history to FILE as JSON, streamed (not held in memory)")
  Path export;

  @Option(names = "--force", description = "with --export: replace FILE if it exists")
  boolean force;

  @Option(
      names = {"-w", "--wide"},
      description =
          "show whole values and job ids instead of their first "
              + VALUE_WIDTH
              + " and 8 characters")
  boolean wide;

  @Override
  public Integer call() {
    checkCombinations();
    if (export != null) {
      return export(exportTarget());
    }
    if (history) {
      Instant since = from == null ? null : moment("--from", from);
      Instant until = to == null ? null : moment("--to", to);
      if (since != null && until != null && since.isAfter(until)) {
        throw usage("Option '--from' must not be after '--to'");
      }
      return history(api(), since, until);
    }
    Instant when = at == null ? null : moment("--at", at);
    return key == null ? snapshot(api(), when) : entry(api(), when);
  }

  private void checkCombinations() {
    if (at != null && history) {
      throw usage("Option '--at' cannot be used with '--history'");
    }
    if (at != null && export != null) {
      throw usage("Option '--at' cannot be used with '--export'");
    }
    if (history && export != null) {
      throw usage("Option '--history' cannot be used with '--export'");
    }
    if (key != null && export != null) {
      throw usage("Parameter 'KEY' cannot be used with '--export': the export holds every key");
    }
    if (!history) {
      needsHistory("--from", from);
      needsHistory("--to", to);
      needsHistory("--limit", limit);
    }
    if (force && export == null) {
      throw usage("Option '--force' can only be used with '--export'");
    }
  }

  private void needsHistory(String option, Object value) {
    if (value != null) {
      throw usage("Option '" + option + "' can only be used with '--history'");
    }
  }

  private Instant moment(String option, String text) {
    try {
      return Times.moment(text, now());
    } catch (IllegalArgumentException e) {
      throw usage("Invalid value for option '" + option + "': " + e.getMessage());
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  private StateApi api() {
    return new StateApi(client().baseUrl(), root().token(), id);
  }

  // the state now or then

  private int snapshot(StateApi api, Instant when) {
    JsonNode state = api.snapshot(when);
    if (json()) {
      out().println(Json.write(state));
      return 0;
    }
    if (state.isEmpty()) {
      out().println(when == null ? "no keys" : "no keys at " + when);
      return 0;
    }
    Table table = new Table("KEY", "VALUE");
    new TreeSet<>(names(state)).forEach(name -> table.row(name, value(state.get(name))));
    table.print(out());
    return 0;
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private int entry(StateApi api, Instant when) {
    JsonNode answer;
    try {
      answer = api.entry(key, when);
    } catch (FlowClientException e) {
      if (e.status() == 404) {
        throw absent(api, when);
      }
      throw e;
    }
    if (json()) {
      out().println(Json.write(answer));
    } else {
      out().println(Json.write(answer.has("value") ? answer.get("value") : NullNode.getInstance()));
    }
    return 0;
  }

  /**
   * Why a key answered 404: the API's own message when the run itself is unknown (a look at the
   * run's state size tells), else that the run has no such key.
   */
  private FlowClientException absent(StateApi api, Instant when) {
    try {
      api.stats();
    } catch (FlowClientException e) {
      if (e.status() == 404) {
        return e;
      }
    }
    return new FlowClientException(
        404, "not_found", "no key " + key + " in run " + id + (when == null ? "" : " at " + when));
  }

  // history

  private int history(StateApi api, Instant since, Instant until) {
    int max = limit == null ? DEFAULT_LIMIT : limit;
    int size = Math.min(max, Converters.PageSize.MAX);
    List<JsonNode> changes = new ArrayList<>();
    long total = -1;
    for (int page = 0; ; page++) {
      JsonNode answer = api.history(key, since, until, page, size);
      JsonNode items = answer.path("items");
      total = answer.path("total").isNumber() ? answer.get("total").asLong() : -1;
      items.forEach(changes::add);
      boolean more =
          items.size() > 0
              && changes.size() < max
              && (total < 0 ? items.size() == size : changes.size() < total);
      if (!more) {
        break;
      }
    }
    List<JsonNode> shown = changes.size() > max ? changes.subList(0, max) : changes;
    if (json()) {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("items", shown);
      if (total >= 0) {
        answer.put("total", total);
      }
      out().println(Json.write(answer));
      return 0;
    }
    if (shown.isEmpty()) {
      out().println("no changes");
      return 0;
    }
    Table table = new Table("ID", "AT", "OP", "KEY", "VALUE/DELTA", "JOB");
    for (JsonNode change : shown) {
      table.row(
          text(change, "id"),
          at(text(change, "at")),
          text(change, "op"),
          text(change, "key"),
          valueOrDelta(change),
          JobPrinter.id(text(change, "jobId"), wide));
    }
    table.print(out());
    if (total > shown.size()) {
      out()
          .printf(
              "first %d of %d changes shown; see more with --limit, or narrow with --from/--to%n",
              shown.size(), total);
    }
    return 0;
  }

  private static String text(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asText() : null;
  }

  private static String at(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Times.instant(Times.parseInstant(text));
    } catch (DateTimeException e) {
      return text;
    }
  }

  /** A delete shows nothing, an increment its signed delta, any other change the value written. */
  private String valueOrDelta(JsonNode change) {
    if ("DELETE".equals(text(change, "op"))) {
      return null;
    }
    JsonNode delta = change.get("delta");
    if (delta != null && !delta.isNull()) {
      boolean plus = delta.isNumber() && delta.decimalValue().signum() >= 0;
      return (plus ? "+" : "") + value(delta);
    }
    return value(change.hasNonNull("value") ? change.get("value") : NullNode.getInstance());
  }

  /** A value on one line, cut to {@link #VALUE_WIDTH} characters with {@code ...} unless wide. */
  private String value(JsonNode value) {
    String text = Json.compact(value);
    if (wide || text.codePointCount(0, text.length()) <= VALUE_WIDTH) {
      return text;
    }
    return text.substring(0, text.offsetByCodePoints(0, VALUE_WIDTH - 3)) + "...";
  }

  // export

  /** Where to export: refused before any call when it is a directory, exists, or has no folder. */
  private Path exportTarget() {
    Path target = export.toAbsolutePath().normalize();
    if (Files.isDirectory(target)) {
      throw usage("Invalid value for option '--export': " + target + " is a directory");
    }
    if (!force && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw usage(
          "Invalid value for option '--export': "
              + target
              + " already exists; add --force to replace it");
    }
    Path folder = target.getParent();
    if (folder == null || !Files.isDirectory(folder)) {
      throw usage("Invalid value for option '--export': no directory " + folder);
    }
    return target;
  }

  private int export(Path target) {
    StateApi api = api();
    Path part =
        target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".part");
    try {
      Files.createFile(part);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write in " + part.getParent() + ": " + why(e), e);
    }
    try {
      long bytes = api.export(part);
      try {
        if (force) {
          Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        } else {
          Files.move(part, target);
        }
      } catch (FileAlreadyExistsException e) {
        throw new UncheckedIOException(
            target + " was made meanwhile; add --force to replace it", e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + target + ": " + why(e), e);
      }
      if (json()) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("workflowId", id);
        answer.put("file", target.toString());
        answer.put("bytes", bytes);
        out().println(Json.write(answer));
      } else {
        out().println("wrote " + bytes + (bytes == 1 ? " byte" : " bytes") + " to " + target);
      }
      return 0;
    } finally {
      try {
        Files.deleteIfExists(part);
      } catch (IOException e) {
        err().println("agentainer: could not remove " + part + ": " + why(e));
      }
    }
  }

  private static String why(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
