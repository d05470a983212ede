import { api, h, money, notice, setRecentAlerts } from "../app.js";

// The Credits screen's alerts: the notice of recent ones, the thresholds and webhook editor, and the fired alerts.

/** GET /web/alerts, which also refreshes the Credits link's badge. */
export async function loadAlerts() {
  const answer = await api("/web/alerts");
  if (answer.ok) setRecentAlerts(answer.data.data.recent);
  return answer;
}

const plural = (count, noun) => `${count} ${noun}${count === 1 ? "" : "s"}`;

/** What an alert says, in words. */
function describe(alert) {
  return alert.kind === "key_limit"
    ? `Key “${alert.key_name ?? "deleted key"}” reached ${alert.threshold} % of its spend limit`
    : `Spending reached ${alert.threshold} % of the credit after the last top-up`;
}

const when = iso => new Date(iso).toLocaleString();

/** The alerts of the last 7 days, at the top of the screen; nothing when there are none. */
export function recentNotice(answer) {
  if (!answer.ok || answer.data.data.recent === 0) return null;
  const { recent, alerts } = answer.data.data;
  const latest = alerts[0];
  return h("div", { class: "notice warn", role: "status", "data-alert-notice": true },
    h("strong", {}, `${plural(recent, "spend alert")} in the last 7 days. `),
    latest && `Latest: ${describe(latest)} (${money(latest.spent)} of ${money(latest.of)}), ${when(latest.created_at)}.`);
}

export function alertsSection(answer) {
  const section = h("section", { "aria-labelledby": "alerts-title" }, h("h2", { id: "alerts-title" }, "Alerts"));
  if (!answer.ok) {
    section.append(notice(`The alerts could not be loaded: ${answer.message}`));
    return section;
  }
  const view = answer.data.data;
  section.append(settingsForm(view), h("h3", { class: "subhead" }, "Fired alerts"), alertTable(view.alerts));
  return section;
}

function settingsForm(view) {
  const message = h("div");
  const thresholds = h("input", { id: "alert-thresholds", name: "thresholds", required: true, autocomplete: "off", inputmode: "numeric",
    value: view.thresholds.join(", "), "aria-describedby": "alert-thresholds-help" });
  const webhook = h("input", { id: "alert-webhook", name: "webhook_url", type: "url", maxlength: "1000", value: view.webhook_url ?? "",
    placeholder: "https://example.com/hooks/switchboard", "aria-describedby": "alert-webhook-help" });
  const save = h("button", { type: "submit", class: "primary" }, "Save alert settings");
  return h("form", { class: "panel form", "aria-label": "Alert settings", onsubmit: async event => {
    event.preventDefault();
    const parts = thresholds.value.split(/[\s,;%]+/).filter(Boolean);
    if (parts.length === 0 || parts.some(part => !/^\d+$/.test(part))) {
      message.replaceChildren(notice("Thresholds are whole percentages separated by commas, for example 50, 80, 100."));
      thresholds.focus();
      return;
    }
    save.disabled = true;
    const answer = await api("/web/alerts/settings", { method: "PUT", body: { thresholds: parts.map(Number), webhook_url: webhook.value.trim() || null } });
    save.disabled = false;
    if (!answer.ok) {
      message.replaceChildren(notice(answer.message));
      return;
    }
    thresholds.value = answer.data.data.thresholds.join(", ");
    message.replaceChildren(notice("Alert settings saved.", "success"));
  } },
    message,
    h("label", { for: "alert-thresholds" }, "Thresholds (%)", thresholds),
    h("div", { id: "alert-thresholds-help", class: "hint" },
      "Up to 10, from 1 to 100. Each fires once when a key's spend in its limit period, or the account's spend since its last top-up, reaches that share."),
    h("label", { for: "alert-webhook" }, "Webhook URL (optional)", webhook),
    h("div", { id: "alert-webhook-help", class: "hint" }, "Each alert is also posted here as JSON. Leave it empty for none."),
    h("div", { class: "row" }, save));
}

function alertTable(alerts) {
  if (alerts.length === 0) {
    return h("div", { class: "panel empty" },
      "No alerts yet. One appears here when a key with a spend limit, or the account's credit, is spent past a threshold.");
  }
  return h("div", { class: "panel table-wrap" }, h("table", {},
    h("caption", { class: "visually-hidden" }, "Fired alerts, newest first"),
    h("thead", {}, h("tr", {}, h("th", {}, "When"), h("th", {}, "Alert"), h("th", { class: "num" }, "Threshold"), h("th", { class: "num" }, "Spent"),
      h("th", {}, "Webhook"))),
    h("tbody", {}, alerts.map(alert => h("tr", { "data-alert": alert.kind },
      h("td", {}, when(alert.created_at)),
      h("td", {}, describe(alert),
        h("div", { class: "muted" }, alert.kind === "key_limit" ? `Limit period from ${when(alert.period_start)}` : `Since ${when(alert.period_start)}`)),
      h("td", { class: "num" }, `${alert.threshold} %`),
      h("td", { class: "num" }, `${money(alert.spent)} of ${money(alert.of)}`),
      h("td", { "data-webhook": alert.webhook ?? "none" }, webhookState(alert)))))));
}

function webhookState(alert) {
  const detail = alert.webhook_error && h("div", { class: "muted" }, `${plural(alert.webhook_attempts, "attempt")}; last: ${alert.webhook_error}`);
  switch (alert.webhook) {
    case "delivered": return h("span", { class: "badge good" }, "delivered");
    case "pending": return [h("span", { class: "badge warn" }, alert.webhook_attempts === 0 ? "sending" : "retrying"), detail];
    case "failed": return [h("span", { class: "badge bad" }, "failed"), detail];
    default: return h("span", { class: "muted" }, "no webhook");
  }
}
