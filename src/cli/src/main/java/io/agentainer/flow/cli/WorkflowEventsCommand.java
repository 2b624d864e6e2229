package io.agentainer.flow.cli;

import io.agentainer.flow.sdk.client.EventStream;
import io.agentainer.flow.sdk.client.FlowClientException;
import io.agentainer.flow.sdk.client.FlowEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code agentainer workflow events <id>}: a run's recorded events; with {@code --follow}, the
 * recorded ones and then new ones as they happen, until the run ends (or Ctrl-C).
 *
 * <p>Following stops at an event that ends the run ({@code run.succeeded|failed|cancelled|
 * timed_out}) once a look at the run confirms it has ended, so a run retried after an earlier end
 * is followed to its new end. The run is read once before following, so an unknown run or an
 * unreachable server fails at once; after that, a dropped connection is resumed. With {@code
 * --type}, those end events are asked for too (and not shown unless asked for), so the command
 * still knows when to stop. With {@code --output json}, followed events are printed one compact
 * JSON object a line.
 */
@Command(
    name = "events",
    description = "Show a run's events, oldest first; with --follow, stream them until it ends.",
    footer = {
      "",
      "Examples:",
      "  agentainer workflow events 9a8b7c6d-1111-2222-3333-444455556666 --type job.failed",
      "  agentainer workflow events 9a8b7c6d-1111-2222-3333-444455556666 --follow"
    })
class WorkflowEventsCommand extends ApiCommand {

  private static final Pattern TYPE = Pattern.compile("[a-z]+(\\.[a-z_]+)*");

  @Parameters(index = "0", paramLabel = "WORKFLOW_ID", description = "the run's id")
  String id;

  @Option(
      names = "--type",
      split = ",",
      paramLabel = "TYPE",
      description =
          "only events of this type (run.started, step.progress, job.failed...); repeat the"
              + " option or separate types with commas for several")
  List<String> types = new ArrayList<>();

  @Option(
      names = "--after",
      paramLabel = "EVENT_ID",
      converter = Converters.EventId.class,
      description = "only events after this one (default: from the first)")
  long after;

  @Option(
      names = "--limit",
      paramLabel = "N",
      converter = Converters.EventLimit.class,
      description = "show at most N events, 1 to 5000 (default: 500); not with --follow")
  Integer limit;

  @Option(
      names = "--follow",
      description = "keep streaming new events until the run ends (Ctrl-C to stop sooner)")
  boolean follow;

  @Option(
      names = {"-w", "--wide"},
      description = "show whole job ids instead of their first 8 characters")
  boolean wide;

  @Override
  public Integer call() throws InterruptedException {
    Set<String> wanted = new LinkedHashSet<>();
    for (String type : types) {
      String trimmed = type.trim();
      if (!TYPE.matcher(trimmed).matches()) {
        throw new ParameterException(
            spec.commandLine(),
            "Invalid value for option '--type': '"
                + type
                + "' is not an event type (like run.started or job.failed)");
      }
      wanted.add(trimmed);
    }
    if (follow && limit != null) {
      throw new ParameterException(
          spec.commandLine(), "Option '--limit' cannot be used with '--follow'");
    }
    return follow ? follow(wanted) : history(wanted);
  }

  private int history(Set<String> wanted) {
    int max = limit == null ? 500 : limit;
    List<FlowEvent> events = client().events(id, wanted, after, max);
    long last = events.isEmpty() ? after : events.get(events.size() - 1).id();
    if (json()) {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("items", events);
      answer.put("last", last);
      out().println(Json.write(answer));
      return 0;
    }
    new EventPrinter(out(), wide).table(events);
    if (events.size() == max) {
      out().println("first " + max + " events shown; the next ones with --after " + last);
    }
    return 0;
  }

  private int follow(Set<String> wanted) throws InterruptedException {
    Set<String> asked = new LinkedHashSet<>(wanted);
    if (!wanted.isEmpty()) {
      asked.addAll(FlowEvent.RUN_ENDED);
    }
    // fails fast, exit code 1, for an unknown run or a server that cannot be reached; the stream
    // itself would keep trying to reconnect
    client().run(id);
    EventPrinter printer = new EventPrinter(out(), wide);
    if (!json()) {
      printer.header();
    }
    CountDownLatch ended = new CountDownLatch(1);
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    try (EventStream stream =
        client()
            .streamEvents(
                id,
                asked,
                after,
                event -> {
                  if (wanted.isEmpty() || wanted.contains(event.type())) {
                    if (json()) {
                      out().println(Json.compact(Json.tree(event)));
                      out().flush();
                    } else {
                      printer.follow(event);
                    }
                  }
                  if (event.endsRun() && runHasEnded()) {
                    ended.countDown();
                  }
                },
                e -> {
                  failure.set(e);
                  ended.countDown();
                })) {
      ended.await();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    return 0;
  }

  /** Whether the run is still ended now: it may have been retried since the event was recorded. */
  private boolean runHasEnded() {
    try {
      return client().run(id).finished();
    } catch (FlowClientException e) {
      return true; // the event said so, and the run cannot be seen to say otherwise
    }
  }
}
