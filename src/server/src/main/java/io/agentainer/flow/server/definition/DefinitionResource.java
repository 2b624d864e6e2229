package io.agentainer.flow.server.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentainer.flow.server.api.ApiException;
import io.agentainer.flow.server.api.Page;
import io.agentainer.flow.server.api.PageRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/definitions}: register a definition (JSON or YAML), validate one, list them, read a
 * version and the versions of a name, and the JSON Schema of the format. Bodies are read as text,
 * so YAML and JSON go through the same parser, which refuses unknown fields by name.
 */
@Path("definitions")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
public class DefinitionResource {

  static final String YAML = "application/yaml";
  static final String TEXT_YAML = "text/yaml";
  static final String X_YAML = "application/x-yaml";

  @Inject DefinitionService definitions;
  @Context UriInfo uri;

  /** {@code {name, version}}: the answer to a registration. */
  public record Registered(String name, int version) {}

  /** A row of the list: a name and its latest version. */
  public record Summary(String name, int latestVersion, String description, Instant createdAt) {}

  /** One version with its spec. */
  public record DefinitionView(
      String name, int version, String description, JsonNode spec, Instant createdAt) {
    static DefinitionView of(Definition d) {
      return new DefinitionView(
          d.name(), d.version(), d.description(), SpecJson.toTree(d.workflowSpec()), d.createdAt());
    }
  }

  /** A version in the list of a name's versions. */
  public record VersionView(
      String name, int version, String description, String specHash, Instant createdAt) {}

  /**
   * Registers a new version: 201 with its location, or 200 with the latest version when the
   * definition is identical to it.
   */
  @POST
  @Consumes({MediaType.APPLICATION_JSON, YAML, TEXT_YAML, X_YAML})
  public Response register(String body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String type) {
    DefinitionService.Registration registration = definitions.register(body, type);
    Definition d = registration.definition();
    Registered answer = new Registered(d.name(), d.version());
    if (!registration.created()) {
      return Response.ok(answer).build();
    }
    return Response.created(
            uri.getBaseUriBuilder()
                .path("definitions")
                .path(d.name())
                .path("versions")
                .path(String.valueOf(d.version()))
                .build())
        .entity(answer)
        .build();
  }

  /** Validates without registering: {@code {valid: true}}, or 400 with every problem. */
  @POST
  @Path("validate")
  @Consumes({MediaType.APPLICATION_JSON, YAML, TEXT_YAML, X_YAML})
  public Map<String, Object> validate(
      String body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String type) {
    definitions.validate(body, type);
    return Map.of("valid", true);
  }

  /** The JSON Schema of the definition format. */
  @GET
  @Path("schema")
  public JsonNode schema() {
    return DefinitionService.schema();
  }

  @GET
  public Page<Summary> list(@BeanParam PageRequest page) {
    page.validate();
    return new Page<>(
        definitions.list(page.offset(), page.size()).stream()
            .map(d -> new Summary(d.name(), d.version(), d.description(), d.createdAt()))
            .toList(),
        definitions.count(),
        page.page(),
        page.size());
  }

  /** The latest version of {@code name}. */
  @GET
  @Path("{name}")
  public DefinitionView latest(@PathParam("name") String name) {
    return DefinitionView.of(definitions.get(name, null));
  }

  /** The versions of {@code name}, oldest first. */
  @GET
  @Path("{name}/versions")
  public Page<VersionView> versions(@PathParam("name") String name, @BeanParam PageRequest page) {
    page.validate();
    List<Definition> all = definitions.versions(name);
    int from = Math.min(page.offset(), all.size());
    int to = Math.min(from + page.size(), all.size());
    return new Page<>(
        all.subList(from, to).stream()
            .map(
                d ->
                    new VersionView(
                        d.name(), d.version(), d.description(), d.specHash(), d.createdAt()))
            .toList(),
        all.size(),
        page.page(),
        page.size());
  }

  @GET
  @Path("{name}/versions/{version}")
  public DefinitionView version(
      @PathParam("name") String name, @PathParam("version") String version) {
    return DefinitionView.of(definitions.get(name, version(version)));
  }

  /**
   * @throws ApiException 400 naming {@code version} unless it is a positive whole number
   */
  static int version(String text) {
    try {
      int version = Integer.parseInt(text);
      if (version >= 1) {
        return version;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.badRequest("version", "must be a whole number from 1, got '" + text + "'");
  }
}
