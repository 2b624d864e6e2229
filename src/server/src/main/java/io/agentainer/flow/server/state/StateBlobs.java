package io.agentainer.flow.server.state;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

/** Large state values, gzip-compressed in {@code state_blob} rows. */
@ApplicationScoped
public class StateBlobs {

  /** A stored large value: its compressed bytes, read back on demand. */
  public static final class Blob {
    private final byte[] compressed;
    private final long size;

    Blob(byte[] compressed, long size) {
      this.compressed = compressed;
      this.size = size;
    }

    /** Bytes of the value's JSON. */
    public long size() {
      return size;
    }

    /** Bytes stored. */
    public long storedSize() {
      return compressed.length;
    }

    /** Writes the value's JSON to {@code out}, decompressing as it goes. */
    public void writeTo(OutputStream out) throws IOException {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), 65536)) {
        in.transferTo(out);
      }
    }

    /** The value as a tree (for folding; large values are read this way only when they must be). */
    public JsonNode tree() {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), 65536)) {
        return StateValues.JSON.readTree(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  long store(Connection c, UUID run, StateInput.Value value, Instant at) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into state_blob (run_id, compression, size_bytes, data, created_at)"
                + " values (?, 'gzip', ?, ?, ?) returning id")) {
      ps.setObject(1, run);
      ps.setLong(2, value.size());
      ps.setBinaryStream(
          3, new ByteArrayInputStream(value.compressed()), value.compressed().length);
      ps.setObject(4, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  Blob load(Connection c, long id) {
    try (PreparedStatement ps =
        c.prepareStatement("select data, size_bytes from state_blob where id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("state value " + id + " is missing");
        }
        return new Blob(rs.getBytes(1), rs.getLong(2));
      }
    } catch (SQLException e) {
      throw StateStore.failure(e);
    }
  }
}
