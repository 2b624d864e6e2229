package io.agentainer.flow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentainer.flow.sdk.client.FlowClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The option wins over the environment, the environment over the files, the files over none. */
class ClientSettingsTest {

  @TempDir Path home;

  private static final Map<String, String> ENV =
      Map.of("FLOW_API", "http://env:8081/api", "FLOW_TOKEN", "env-token");

  private void files(String api, String token) throws IOException {
    Path dir = Files.createDirectories(home.resolve(".agentainer"));
    Files.writeString(dir.resolve("api-url"), api + "\n");
    Files.writeString(dir.resolve("admin-token"), token + "\n");
  }

  @Test
  void theOptionsWinOverTheEnvironmentAndTheFiles() throws IOException {
    files("http://file:9000/api", "file-token");
    ClientSettings settings =
        ClientSettings.resolve("http://option:1/api", "option-token", ENV, home);
    assertThat(settings).isEqualTo(new ClientSettings("http://option:1/api", "option-token"));
  }

  @Test
  void theEnvironmentWinsOverTheFiles() throws IOException {
    files("http://file:9000/api", "file-token");
    assertThat(ClientSettings.resolve(null, null, ENV, home))
        .isEqualTo(new ClientSettings("http://env:8081/api", "env-token"));
  }

  @Test
  void withoutOptionsAndEnvironmentTheFilesThatFlowUpAndTheServerWroteAreRead() throws IOException {
    files("http://file:9000/api", "file-token");
    assertThat(ClientSettings.resolve(null, null, Map.of(), home))
        .isEqualTo(new ClientSettings("http://file:9000/api", "file-token"));
  }

  @Test
  void blankEnvironmentVariablesCountAsUnset() throws IOException {
    files("http://file:9000/api", "file-token");
    assertThat(ClientSettings.resolve(null, null, Map.of("FLOW_API", " ", "FLOW_TOKEN", ""), home))
        .isEqualTo(new ClientSettings("http://file:9000/api", "file-token"));
  }

  @Test
  void withNothingGivenTheDefaultAddressAndNoToken() {
    assertThat(ClientSettings.resolve(null, null, Map.of(), home))
        .isEqualTo(new ClientSettings(FlowClient.DEFAULT_BASE_URL, null));
  }

  @Test
  void anEmptyAddressFileCountsAsNone() throws IOException {
    files("", "file-token");
    assertThat(ClientSettings.resolve(null, null, Map.of(), home).api())
        .isEqualTo(FlowClient.DEFAULT_BASE_URL);
  }

  @Test
  void theAddressFileSitsBesideTheTokenFileNamedByFlowTokenFile() throws IOException {
    files("http://home:9000/api", "home-token");
    Path elsewhere = Files.createDirectories(home.resolve("elsewhere"));
    Files.writeString(elsewhere.resolve("api-url"), "http://elsewhere:9001/api");
    Files.writeString(elsewhere.resolve("token"), "elsewhere-token");
    Map<String, String> env = Map.of("FLOW_TOKEN_FILE", elsewhere.resolve("token").toString());

    assertThat(ClientSettings.resolve(null, null, env, home))
        .isEqualTo(new ClientSettings("http://elsewhere:9001/api", "elsewhere-token"));
  }
}
