package io.agentainer.flow.server.state;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentainer.flow.server.api.ApiException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * Reads a state value from a request body ({@code {"value": ...}}) as it streams in: the value's
 * JSON goes through a compressor at once, and only while it is small is it also kept as it is. A
 * large value is thus held once, compressed, never whole.
 */
public final class StateInput {

  private StateInput() {}

  /** A value to store: small ones as a tree, large ones compressed. */
  public static final class Value {
    private final JsonNode inline;
    private final byte[] compressed;
    private final long size;
    private final String type;

    private Value(JsonNode inline, byte[] compressed, long size, String type) {
      this.inline = inline;
      this.compressed = compressed;
      this.size = size;
      this.type = type;
    }

    public static Value inline(JsonNode value) {
      return new Value(value, null, 0, StateValues.type(value));
    }

    /** {@code value} already written as {@code text}, compressed now. */
    static Value of(JsonNode value, String text) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
      try (GZIPOutputStream gzip = new GZIPOutputStream(out, 65536)) {
        gzip.write(bytes);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new Value(null, out.toByteArray(), bytes.length, StateValues.type(value));
    }

    public boolean isLarge() {
      return compressed != null;
    }

    public JsonNode inline() {
      return inline;
    }

    /** The value's JSON, gzip-compressed (large values only). */
    public byte[] compressed() {
      return compressed;
    }

    /** Bytes of the value's JSON before compression (large values only). */
    public long size() {
      return size;
    }

    public String type() {
      return type;
    }
  }

  /**
   * Reads {@code {"value": <json>}} from {@code body}.
   *
   * @param inlineLimit values whose JSON is longer than this are kept compressed
   * @throws ApiException 400 naming what is wrong: not JSON, not an object, no {@code value}, or
   *     another field
   */
  public static Value read(InputStream body, int inlineLimit) {
    try (JsonParser parser = StateValues.JSON.getFactory().createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw ApiException.badRequest("body", "expected a JSON object {\"value\": ...}");
      }
      Value value = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        if (!field.equals("value")) {
          throw ApiException.badRequest(field, "unknown field (expected only \"value\")");
        }
        value = copy(parser, inlineLimit);
      }
      if (parser.nextToken() != null) {
        throw ApiException.badRequest("body", "unexpected content after the JSON object");
      }
      if (value == null) {
        throw ApiException.badRequest("value", "required");
      }
      return value;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ApiException.badRequest("body", "not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Value copy(JsonParser parser, int inlineLimit) throws IOException {
    String type = type(parser.currentToken());
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    Tee tee = new Tee(new GZIPOutputStream(compressed, 65536), inlineLimit);
    try (JsonGenerator generator = StateValues.JSON.getFactory().createGenerator(tee)) {
      generator.copyCurrentStructure(parser);
    }
    if (tee.size <= inlineLimit) {
      return Value.inline(StateValues.JSON.readTree(tee.head.toByteArray()));
    }
    return new Value(null, compressed.toByteArray(), tee.size, type);
  }

  private static String type(JsonToken token) {
    switch (token) {
      case START_OBJECT:
        return "object";
      case START_ARRAY:
        return "array";
      case VALUE_STRING:
        return "string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "boolean";
      default:
        return "null";
    }
  }

  /** Writes everything to the compressor, and the first bytes (up to the limit) to {@code head}. */
  private static final class Tee extends OutputStream {
    final OutputStream compressor;
    final ByteArrayOutputStream head = new ByteArrayOutputStream();
    final int limit;
    long size;

    Tee(OutputStream compressor, int limit) {
      this.compressor = compressor;
      this.limit = limit;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      compressor.write(b, off, len);
      if (size + len <= limit) {
        head.write(b, off, len);
      } else if (head.size() > 0) {
        head.reset(); // too large to keep as it is
      }
      size += len;
    }

    @Override
    public void close() throws IOException {
      compressor.close();
    }
  }
}
