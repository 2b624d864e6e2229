package io.agentainer.flow.cli;

import io.agentainer.flow.sdk.client.FlowClient;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the CLI finds the server, and the token it sends. Each comes from the first of these that
 * gives one: the option ({@code --api}, {@code --token}), the environment ({@code FLOW_API}, {@code
 * FLOW_TOKEN}), a file beside the token file ({@code api-url}, which {@code flow up} writes with
 * the address of the server it started; the token file, which the server writes on first start),
 * else the default address and no token.
 *
 * <p>The token file is {@code FLOW_TOKEN_FILE}, else {@code ~/.agentainer/admin-token}.
 *
 * @param api the API address, e.g. {@code http://localhost:8081/api}
 * @param token the bearer token; null for none
 */
record ClientSettings(String api, String token) {

  /** The name of the file, beside the token file, that holds the address of the server. */
  static final String API_FILE = "api-url";

  /**
   * The settings from the options (null when not given), the environment {@code env} and the files
   * under {@code home} (or beside {@code FLOW_TOKEN_FILE}).
   */
  static ClientSettings resolve(
      String apiOption, String tokenOption, Map<String, String> env, Path home) {
    Path tokenFile = tokenFile(env, home);
    String api =
        Optional.ofNullable(apiOption)
            .or(() -> given(env.get("FLOW_API")))
            .or(() -> FlowClient.TokenFile.read(tokenFile.resolveSibling(API_FILE)))
            .orElse(FlowClient.DEFAULT_BASE_URL);
    String token =
        Optional.ofNullable(tokenOption)
            .or(() -> given(env.get("FLOW_TOKEN")))
            .or(() -> FlowClient.TokenFile.read(tokenFile))
            .orElse(null);
    return new ClientSettings(api, token);
  }

  /** {@code FLOW_TOKEN_FILE}, else {@code .agentainer/admin-token} under {@code home}. */
  static Path tokenFile(Map<String, String> env, Path home) {
    return given(env.get("FLOW_TOKEN_FILE"))
        .map(Path::of)
        .orElseGet(() -> home.resolve(".agentainer").resolve("admin-token"));
  }

  private static Optional<String> given(String value) {
    return Optional.ofNullable(value).map(String::trim).filter(s -> !s.isEmpty());
  }
}
