package io.agentainer.flow.server.job;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

/**
 * The tokens agents get ({@code FLOW_TOKEN}, {@code flow.token}): scoped to the job's run (or, for
 * a plain agent job, to the job itself), and naming the job that holds them, so that what an agent
 * does through the API stays inside its run and a job it starts is its child. Signed with
 * HMAC-SHA256 under a key the nodes share ({@code server_secret}).
 *
 * <p>Format: {@code flowjob.<scope>.<jobId>.<signature>}, scope {@code run-<uuid>} or {@code
 * job-<uuid>}.
 */
@ApplicationScoped
public class JobTokens {

  static final String PREFIX = "flowjob.";
  private static final String KEY_NAME = "job-token-key";

  @Resource(lookup = "java:jboss/datasources/FlowDS")
  DataSource dataSource;

  @Inject java.time.Clock clock;

  private volatile byte[] key;

  /**
   * What a valid token grants: the run (if any), the job it was issued to, and that job's scope.
   */
  public record Grant(UUID workflowId, UUID jobId, UUID scopeJobId) {

    /** Whether this grant may see or act on the run {@code workflowId}. */
    public boolean coversRun(UUID workflowId) {
      return this.workflowId != null && this.workflowId.equals(workflowId);
    }
  }

  public static boolean looksLikeJobToken(String token) {
    return token != null && token.startsWith(PREFIX);
  }

  /** A token for the job's attempt. */
  public String issue(ClaimedJob job) {
    String scope = job.workflowId() != null ? "run-" + job.workflowId() : "job-" + scopeJob(job);
    String body = PREFIX + scope + "." + job.id();
    return body + "." + sign(body);
  }

  private static UUID scopeJob(ClaimedJob job) {
    return job.parentJobId() != null ? job.parentJobId() : job.id();
  }

  /** The grant of a valid token; empty when the token is forged or malformed. */
  public Optional<Grant> verify(String token) {
    if (!looksLikeJobToken(token)) {
      return Optional.empty();
    }
    int lastDot = token.lastIndexOf('.');
    if (lastDot <= PREFIX.length()) {
      return Optional.empty();
    }
    String body = token.substring(0, lastDot);
    byte[] expected = sign(body).getBytes(StandardCharsets.US_ASCII);
    byte[] given = token.substring(lastDot + 1).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, given)) {
      return Optional.empty();
    }
    String[] parts = body.substring(PREFIX.length()).split("\\.");
    if (parts.length != 2) {
      return Optional.empty();
    }
    try {
      UUID jobId = UUID.fromString(parts[1]);
      if (parts[0].startsWith("run-")) {
        return Optional.of(new Grant(UUID.fromString(parts[0].substring(4)), jobId, null));
      }
      if (parts[0].startsWith("job-")) {
        return Optional.of(new Grant(null, jobId, UUID.fromString(parts[0].substring(4))));
      }
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** The API address agents call back: this server's port on 127.0.0.1. */
  public String apiUrl() {
    String port = System.getProperty("jboss.http.port");
    if (port == null) {
      port = Optional.ofNullable(System.getenv("FLOW_PORT")).orElse("8081");
    }
    int offset = Integer.getInteger("jboss.socket.binding.port-offset", 0);
    return "http://127.0.0.1:" + (Integer.parseInt(port.trim()) + offset) + "/api";
  }

  private String sign(String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key(), "HmacSHA256"));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /** Makes sure the shared key exists (the first node to start creates it). */
  public void ensureKey() {
    key();
  }

  private byte[] key() {
    byte[] current = key;
    if (current == null) {
      synchronized (this) {
        current = key;
        if (current == null) {
          current = loadOrCreateKey();
          key = current;
        }
      }
    }
    return current;
  }

  /** The shared key: created by the first node that needs it, read by the others. */
  private byte[] loadOrCreateKey() {
    byte[] fresh = new byte[32];
    new SecureRandom().nextBytes(fresh);
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement insert =
          c.prepareStatement(
              "insert into server_secret (name, value, created_at) values (?, ?, ?)"
                  + " on conflict (name) do nothing")) {
        insert.setString(1, KEY_NAME);
        insert.setBytes(2, fresh);
        insert.setObject(3, OffsetDateTime.now(clock));
        insert.executeUpdate();
      }
      try (PreparedStatement select =
          c.prepareStatement("select value from server_secret where name = ?")) {
        select.setString(1, KEY_NAME);
        try (ResultSet rs = select.executeQuery()) {
          rs.next();
          return rs.getBytes(1);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the token key from the database", e);
    }
  }
}
