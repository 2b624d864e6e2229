package io.agentainer.flow.server.security;

import io.agentainer.flow.server.config.FlowSettings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.logging.Logger;

/**
 * The admin token: {@code FLOW_ADMIN_TOKEN} when set; else the one in the token file ({@code
 * FLOW_TOKEN_FILE}, by default {@code ~/.agentainer/admin-token}), generated and written there
 * (mode 600) on first start, where the CLI finds it. The token itself is never logged.
 */
@ApplicationScoped
public class AdminToken {

  private static final Logger LOG = Logger.getLogger(AdminToken.class.getName());

  private final FlowSettings settings;
  private byte[] token;

  @Inject
  public AdminToken(FlowSettings settings) {
    this.settings = settings;
  }

  /** For CDI's proxy. */
  protected AdminToken() {
    this.settings = null;
  }

  /** Resolves the token when the application starts, so the file exists before the first call. */
  void onStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
    // observing the event creates the bean, and so runs load()
  }

  @PostConstruct
  void load() {
    token =
        settings
            .adminToken()
            .map(t -> t.getBytes(StandardCharsets.UTF_8))
            .orElseGet(() -> readOrGenerate(settings.tokenFile()));
  }

  /** Whether {@code candidate} is the admin token, compared in constant time. */
  public boolean matches(String candidate) {
    return candidate != null
        && MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] readOrGenerate(Path file) {
    try {
      if (Files.isReadable(file)) {
        String existing = Files.readString(file).trim();
        if (!existing.isEmpty()) {
          LOG.info(() -> "admin token read from " + file);
          return existing.getBytes(StandardCharsets.UTF_8);
        }
      }
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      write(file, generated);
      LOG.info(() -> "admin token generated and written to " + file);
      return generated.getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the admin token file " + file, e);
    }
  }

  private static void write(Path file, String token) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".admin-token", ".tmp");
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // the file system has no POSIX modes; the directory's protection applies
    }
    Files.writeString(tmp, token + "\n", StandardOpenOption.TRUNCATE_EXISTING);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
