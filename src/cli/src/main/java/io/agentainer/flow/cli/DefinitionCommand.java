package io.agentainer.flow.cli;

import io.agentainer.flow.sdk.client.DefinitionRef;
import io.agentainer.flow.sdk.client.DefinitionSummary;
import io.agentainer.flow.sdk.client.FlowClientException;
import io.agentainer.flow.sdk.client.Page;
import io.agentainer.flow.sdk.client.Problem;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code agentainer definition ...}: workflow definitions, registered from YAML or JSON files. */
@Command(
    name = "definition",
    description = "Register, validate and list workflow definitions.",
    subcommands = {
      DefinitionCommand.Apply.class,
      DefinitionCommand.Validate.class,
      DefinitionCommand.ListDefinitions.class
    })
class DefinitionCommand {

  /** {@code -f FILE}: a definition's text and its format, told by the file name. */
  static class DefinitionFile {
    @Option(
        names = {"-f", "--file"},
        required = true,
        paramLabel = "FILE",
        description =
            "the definition: .yaml, .yml or .json (another name: JSON if it starts with {, else"
                + " YAML)")
    Path file;

    String text(CommandLine command) {
      try {
        return Files.readString(file);
      } catch (NoSuchFileException e) {
        throw new ParameterException(command, "Invalid value for option '--file': no file " + file);
      } catch (MalformedInputException e) {
        throw new ParameterException(
            command, "Invalid value for option '--file': " + file + " is not UTF-8 text");
      } catch (IOException e) {
        throw new ParameterException(
            command, "Invalid value for option '--file': cannot read " + file + ": " + e);
      }
    }

    /** {@code json} or {@code yaml} by the file's extension; null to tell from the text. */
    String format() {
      String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
      if (name.endsWith(".json")) {
        return "json";
      }
      return name.endsWith(".yaml") || name.endsWith(".yml") ? "yaml" : null;
    }
  }

  static boolean invalidDefinition(FlowClientException e) {
    return e.status() == 400 && "invalid_definition".equals(e.code());
  }

  static List<Problem> problems(FlowClientException e) {
    return e.problems().isEmpty() ? List.of(new Problem(null, e.getMessage())) : e.problems();
  }

  /** {@code agentainer definition apply -f FILE}: registers a new version unless unchanged. */
  @Command(
      name = "apply",
      description = {
        "Register a definition from a file: a new version, unless the file matches the latest.",
        "Prints 'NAME version N', with '(unchanged)' when no version was made; exit code 2 and"
            + " one 'path: message' line per problem when the definition is not valid."
      },
      footer = {"", "Example:", "  agentainer definition apply -f wordcount.yaml"})
  static class Apply extends ApiCommand {
    @Mixin DefinitionFile source;

    @Override
    public Integer call() {
      String text = source.text(spec.commandLine());
      DefinitionRef ref;
      try {
        ref = client().applyDefinition(text, source.format());
      } catch (FlowClientException e) {
        if (invalidDefinition(e)) {
          return invalid(source.file + " is not a valid definition", problems(e));
        }
        throw e;
      }
      if (json()) {
        out().println(Json.write(ref));
      } else {
        out()
            .println(
                ref.name() + " version " + ref.version() + (ref.created() ? "" : " (unchanged)"));
      }
      return 0;
    }
  }

  /** {@code agentainer definition validate -f FILE}: the server's checks, nothing registered. */
  @Command(
      name = "validate",
      description = {
        "Check a definition without registering it.",
        "Exit code 0 when valid; 2 with one 'path: message' line per problem."
      })
  static class Validate extends ApiCommand {
    @Mixin DefinitionFile source;

    @Override
    public Integer call() {
      List<Problem> problems =
          client().validateDefinition(source.text(spec.commandLine()), source.format());
      if (!problems.isEmpty()) {
        return invalid(source.file + " is not a valid definition", problems);
      }
      out().println(json() ? Json.write(Map.of("valid", true)) : source.file + " is valid");
      return 0;
    }
  }

  /** {@code agentainer definition list}: names with their latest version. */
  @Command(name = "list", description = "List registered definitions with their latest version.")
  static class ListDefinitions extends ApiCommand {
    @Option(
        names = "--page",
        paramLabel = "N",
        converter = Converters.PageNumber.class,
        description = "the page to show, from 1 (default: 1)")
    Integer page;

    @Option(
        names = "--size",
        paramLabel = "N",
        converter = Converters.PageSize.class,
        description = "definitions per page, 1 to 500 (default: ${DEFAULT-VALUE})",
        defaultValue = "50")
    int size;

    @Override
    public Integer call() {
      Page<DefinitionSummary> result = client().definitions(page == null ? 0 : page - 1, size);
      if (json()) {
        out().println(Json.write(result));
        return 0;
      }
      if (result.items().isEmpty()) {
        out()
            .println(
                result.total() == 0
                    ? "no definitions"
                    : "no definitions on page " + (result.page() + 1));
      } else {
        Table table = new Table("NAME", "LATEST", "DESCRIPTION", "AGE");
        for (DefinitionSummary d : result.items()) {
          table.row(d.name(), d.latestVersion(), d.description(), Times.age(d.createdAt(), now()));
        }
        table.print(out());
      }
      if (result.total() > 0) {
        out()
            .printf(
                "page %d of %d (%d %s)%n",
                result.page() + 1,
                Math.max(1, result.totalPages()),
                result.total(),
                result.total() == 1 ? "definition" : "definitions");
      }
      return 0;
    }
  }
}
