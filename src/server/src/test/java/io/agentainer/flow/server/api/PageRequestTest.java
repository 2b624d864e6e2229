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

  @Test
  void theQueryTextIsReadAsNumbers() {
    PageRequest page = new PageRequest("2", "25");
    page.validate();
    assertThat(page.page()).isEqualTo(2);
    assertThat(page.size()).isEqualTo(25);
    assertThat(page.offset()).isEqualTo(50);

    PageRequest absent = new PageRequest((String) null, null);
    absent.validate();
    assertThat(absent.page()).isZero();
    assertThat(absent.size()).isEqualTo(50);
  }

  @Test
  void textThatIsNoWholeNumberIsA400NamingTheParameter() {
    for (String notANumber : new String[] {"x", "", "1.5", "2147483648", "0x10"}) {
      assertThatThrownBy(() -> new PageRequest(notANumber, "10").validate())
          .as(notANumber)
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.details()).containsEntry("field", "page");
                assertThat(e.getMessage())
                    .isEqualTo("page: must be a whole number, got '" + notANumber + "'");
              });
      assertThatThrownBy(() -> new PageRequest("0", notANumber).validate())
          .as(notANumber)
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.details()).containsEntry("field", "size");
                assertThat(e.getMessage()).startsWith("size: must be a whole number");
              });
    }
  }

  @Test
  void aPageBeyondWhatAListCanSkipIsA400NamingPage() {
    int last = Integer.MAX_VALUE / 500;
    new PageRequest(last, 500).validate();
    assertThatThrownBy(() -> new PageRequest(last + 1, 500).validate())
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.details()).containsEntry("field", "page");
            });
  }
}
