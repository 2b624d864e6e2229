package io.agentainer.flow.console.ui.dashboard;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.card.Card;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import io.agentainer.flow.console.api.HealthReport;
import io.agentainer.flow.sdk.client.ServerHealth;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The server's health: its overall status and version, and one row per dependency the server
 * checks. When the API cannot be reached the card says so, with the address it tried.
 */
public class HealthCard extends Card {

  private final Supplier<HealthReport> source;
  private final Span status = new Span();
  private final Div body = new Div();

  public HealthCard(Supplier<HealthReport> source) {
    this.source = source;
    addClassName("flow-health");
    setTitle("Server health");

    Button refresh = new Button(VaadinIcon.REFRESH.create(), click -> refresh());
    refresh.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE, ButtonVariant.LUMO_ICON);
    refresh.setAriaLabel("Refresh server health");
    refresh.setTooltipText("Refresh");
    Div suffix = new Div(status, refresh);
    suffix.addClassName("flow-health-actions");
    setHeaderSuffix(suffix);

    body.addClassName("flow-health-body");
    add(body);
    refresh();
  }

  /** Asks the API again and redraws the card. */
  public final void refresh() {
    show(source.get());
  }

  private void show(HealthReport report) {
    body.removeAll();
    if (report instanceof HealthReport.Reachable reachable) {
      showHealth(reachable);
    } else if (report instanceof HealthReport.Unreachable unreachable) {
      showUnreachable(unreachable);
    }
  }

  private void showHealth(HealthReport.Reachable report) {
    ServerHealth health = report.health();
    setStatus(health.status());

    Div facts = new Div(fact("Version", orDash(health.version())), fact("API", report.api()));
    facts.addClassName("flow-facts");
    body.add(facts);

    Map<String, ServerHealth.Check> checks =
        health.checks() == null ? Map.of() : new TreeMap<>(health.checks());
    if (checks.isEmpty()) {
      body.add(note("The server reported no dependency checks."));
      return;
    }
    Div rows = new Div();
    rows.addClassName("flow-checks");
    checks.forEach((name, check) -> rows.add(checkRow(name, check)));
    body.add(rows);
  }

  private void showUnreachable(HealthReport.Unreachable report) {
    setStatus(Tone.UNREACHABLE_LABEL);
    Paragraph message = new Paragraph("The console cannot reach the Agentainer Flow API.");
    message.addClassName("flow-health-message");
    Div facts = new Div(fact("API", report.api()), fact("Reason", report.reason()));
    facts.addClassName("flow-facts");
    body.add(
        message,
        facts,
        note(
            "Start the server, or point the console at it with FLOW_API"
                + " (e.g. http://localhost:8081/api)."));
  }

  private void setStatus(String value) {
    String label = value == null || value.isBlank() ? "UNKNOWN" : value.toUpperCase(Locale.ROOT);
    status.setText(label);
    status.setClassName("flow-status");
    status.addClassName("flow-status-" + Tone.of(label).css());
  }

  private static Component checkRow(String name, ServerHealth.Check check) {
    String label = check.status() == null ? "UNKNOWN" : check.status().toUpperCase(Locale.ROOT);
    Span badge = new Span(label);
    badge.addClassNames("flow-status", "flow-status-" + Tone.of(label).css());
    Span checkName = new Span(name);
    checkName.addClassName("flow-check-name");
    Span detail = new Span(orDash(check.detail()));
    detail.addClassName("flow-check-detail");
    Span millis = new Span(check.millis() + " ms");
    millis.addClassName("flow-check-millis");
    Div row = new Div(checkName, badge, detail, millis);
    row.addClassName("flow-check");
    return row;
  }

  private static Component fact(String label, Object value) {
    Span term = new Span(label);
    term.addClassName("flow-fact-label");
    Span description = new Span(String.valueOf(value));
    description.addClassName("flow-fact-value");
    Div fact = new Div(term, description);
    fact.addClassName("flow-fact");
    return fact;
  }

  private static Component note(String text) {
    Paragraph note = new Paragraph(text);
    note.addClassName("flow-note");
    return note;
  }

  private static String orDash(String value) {
    return value == null || value.isBlank() ? "—" : value;
  }

  /** How a status looks: its colour class. */
  enum Tone {
    OK("ok"),
    WARNING("warn"),
    BAD("bad"),
    NEUTRAL("neutral");

    static final String UNREACHABLE_LABEL = "UNREACHABLE";

    private final String css;

    Tone(String css) {
      this.css = css;
    }

    String css() {
      return css;
    }

    static Tone of(String status) {
      return switch (status == null ? "" : status.toUpperCase(Locale.ROOT)) {
        case "UP" -> OK;
        case "DEGRADED" -> WARNING;
        case "DOWN", UNREACHABLE_LABEL -> BAD;
        default -> NEUTRAL;
      };
    }
  }
}
