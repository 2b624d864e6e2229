package io.agentainer.flow.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokenTest {

  @Test
  void generatesAPrivateTokenFileOnFirstStartAndKeepsItAfter(@TempDir Path home)
      throws IOException {
    Path file = home.resolve(".agentainer/admin-token");
    String first = new String(AdminToken.readOrGenerate(file), StandardCharsets.UTF_8);

    assertThat(first).hasSizeGreaterThanOrEqualTo(40).matches("[A-Za-z0-9_-]+");
    assertThat(Files.readString(file).trim()).isEqualTo(first);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");

    String second = new String(AdminToken.readOrGenerate(file), StandardCharsets.UTF_8);
    assertThat(second).isEqualTo(first);
  }

  @Test
  void twoFirstStartsGenerateDifferentTokens(@TempDir Path a, @TempDir Path b) {
    assertThat(AdminToken.readOrGenerate(a.resolve("t")))
        .isNotEqualTo(AdminToken.readOrGenerate(b.resolve("t")));
  }
}
