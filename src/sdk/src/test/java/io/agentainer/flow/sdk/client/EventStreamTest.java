package io.agentainer.flow.sdk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link FlowClient#streamEvents}: server-sent events from a stand-in API that can end a stream (a
 * dropped connection) or keep it open. Pauses before reconnecting are recorded, not slept.
 */
@Timeout(60)
class EventStreamTest {

  static final String RUN = "9a8b7c6d-1111-2222-3333-444455556666";
  static final String STREAM = "/api/workflows/" + RUN + "/events/stream";
  static final Duration WAIT = Duration.ofSeconds(10);

  private FakeApi api;
  private final List<Duration> pauses = Collections.synchronizedList(new ArrayList<>());
  private final List<FlowEvent> events = new CopyOnWriteArrayList<>();
  private final List<RuntimeException> failures = new CopyOnWriteArrayList<>();
  private EventStream stream;

  @BeforeEach
  void start() throws IOException {
    api = new FakeApi();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (stream != null) {
      stream.close();
      assertThat(stream.awaitTermination(WAIT)).isTrue();
    }
    api.close();
  }

  private FlowClient client() {
    return FlowClient.builder().baseUrl(api.api()).token("secret").sleeper(pauses::add).build();
  }

  private EventStream follow(Set<String> types, long after) {
    stream = client().streamEvents(RUN, types, after, events::add, failures::add);
    return stream;
  }

  static String event(long id, String type) {
    return "id: %d\nevent: %s\ndata: {\"id\":%d,\"type\":\"%s\",\"workflowId\":\"%s\",\"stepId\":\"count\",\"payload\":{\"n\":%d},\"at\":\"2025-01-02T03:04:05Z\"}\n\n"
        .formatted(id, type, id, type, RUN, id);
  }

  private List<Long> ids() {
    return events.stream().map(FlowEvent::id).toList();
  }

  @Test
  void deliversEachEventInOrderWithItsFields() {
    api.streamThenHold(STREAM, ": hello\n\n" + event(1, "run.started") + event(2, "step.started"));

    follow(Set.of(), 0);

    await().atMost(WAIT).until(() -> events.size() == 2);
    FlowEvent started = events.get(0);
    assertThat(started.id()).isEqualTo(1);
    assertThat(started.type()).isEqualTo("run.started");
    assertThat(started.workflowId()).isEqualTo(RUN);
    assertThat(started.stepId()).isEqualTo("count");
    assertThat(started.payload().path("n").asInt()).isEqualTo(1);
    assertThat(stream.lastEventId()).isEqualTo(2);
    assertThat(stream.isOpen()).isTrue();
    FakeApi.Request seen = api.last();
    assertThat(seen.header("Accept")).isEqualTo("text/event-stream");
    assertThat(seen.header("Authorization")).isEqualTo("Bearer secret");
    assertThat(seen.header("Last-Event-ID")).isNull();
    assertThat(seen.rawQuery()).isNull();
  }

