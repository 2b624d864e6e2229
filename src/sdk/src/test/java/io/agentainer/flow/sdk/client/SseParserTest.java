package io.agentainer.flow.sdk.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event stream format, line by line, as the HTML standard reads it. */
class SseParserTest {

  record Seen(String id, String type, String data) {}

  private final List<Seen> seen = new ArrayList<>();

  private SseParser parser(String lastEventId) {
    return new SseParser(lastEventId, (id, type, data) -> seen.add(new Seen(id, type, data)));
  }

  private void feed(SseParser parser, String text) {
    text.lines().forEach(parser::line);
    if (text.endsWith("\n\n")) {
      parser.line(""); // String.lines() drops the last blank line
    }
  }

  @Test
  void aBlankLineDispatchesTheEventBuiltSoFar() {
    SseParser parser = parser(null);
    feed(
        parser,
        "id: 1\nevent: run.started\ndata: {\"a\":1}\n\nid: 2\nevent: job.queued\ndata: x\n\n");
    assertThat(seen)
        .containsExactly(
            new Seen("1", "run.started", "{\"a\":1}"), new Seen("2", "job.queued", "x"));
  }

  @Test
  void dataLinesAreJoinedWithNewlinesAndOneLeadingSpaceIsDropped() {
    SseParser parser = parser(null);
    parser.line("data:{");
    parser.line("data:   \"a\": 1");
    parser.line("data: }");
    parser.line("");
    assertThat(seen).containsExactly(new Seen(null, "message", "{\n  \"a\": 1\n}"));
  }

  @Test
  void commentsUnknownFieldsAndAByteOrderMarkAreIgnored() {
    SseParser parser = parser(null);
    parser.line("\uFEFF: keep-alive");
    parser.line("colour: red");
    parser.line("data: x");
    parser.line("");
    assertThat(seen).containsExactly(new Seen(null, "message", "x"));
  }

  @Test
  void anEventWithoutDataIsNotDispatchedButItsIdStays() {
    SseParser parser = parser("5");
    parser.line("id: 6");
    parser.line("event: nothing");
    parser.line("");
    parser.line("data: y");
    parser.line("");
    // the type does not carry over to the next event; the id does
    assertThat(seen).containsExactly(new Seen("6", "message", "y"));
  }

  @Test
  void theIdAnEventWithoutOneGetsIsTheLastIdSeen() {
    SseParser parser = parser("41");
    feed(parser, "data: a\n\n");
    assertThat(seen).containsExactly(new Seen("41", "message", "a"));
  }

  @Test
  void anEventNotEndedByABlankLineIsNeverDispatched() {
    SseParser parser = parser(null);
    parser.line("id: 1");
    parser.line("data: whole");
    parser.line("");
    parser.line("id: 2");
    parser.line("data: cut off");
    assertThat(seen).extracting(Seen::data).containsExactly("whole");
  }

  @Test
  void retryTakesOnlyDigits() {
    SseParser parser = parser(null);
    parser.line("retry: soon");
    assertThat(parser.retryMillis()).isNull();
    parser.line("retry: 1500");
    assertThat(parser.retryMillis()).isEqualTo(1500L);
    parser.line("retry");
    assertThat(parser.retryMillis()).isEqualTo(1500L);
  }

  @Test
  void aFieldWithoutColonHasAnEmptyValue() {
    SseParser parser = parser(null);
    parser.line("data");
    parser.line("data");
    parser.line("");
    assertThat(seen).containsExactly(new Seen(null, "message", "\n"));
  }
}
