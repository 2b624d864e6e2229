package io.agentainer.flow.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded fallbacks start, answer and stop (they run as root here). */
class EmbeddedTest {

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void embeddedRedisAnswersPingUntilClosed() throws Exception {
    int port = freePort();
    try (AutoCloseable redis = Embedded.start("redis", port, null)) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        OutputStream out = socket.getOutputStream();
        out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        assertThat(in.readLine()).isEqualTo("+PONG");
      }
    }
    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
        .isInstanceOf(java.net.ConnectException.class);
  }

  @Test
  void embeddedPostgresPassesTheLaunchersDatabaseCheck(@TempDir Path data) throws Exception {
    int port = freePort();
    try (AutoCloseable pg = Embedded.start("postgres", port, data.resolve("pg"))) {
      DbCheck.Result result =
          DbCheck.check("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
      assertThat(result.code()).isZero();
      assertThat(result.message()).startsWith("PostgreSQL 14");
    }
  }

  @Test
  void anUnknownServiceIsRefused() {
    assertThatThrownBy(() -> Embedded.start("mysql", 1, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("postgres or redis");
  }
}
