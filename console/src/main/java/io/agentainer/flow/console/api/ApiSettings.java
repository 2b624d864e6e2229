package io.agentainer.flow.console.api;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the console finds the REST API and how long it waits for it.
 *
 * <p>The address is {@code flow.api} (MicroProfile Config, so also the {@code FLOW_API} environment
 * variable or a {@code -Dflow.api} system property), else {@code http://localhost:<flow.port>/api}
 * with {@code flow.port} ({@code FLOW_PORT}) defaulting to 8081, the server's port.
 *
 * @param api the API address, e.g. {@code http://localhost:8081/api}
 * @param timeout the time limit of one call, connecting included
 */
public record ApiSettings(URI api, Duration timeout) {

  /** The server's default port. */
  public static final int DEFAULT_PORT = 8081;

  /** How long a page waits for the API before it says the API cannot be reached. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

  public ApiSettings {
    if (api == null || !api.isAbsolute()) {
      throw new IllegalArgumentException("the API address must be an absolute URL: " + api);
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the API timeout must be positive: " + timeout);
    }
  }

  /**
   * Settings from a lookup of configuration properties by name ({@code flow.api}, {@code
   * flow.port}); blank values count as absent.
   */
  public static ApiSettings resolve(Function<String, Optional<String>> lookup) {
    String api =
        value(lookup, "flow.api")
            .orElseGet(
                () -> "http://localhost:" + port(value(lookup, "flow.port").orElse(null)) + "/api");
    return new ApiSettings(URI.create(api), DEFAULT_TIMEOUT);
  }

  /**
   * Settings from MicroProfile Config when the server provides it, else from the environment
   * ({@code FLOW_API}, {@code FLOW_PORT}) and system properties.
   */
  public static ApiSettings fromConfig() {
    return resolve(configLookup());
  }

  private static Function<String, Optional<String>> configLookup() {
    try {
      org.eclipse.microprofile.config.Config config =
          org.eclipse.microprofile.config.ConfigProvider.getConfig();
      return name -> config.getOptionalValue(name, String.class);
    } catch (LinkageError | RuntimeException noMicroProfileConfig) {
      return ApiSettings::environment;
    }
  }

  /** {@code flow.api} as a system property, else {@code FLOW_API} from the environment. */
  static Optional<String> environment(String name) {
    return Optional.ofNullable(System.getProperty(name))
        .or(() -> Optional.ofNullable(System.getenv(name.toUpperCase().replace('.', '_'))));
  }

  private static Optional<String> value(Function<String, Optional<String>> lookup, String name) {
    return lookup.apply(name).map(String::trim).filter(v -> !v.isEmpty());
  }

  private static int port(String configured) {
    if (configured == null) {
      return DEFAULT_PORT;
    }
    try {
      int port = Integer.parseInt(configured);
      if (port > 0 && port < 65536) {
        return port;
      }
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    throw new IllegalArgumentException("flow.port is not a port number: " + configured);
  }
}
