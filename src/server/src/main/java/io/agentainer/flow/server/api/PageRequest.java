package io.agentainer.flow.server.api;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;

/**
 * {@code ?page=&size=} of a list endpoint: page from 0, size 1..500 (50 by default). Both arrive as
 * text and are read by {@link #validate()}, so that {@code ?page=x} is a 400 naming {@code page}
 * rather than the 404 JAX-RS answers when it cannot convert a query parameter.
 */
public class PageRequest {

  public static final int MAX_SIZE = 500;

  private static final int DEFAULT_SIZE = 50;

  @QueryParam("page")
  @DefaultValue("0")
  String page;

  @QueryParam("size")
  @DefaultValue("50")
  String size;

  public PageRequest() {}

  public PageRequest(int page, int size) {
    this(String.valueOf(page), String.valueOf(size));
  }

  /** As the query gave them; null stands for a parameter left out. */
  public PageRequest(String page, String size) {
    this.page = page;
    this.size = size;
  }

  /**
   * @throws ApiException 400 naming {@code page} or {@code size} when it is not a whole number or
   *     out of range, or {@code page} when page × size is beyond what a list can skip
   */
  public void validate() {
    int page = page();
    if (page < 0) {
      throw ApiException.badRequest("page", "must be 0 or more, got " + page);
    }
    int size = size();
    if (size < 1 || size > MAX_SIZE) {
      throw ApiException.badRequest("size", "must be between 1 and " + MAX_SIZE + ", got " + size);
    }
    if (page > Integer.MAX_VALUE / size) {
      throw ApiException.badRequest(
          "page",
          "must be at most " + Integer.MAX_VALUE / size + " with size " + size + ", got " + page);
    }
  }

  /**
   * @throws ApiException 400 naming {@code page} when it is not a whole number
   */
  public int page() {
    return number("page", page, 0);
  }

  /**
   * @throws ApiException 400 naming {@code size} when it is not a whole number
   */
  public int size() {
    return number("size", size, DEFAULT_SIZE);
  }

  public int offset() {
    return Math.multiplyExact(page(), size());
  }

  private static int number(String name, String value, int absent) {
    if (value == null) {
      return absent;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name, "must be a whole number, got '" + value + "'");
    }
  }
}
