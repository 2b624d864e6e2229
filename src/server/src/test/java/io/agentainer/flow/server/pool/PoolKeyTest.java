package io.agentainer.flow.server.pool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentainer.flow.server.definition.AgentSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which pool a pooled step uses: its name, its configuration and the digest of both. */
class PoolKeyTest {

  private static final String IMAGE = "agentainer/example-agent:latest";

  private static PoolKey key(Map<String, String> env, Double cpus, Integer memoryMb) {
    return new PoolKey("docker", IMAGE, env, cpus, memoryMb, "wordcount", false);
  }

  @Test
  void aDefinitionsPoolIsNamedAfterTheDefinitionTheImageAndTheHash() {
    PoolKey key = key(Map.of(), null, null);
    assertThat(key.name()).matches("wordcount-example-agent-[0-9a-f]{8}");
    assertThat(key.name()).endsWith("-" + key.hash().substring(0, 8));
    assertThat(key.hash()).matches("[0-9a-f]{64}");
  }

  @Test
  void sharedAndAdhocPoolsAreNamedSo() {
    PoolKey shared = new PoolKey("docker", IMAGE, Map.of(), null, null, null, true);
    PoolKey adhoc = PoolKey.adhoc("docker", IMAGE, Map.of(), null, null);
    assertThat(shared.name()).matches("shared-example-agent-[0-9a-f]{8}");
    assertThat(adhoc.name()).matches("adhoc-example-agent-[0-9a-f]{8}");
    assertThat(adhoc.definitionName()).isNull();
    assertThat(adhoc.shared()).isFalse();
    // the same image and configuration: the same digest, whoever's pool it is
    assertThat(shared.hash()).isEqualTo(adhoc.hash()).isEqualTo(key(Map.of(), null, null).hash());
  }

  @Test
  void forStepTakesTheAgentsConfigurationAndDropsTheDefinitionWhenShared() {
    AgentSpec agent = new AgentSpec(IMAGE, "wordcount", null, Map.of("A", "1"), 0.5, 256);
    PoolKey own = PoolKey.forStep("process", agent, "wordcount", false);
    PoolKey shared = PoolKey.forStep("process", agent, "wordcount", true);
    assertThat(own)
        .isEqualTo(new PoolKey("process", IMAGE, Map.of("A", "1"), 0.5, 256, "wordcount", false));
    assertThat(shared.definitionName()).isNull();
    assertThat(shared.shared()).isTrue();
    assertThat(own.name()).startsWith("wordcount-example-agent-");
    assertThat(shared.name()).startsWith("shared-example-agent-");
  }

  @ParameterizedTest
  @CsvSource({
    "agentainer/example-agent:latest, example-agent",
    "example-agent, example-agent",
    "example-agent:1.2, example-agent",
    "registry.example.com:5000/team/tools/example-agent:1.2, example-agent",
    "localhost:5000/example-agent, example-agent",
    "ghcr.io/org/example-agent@sha256:0123abcd, example-agent",
    "ghcr.io/org/example-agent:1.0@sha256:0123abcd, example-agent"
  })
  void theImagesShortNameLeavesOutRegistryPathTagAndDigest(String image, String shortName) {
    PoolKey key = new PoolKey("docker", image, Map.of(), null, null, "d", false);
    assertThat(key.name()).isEqualTo("d-" + shortName + "-" + key.hash().substring(0, 8));
  }

  @Test
  void theOrderOfTheEnvironmentDoesNotChangeTheHash() {
    Map<String, String> ab = new LinkedHashMap<>();
    ab.put("A", "1");
    ab.put("B", "2");
    Map<String, String> ba = new LinkedHashMap<>();
    ba.put("B", "2");
    ba.put("A", "1");
    assertThat(key(ab, null, null).hash()).isEqualTo(key(ba, null, null).hash());
    assertThat(key(ab, null, null).name()).isEqualTo(key(ba, null, null).name());
    assertThat(key(ab, null, null)).isEqualTo(key(ba, null, null));
  }

  @Test
  void anyDifferenceInRuntimeImageOrConfigurationChangesTheHash() {
    String base = key(Map.of("A", "1"), 0.5, 256).hash();
    assertThat(key(Map.of("A", "2"), 0.5, 256).hash()).isNotEqualTo(base);
    assertThat(key(Map.of("A", "1", "B", "1"), 0.5, 256).hash()).isNotEqualTo(base);
    assertThat(key(Map.of(), 0.5, 256).hash()).isNotEqualTo(base);
    assertThat(key(Map.of("A", "1"), 1.0, 256).hash()).isNotEqualTo(base);
    assertThat(key(Map.of("A", "1"), null, 256).hash()).isNotEqualTo(base);
    assertThat(key(Map.of("A", "1"), 0.5, 512).hash()).isNotEqualTo(base);
    assertThat(key(Map.of("A", "1"), 0.5, null).hash()).isNotEqualTo(base);
    assertThat(new PoolKey("process", IMAGE, Map.of("A", "1"), 0.5, 256, "wordcount", false).hash())
        .isNotEqualTo(base);
    assertThat(
            new PoolKey(
                    "docker",
                    "agentainer/example-agent:2",
                    Map.of("A", "1"),
                    0.5,
                    256,
                    "wordcount",
                    false)
                .hash())
        .isNotEqualTo(base);
    // the same again: the same hash
    assertThat(key(Map.of("A", "1"), 0.5, 256).hash()).isEqualTo(base);
  }

  @Test
  void theDefinitionGivesAnotherNameButTheSameHash() {
    PoolKey a = new PoolKey("docker", IMAGE, Map.of(), null, null, "a", false);
    PoolKey b = new PoolKey("docker", IMAGE, Map.of(), null, null, "b", false);
    assertThat(a.name()).isNotEqualTo(b.name());
    assertThat(a.hash()).isEqualTo(b.hash());
  }

  @Test
  void theConfigurationHasSortedEnvAndExplicitNulls() throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("ZED", "z");
    env.put("ALPHA", "a");
    env.put("MID", "m");
    assertThat(key(env, null, null).configJson())
        .isEqualTo(
            "{\"env\":{\"ALPHA\":\"a\",\"MID\":\"m\",\"ZED\":\"z\"},\"cpus\":null,\"memoryMb\":null}");
    assertThat(key(Map.of(), 0.5, 256).configJson())
        .isEqualTo("{\"env\":{},\"cpus\":0.5,\"memoryMb\":256}");
    assertThat(key(null, null, null).configJson())
        .isEqualTo("{\"env\":{},\"cpus\":null,\"memoryMb\":null}");
    // it is JSON that reads back to the same configuration
    assertThat(new ObjectMapper().readTree(key(env, 2.0, 64).configJson()).get("cpus").asDouble())
        .isEqualTo(2.0);
  }

  @Test
  void aNullEnvironmentIsAnEmptyOne() {
    assertThat(key(null, null, null).env()).isEmpty();
    assertThat(key(null, null, null).hash()).isEqualTo(key(Map.of(), null, null).hash());
  }
}
