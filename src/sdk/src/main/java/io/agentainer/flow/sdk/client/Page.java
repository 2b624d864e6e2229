package io.agentainer.flow.sdk.client;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * One page of a list the API answers: {@code {items, total, page, size}}. Pages count from 0, as in
 * the API; {@code total} counts every item that matched, over all pages.
 *
 * @param <T> the item type
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Page<T>(List<T> items, long total, int page, int size) {

  public Page {
    items = items == null ? List.of() : List.copyOf(items);
  }

  /** How many pages {@code total} items fill at this page size: 0 when nothing matched. */
  @JsonIgnore
  public long totalPages() {
    return size <= 0 ? (items.isEmpty() ? 0 : 1) : (total + size - 1) / size;
  }

  /** Whether a page follows this one. */
  @JsonIgnore
  public boolean hasNext() {
    return page + 1L < totalPages();
  }
}
