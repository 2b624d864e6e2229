package io.agentainer.flow.server.security;

import io.agentainer.flow.server.api.ApiError;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;
import java.util.Set;

/**
 * Every endpoint but health needs {@code Authorization: Bearer <token>}: 401 without one, 403 with
 * a token that is not valid.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public class BearerTokenFilter implements ContainerRequestFilter {

  /** Paths (under /api) open without a token. */
  static final Set<String> OPEN = Set.of("health");

  private static final String BEARER = "Bearer ";

  @Inject AdminToken adminToken;

  @Override
  public void filter(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    String normalized = path.startsWith("/") ? path.substring(1) : path;
    if (OPEN.contains(normalized) || "OPTIONS".equals(request.getMethod())) {
      return;
    }
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      request.abortWith(
          deny(
              Response.Status.UNAUTHORIZED,
              "unauthenticated",
              "Authorization: a bearer token is required"));
      return;
    }
    String token = header.substring(BEARER.length()).trim();
    if (!adminToken.matches(token)) {
      request.abortWith(
          deny(
              Response.Status.FORBIDDEN,
              "forbidden",
              "Authorization: the token is not valid for this server"));
    }
  }

  private static Response deny(Response.Status status, String code, String message) {
    Response.ResponseBuilder response =
        Response.status(status)
            .type(MediaType.APPLICATION_JSON_TYPE)
            .entity(ApiError.of(code, message, Map.of()));
    if (status == Response.Status.UNAUTHORIZED) {
      response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"agentainer-flow\"");
    }
    return response.build();
  }
}
