package io.agentainer.flow.server.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentainer.flow.server.api.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DefinitionResourceTest {

  @Test
  void aVersionIsAPositiveWholeNumber() {
    assertThat(DefinitionResource.version("1")).isEqualTo(1);
    assertThat(DefinitionResource.version("42")).isEqualTo(42);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "latest", "1.5", "", "99999999999"})
  void aBadVersionIsA400NamingVersion(String text) {
    assertThatThrownBy(() -> DefinitionResource.version(text))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.details()).containsEntry("field", "version");
              assertThat(e.getMessage()).startsWith("version: ");
            });
  }
}
