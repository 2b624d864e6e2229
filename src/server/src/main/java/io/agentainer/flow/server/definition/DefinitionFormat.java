package io.agentainer.flow.server.definition;

import java.util.Locale;

/** How a definition is written: JSON or YAML (the same tree). */
public enum DefinitionFormat {
  JSON,
  YAML;

  /**
   * {@code json} or {@code yaml}, or a media type: {@code application/json} (and {@code +json}
   * types), {@code application/yaml}, {@code text/yaml}, {@code application/x-yaml}; parameters
   * such as {@code ;charset=utf-8} are ignored.
   *
   * @throws DefinitionException naming {@code format} for anything else
   */
  public static DefinitionFormat of(String format) {
    String value = format == null ? "" : format.toLowerCase(Locale.ROOT).trim();
    int semicolon = value.indexOf(';');
    if (semicolon >= 0) {
      value = value.substring(0, semicolon).trim();
    }
    String subtype = value.substring(value.indexOf('/') + 1);
    if (subtype.equals("json") || subtype.endsWith("+json")) {
      return JSON;
    }
    if (subtype.equals("yaml") || subtype.equals("x-yaml") || subtype.equals("yml")) {
      return YAML;
    }
    throw new DefinitionException(
        "format",
        "expected json or yaml (application/json, application/yaml, text/yaml or"
            + " application/x-yaml), got '"
            + format
            + "'");
  }
}
