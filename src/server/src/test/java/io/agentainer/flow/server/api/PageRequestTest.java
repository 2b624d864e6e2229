package io.agentainer.flow.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PageRequestTest {

  @Test
  void offsetIsPageTimesSize() {
    PageRequest page = new PageRequest(3, 20);
    page.validate();
    assertThat(page.offset()).isEqualTo(60);
  }

  @Test
  void outOfRangeValuesAre400sNamingTheField() {
    assertThatThrownBy(() -> new PageRequest(-1, 10).validate())
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.getMessage()).startsWith("page:");
              assertThat(e.details()).containsEntry("field", "page");
            });
    assertThatThrownBy(() -> new PageRequest(0, 0).validate()).hasMessageStartingWith("size:");
    assertThatThrownBy(() -> new PageRequest(0, 501).validate()).hasMessageStartingWith("size:");
  }
}
