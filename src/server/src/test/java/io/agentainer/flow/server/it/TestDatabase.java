package io.agentainer.flow.server.it;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The database the test server uses, for arranging runs and reading what the server wrote. */
final class TestDatabase {

  private TestDatabase() {}

  static Connection connect() throws SQLException {
    String url =
        System.getenv().getOrDefault("FLOW_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    String user = System.getenv().getOrDefault("FLOW_TEST_DB_USER", "postgres");
    return DriverManager.getConnection(url, user, "");
  }

  /** A run of a fresh definition version, RUNNING. */
  static UUID newRun() throws SQLException {
    UUID run = UUID.randomUUID();
    try (Connection c = connect()) {
      String name = "it-" + run.toString().substring(0, 8);
      try (PreparedStatement def =
          c.prepareStatement(
              "insert into definition (name, version, spec, spec_hash, created_at) values (?, 1, '{}', 'h', now())")) {
        def.setString(1, name);
        def.executeUpdate();
      }
      try (PreparedStatement insert =
          c.prepareStatement(
              "insert into run (id, definition_id, status, created_at, started_at)"
                  + " values (?, (select id from definition where name = ?), 'RUNNING', now(), now())")) {
        insert.setObject(1, run);
        insert.setString(2, name);
        insert.executeUpdate();
      }
    }
    return run;
  }

  /** A token as the server signs it for a job ({@code flowjob.<scope>.<job>.<hmac>}). */
  static String jobToken(UUID workflowId, UUID jobId) throws Exception {
    byte[] key;
    try (Connection c = connect();
        PreparedStatement select =
            c.prepareStatement("select value from server_secret where name = 'job-token-key'");
        ResultSet rs = select.executeQuery()) {
      if (!rs.next()) {
        throw new AssertionError("the server has not created its token key yet");
      }
      key = rs.getBytes(1);
    }
    String body =
        "flowjob." + (workflowId != null ? "run-" + workflowId : "job-" + jobId) + "." + jobId;
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return body
        + "."
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }
}
