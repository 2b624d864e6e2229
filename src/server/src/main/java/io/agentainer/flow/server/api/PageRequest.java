package io.agentainer.flow.server.api;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;

/** {@code ?page=&size=} of a list endpoint: page from 0, size 1..500 (50 by default). */
public class PageRequest {

  public static final int MAX_SIZE = 500;

  @QueryParam("page")
  @DefaultValue("0")
  int page;

  @QueryParam("size")
  @DefaultValue("50")
  int size;

  public PageRequest() {}

  public PageRequest(int page, int size) {
    this.page = page;
    this.size = size;
  }

  /**
   * @throws ApiException 400 naming {@code page} or {@code size} when out of range
   */
  public void validate() {
    if (page < 0) {
      throw ApiException.badRequest("page", "must be 0 or more, got " + page);
    }
    if (size < 1 || size > MAX_SIZE) {
      throw ApiException.badRequest("size", "must be between 1 and " + MAX_SIZE + ", got " + size);
    }
  }

  public int page() {
    return page;
  }

  public int size() {
    return size;
  }

  public int offset() {
    return Math.multiplyExact(page, size);
  }
}
