package io.agentainer.flow.server.pool;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentainer.flow.server.definition.AgentSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * What makes two pooled steps use the same pool: the runtime, the image and its configuration
 * ({@code env}, {@code cpus}, {@code memoryMb}), and whose the pool is: one definition's, shared,
 * or ad hoc (standalone jobs).
 *
 * @param definitionName null for shared and ad hoc pools
 */
public record PoolKey(
    String runtime,
    String image,
    Map<String, String> env,
    Double cpus,
    Integer memoryMb,
    String definitionName,
    boolean shared) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public PoolKey {
    env = env == null ? Map.of() : Map.copyOf(new TreeMap<>(env));
  }

  /** The pool of a definition's step (or the shared one, when the step says so). */
  public static PoolKey forStep(
      String runtime, AgentSpec agent, String definitionName, boolean shared) {
    return new PoolKey(
        runtime,
        agent.image(),
        agent.env(),
        agent.cpus(),
        agent.memoryMb(),
        shared ? null : definitionName,
        shared);
  }

  /** The ad hoc pool of standalone jobs with this image and configuration. */
  public static PoolKey adhoc(
      String runtime, String image, Map<String, String> env, Double cpus, Integer memoryMb) {
    return new PoolKey(runtime, image, env, cpus, memoryMb, null, false);
  }

  /** {@code {env, cpus, memoryMb}} with keys sorted. */
  public String configJson() {
    ObjectNode config = JSON.createObjectNode();
    config.set("env", JSON.valueToTree(new TreeMap<>(env)));
    if (cpus == null) {
      config.putNull("cpus");
    } else {
      config.put("cpus", cpus);
    }
    if (memoryMb == null) {
      config.putNull("memoryMb");
    } else {
      config.put("memoryMb", memoryMb);
    }
    return config.toString();
  }

  /** A digest of the runtime, image and configuration. */
  public String hash() {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(
                  (runtime + "\n" + image + "\n" + configJson()).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }

  /**
   * {@code <definition>-<image name>-<hash>}, {@code shared-...} or {@code adhoc-...}; the image
   * name is the last part of the repository without its tag.
   */
  public String name() {
    String owner = shared ? "shared" : definitionName == null ? "adhoc" : definitionName;
    String repository = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int slash = repository.lastIndexOf('/');
    String last = repository.substring(slash + 1);
    int colon = last.indexOf(':');
    String shortName = colon < 0 ? last : last.substring(0, colon);
    return owner + "-" + shortName + "-" + hash().substring(0, 8);
  }
}