  @Test
  void reconnectsAfterADroppedConnectionWithTheLastEventId() {
    api.streamThenClose(STREAM, event(1, "run.started") + event(2, "job.queued"))
        .streamThenHold(STREAM, event(3, "job.succeeded"));

    follow(new java.util.LinkedHashSet<>(List.of("run.started", "job.queued", "job.succeeded")), 0);

    await().atMost(WAIT).until(() -> events.size() == 3);
    assertThat(ids()).containsExactly(1L, 2L, 3L);
    List<FakeApi.Request> requests = api.requests();
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).header("Last-Event-ID")).isNull();
    assertThat(requests.get(1).header("Last-Event-ID")).isEqualTo("2");
    assertThat(requests.get(1).query("type"))
        .containsExactly("run.started", "job.queued", "job.succeeded");
    assertThat(pauses).containsExactly(EventStream.FIRST_RECONNECT_DELAY);
    assertThat(failures).isEmpty();
  }

  @Test
  void startsAfterTheEventItIsGiven() {
    api.streamThenHold(STREAM, event(8, "run.succeeded"));
    follow(null, 7);
    await().atMost(WAIT).until(() -> events.size() == 1);
    assertThat(api.last().header("Last-Event-ID")).isEqualTo("7");
  }

  @Test
  void anEventCutOffByTheDropIsAskedForAgain() {
    String cut = "id: 2\nevent: job.queued\ndata: {\"id\":2,\"type\":\"job.q";
    api.streamThenClose(STREAM, event(1, "run.started") + cut)
        .streamThenHold(STREAM, event(2, "job.queued"));

    follow(null, 0);

    await().atMost(WAIT).until(() -> events.size() == 2);
    assertThat(ids()).containsExactly(1L, 2L);
    assertThat(api.requests().get(1).header("Last-Event-ID")).isEqualTo("1");
  }

  @Test
  void pausesGrowWhileNothingArrivesAndStartOverAfterAnEvent() {
    api.json(
            "GET", STREAM, 503, "{\"error\":{\"code\":\"unavailable\",\"message\":\"restarting\"}}")
        .json("GET", STREAM, 502, "bad gateway")
        .streamThenClose(STREAM, "")
        .streamThenClose(STREAM, event(1, "run.started"))
        .streamThenHold(STREAM, event(2, "run.succeeded"));

    follow(null, 0);

    await().atMost(WAIT).until(() -> events.size() == 2);
    assertThat(pauses)
        .containsExactly(
            Duration.ofMillis(250),
            Duration.ofMillis(500),
            Duration.ofMillis(1000),
            Duration.ofMillis(250));
    assertThat(failures).isEmpty();
  }

  @Test
  void theServersRetryTimeIsThePauseAfterThat() {
    api.streamThenClose(STREAM, "retry: 40\n" + event(1, "run.started"))
        .streamThenHold(STREAM, event(2, "run.succeeded"));
    follow(null, 0);
    await().atMost(WAIT).until(() -> events.size() == 2);
    assertThat(pauses).containsExactly(Duration.ofMillis(40));
  }

  @Test
  void aRefusalEndsTheStreamWithoutReconnecting() throws InterruptedException {
    api.json(
        "GET",
        STREAM,
        404,
        "{\"error\":{\"code\":\"not_found\",\"message\":\"workflow " + RUN + " not found\"}}");

    follow(null, 0);

    assertThat(stream.awaitTermination(WAIT)).isTrue();
    assertThat(stream.isOpen()).isFalse();
    assertThat(failures).hasSize(1);
    assertThat(stream.failure())
        .get()
        .isInstanceOfSatisfying(
            FlowClientException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.getMessage()).isEqualTo("workflow " + RUN + " not found");
            });
    assertThat(api.requests()).hasSize(1);
    assertThat(pauses).isEmpty();
  }

  @Test
  void closingStopsAStreamThatWaitsForEvents() throws InterruptedException {
    api.streamThenHold(STREAM, event(1, "run.started"));
    follow(null, 0);
    await().atMost(WAIT).until(() -> events.size() == 1);

    stream.close();

    assertThat(stream.awaitTermination(WAIT)).isTrue();
    assertThat(stream.isOpen()).isFalse();
    assertThat(stream.failure()).isEmpty();
    assertThat(failures).isEmpty();
    assertThat(api.requests()).hasSize(1);
  }

  @Test
  void aStreamMayBeClosedFromItsCallback() throws InterruptedException {
    api.streamThenHold(STREAM, event(1, "run.started") + event(2, "run.succeeded"));
    AtomicReference<EventStream> self = new AtomicReference<>();
    List<Long> seen = new CopyOnWriteArrayList<>();
    stream =
        client()
            .streamEvents(
                RUN,
                null,
                0,
                e -> {
                  seen.add(e.id());
                  if (e.endsRun()) {
                    await().atMost(WAIT).until(() -> self.get() != null);
                    self.get().close();
                  }
                });
    self.set(stream);

    assertThat(stream.awaitTermination(WAIT)).isTrue();
    assertThat(seen).containsExactly(1L, 2L);
  }

  @Test
  void aCallbackThatThrowsEndsTheStream() throws InterruptedException {
    api.streamThenHold(STREAM, event(1, "run.started") + event(2, "run.succeeded"));
    IllegalStateException boom = new IllegalStateException("boom");
    stream =
        client()
            .streamEvents(
                RUN,
                null,
                0,
                e -> {
                  throw boom;
                },
                failures::add);

    assertThat(stream.awaitTermination(WAIT)).isTrue();
    assertThat(stream.failure()).contains(boom);
    assertThat(failures).containsExactly(boom);
    assertThat(stream.lastEventId()).isZero();
  }

  @Test
  void anEventThatIsNotJsonEndsTheStream() throws InterruptedException {
    api.streamThenHold(STREAM, "id: 1\nevent: run.started\ndata: <html>\n\n");
    follow(null, 0);
    assertThat(stream.awaitTermination(WAIT)).isTrue();
    assertThat(stream.failure())
        .get()
        .isInstanceOfSatisfying(
            FlowClientException.class,
            e -> {
              assertThat(e.code()).isEqualTo("bad_response");
              assertThat(e.getMessage()).startsWith("unreadable event 1 (run.started)");
            });
    assertThat(events).isEmpty();
  }

  @Test
  void theStreamFillsInTheIdAndTypeTheDataLeftOut() {
    api.streamThenHold(STREAM, "id: 12\nevent: step.progress\ndata: {\"stepId\":\"count\"}\n\n");
    follow(null, 0);
    await().atMost(WAIT).until(() -> events.size() == 1);
    assertThat(events.get(0).id()).isEqualTo(12);
    assertThat(events.get(0).type()).isEqualTo("step.progress");
    assertThat(stream.lastEventId()).isEqualTo(12);
  }

  @Test
  void anAnswerThatIsNotAnEventStreamEndsTheStream() throws InterruptedException {
    api.json("GET", STREAM, 200, "{\"items\":[]}");
    follow(null, 0);
    assertThat(stream.awaitTermination(WAIT)).isTrue();
    assertThat(stream.failure())
        .get()
        .isInstanceOfSatisfying(
            FlowClientException.class,
            e -> {
              assertThat(e.code()).isEqualTo("bad_response");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "expected an event stream from "
                          + api.api()
                          + "/workflows/"
                          + RUN
                          + "/events/stream, got application/json");
            });
    assertThat(api.requests()).hasSize(1);
  }
}
