package io.agentainer.flow.server.security;

import io.agentainer.flow.server.api.ApiError;
import io.agentainer.flow.server.job.JobTokens;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;
import java.security.Principal;
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
  @Inject JobTokens jobTokens;

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
    if (adminToken.matches(token)) {
      authenticate(request, FlowPrincipal.ADMIN);
      return;
    }
    if (JobTokens.looksLikeJobToken(token)) {
      JobTokens.Grant grant = jobTokens.verify(token).orElse(null);
      if (grant != null && agentMayCall(request.getMethod(), normalized, grant)) {
        authenticate(request, FlowPrincipal.agent(grant));
        return;
      }
      if (grant != null) {
        request.abortWith(
            deny(
                Response.Status.FORBIDDEN,
                "forbidden",
                "Authorization: a job's token reaches only its own run"));
        return;
      }
    }
    request.abortWith(
        deny(
            Response.Status.FORBIDDEN,
            "forbidden",
            "Authorization: the token is not valid for this server"));
  }

  /**
   * What an agent's token opens: starting child jobs, reading jobs (each resource checks the job is
   * in the token's scope), and its own run under {@code workflows/<run>/}.
   */
  static boolean agentMayCall(String method, String path, JobTokens.Grant grant) {
    if (path.equals("jobs")) {
      return "POST".equals(method);
    }
    if (path.startsWith("jobs/")) {
      return "GET".equals(method)
          || path.endsWith("/cancel")
          || ("PUT".equals(method) && path.endsWith("/checkpoint"));
    }
    if (path.startsWith("workflows/") && grant.workflowId() != null) {
      String rest = path.substring("workflows/".length());
      int slash = rest.indexOf('/');
      String run = slash < 0 ? rest : rest.substring(0, slash);
      return run.equals(grant.workflowId().toString());
    }
    return false;
  }

  private static void authenticate(ContainerRequestContext request, FlowPrincipal principal) {
    SecurityContext original = request.getSecurityContext();
    request.setSecurityContext(
        new SecurityContext() {
          @Override
          public Principal getUserPrincipal() {
            return principal;
          }

          @Override
          public boolean isUserInRole(String role) {
            return principal.admin() ? "admin".equals(role) : "agent".equals(role);
          }

          @Override
          public boolean isSecure() {
            return original != null && original.isSecure();
          }

          @Override
          public String getAuthenticationScheme() {
            return "Bearer";
          }
        });
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
