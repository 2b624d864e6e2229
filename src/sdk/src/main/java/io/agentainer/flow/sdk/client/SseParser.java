package io.agentainer.flow.sdk.client;

/**
 * Reads a {@code text/event-stream} line by line, as the HTML standard's "event stream
 * interpretation" says: {@code field: value} lines build an event, a blank line dispatches it,
 * lines starting with {@code :} are comments. An event without data is not dispatched; an event cut
 * off by the end of the connection (no blank line after it) is dropped, so a reconnection resumes
 * after the last whole event. Not thread safe: one parser per connection.
 */
final class SseParser {

  /** Receives each whole event. */
  @FunctionalInterface
  interface Listener {
    /**
     * @param id the event's id, or the last id the stream gave (null when it gave none)
     * @param type the {@code event:} field, or {@code message} when absent
     * @param data the {@code data:} lines joined with newlines
     */
    void event(String id, String type, String data);
  }

  private final Listener listener;
  private final StringBuilder data = new StringBuilder();
  private String type;
  private String idBuffer;
  private boolean hasData;
  private boolean firstLine = true;
  private Long retryMillis;

  SseParser(String lastEventId, Listener listener) {
    this.idBuffer = lastEventId;
    this.listener = listener;
  }

  /** One line of the stream, without its line ending. */
  void line(String line) {
    if (firstLine) {
      firstLine = false;
      if (line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
    }
    if (line.isEmpty()) {
      dispatch();
      return;
    }
    if (line.startsWith(":")) {
      return;
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "event" -> type = value;
      case "data" -> {
        if (hasData) {
          data.append('\n');
        }
        data.append(value);
        hasData = true;
      }
      case "id" -> {
        if (value.indexOf('\0') < 0) {
          idBuffer = value;
        }
      }
      case "retry" -> {
        if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
          try {
            retryMillis = Long.parseLong(value);
          } catch (NumberFormatException tooLong) {
            // ignored, as the standard says for a value that is not a number
          }
        }
      }
      default -> {
        // unknown fields are ignored
      }
    }
  }

  /** The reconnection time the server asked for with {@code retry:}, if it did. */
  Long retryMillis() {
    return retryMillis;
  }

  private void dispatch() {
    if (!hasData) {
      type = null;
      return;
    }
    String eventType = type == null || type.isEmpty() ? "message" : type;
    String eventData = data.toString();
    data.setLength(0);
    hasData = false;
    type = null;
    listener.event(idBuffer, eventType, eventData);
  }
}
