package io.agentainer.flow.server.common;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The server's version, written into {@code version.properties} by the build. */
public final class ServerVersion {

  private static final String VERSION = load();

  private ServerVersion() {}

  public static String get() {
    return VERSION;
  }

  private static String load() {
    Properties props = new Properties();
    try (InputStream in =
        ServerVersion.class.getResourceAsStream("/io/agentainer/flow/server/version.properties")) {
      if (in != null) {
        props.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    return props.getProperty("version", "unknown");
  }
}
