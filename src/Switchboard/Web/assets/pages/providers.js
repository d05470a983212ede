import { api, h, notice, session } from "../app.js";

export const title = "Providers";
export const needsSession = true;

const states = {
  healthy: ["good", "healthy"],
  degraded: ["warn", "failed recently"],
  circuit_open: ["bad", "circuit open"],
  not_configured: ["", "not configured"],
};
const figure = (value, unit, digits = 0) => (value === null || value === undefined ? "no traffic" : `${Number(value).toFixed(digits)}${unit}`);

/**
 * Every provider and each endpoint's health; the account's own provider keys (BYOK); for the operator, the gateway's
 * credentials, masked.
 */
export async function render() {
  const answer = await api("/web/providers");
  if (!answer.ok) return [h("h1", {}, "Providers"), notice(answer.message)];
  const providers = answer.data.data;
  const isOperator = session.current?.is_admin;
  return [
    h("h1", {}, "Providers"),
    h("p", { class: "lede" }, isOperator
      ? "Every provider in the catalog: whether the gateway's credential is set, and how each of its endpoints has done over the last hour."
      : "Every provider in the catalog, and how each of its endpoints has done over the last hour."),
    await ownKeys(providers),
    providers.map(provider => {
      const counts = Object.groupBy(provider.endpoints, e => e.state);
      return h("section", { class: "panel provider", "data-provider": provider.slug, "aria-labelledby": `provider-${provider.slug}` },
        h("div", { class: "row spread" },
          h("h2", { id: `provider-${provider.slug}` }, provider.name, " ", h("span", { class: "muted" }, h("code", {}, provider.slug))),
          h("div", {}, Object.entries(counts).map(([state, list]) => h("span", { class: `badge ${states[state]?.[0] ?? ""}` }, `${list.length} ${states[state]?.[1] ?? state}`)))),
        h("p", { class: "muted" }, `${provider.protocol} protocol · `,
          !isOperator ? (provider.configured ? "available" : "not configured on this gateway")
          : provider.configured
            ? ["credential ", h("code", { "data-credential": true }, provider.credential ?? "not needed"), provider.byok ? " (BYOK)" : ""]
            : ["no credential: set ", h("code", {}, provider.missing_setting)]),
        h("div", { class: "table-wrap" }, h("table", {},
          h("thead", {}, h("tr", {}, h("th", {}, "Model"), h("th", {}, "State"), h("th", { class: "num" }, "Errors (1 hour)"),
            h("th", { class: "num" }, "Uptime (1 day)"), h("th", { class: "num" }, "Latency p50"), h("th", { class: "num" }, "Throughput p50"))),
          h("tbody", {}, provider.endpoints.map(e => h("tr", { "data-endpoint": e.model },
            h("td", {}, h("a", { href: `/models/${e.model}`, "data-link": true }, e.model), e.tag !== provider.slug && h("div", { class: "muted" }, h("code", {}, e.tag))),
            h("td", {}, h("span", { class: `badge ${states[e.state]?.[0] ?? ""}` }, states[e.state]?.[1] ?? e.state)),
            h("td", { class: "num" }, figure(e.error_rate1h, " %", 1)),
            h("td", { class: "num" }, figure(e.uptime1d, " %", 1)),
            h("td", { class: "num" }, figure(e.latency_p50, " ms")),
            h("td", { class: "num" }, figure(e.throughput_p50, " tok/s"))))))));
    }),
  ];
}

/** The account's own provider keys: set, replace or remove one per provider. Secrets go in and never come back out. */
async function ownKeys(providers) {
  const panel = h("section", { class: "panel own-keys", "aria-labelledby": "own-keys" });
  const message = h("div");
  const list = h("div");
  const provider = h("select", { name: "provider", id: "byok-provider" }, providers.map(p => h("option", { value: p.slug }, p.name)));
  const secret = h("input", { name: "key", id: "byok-key", type: "password", autocomplete: "off", required: true, placeholder: "The provider's API key" });

  const refresh = async () => {
    const answer = await api("/web/provider-keys");
    if (!answer.ok) {
      list.replaceChildren(notice(answer.message));
      return;
    }
    const keys = answer.data.data;
    list.replaceChildren(keys.length === 0
      ? h("p", { class: "muted empty" }, "No keys of your own yet: your requests use the gateway's credentials and pay the full price in credits.")
      : h("div", { class: "table-wrap" }, h("table", {},
          h("thead", {}, h("tr", {}, h("th", {}, "Provider"), h("th", {}, "Key"), h("th", {}, "Updated"), h("th", {}, h("span", { class: "muted" }, "Actions")))),
          h("tbody", {}, keys.map(k => h("tr", { "data-own-key": k.provider },
            h("td", {}, k.provider_name),
            h("td", {}, h("code", {}, k.masked), !k.readable && h("div", {}, h("span", { class: "badge bad" }, "cannot be decrypted: enter it again"))),
            h("td", {}, new Date(k.updated_at).toLocaleString()),
            h("td", {}, h("button", { type: "button", class: "danger", onclick: () => remove(k) }, "Remove"))))))));
  };

  async function remove(key) {
    if (!confirm(`Remove your ${key.provider_name} key? Requests to ${key.provider_name} then use the gateway's credential at the full price.`)) return;
    const answer = await api(`/web/provider-keys/${encodeURIComponent(key.provider)}`, { method: "DELETE" });
    message.replaceChildren(answer.ok ? notice(`${key.provider_name} key removed.`, "success") : notice(answer.message));
    await refresh();
  }

  const form = h("form", { class: "row", onsubmit: async event => {
    event.preventDefault();
    const answer = await api(`/web/provider-keys/${encodeURIComponent(provider.value)}`, { method: "PUT", body: { key: secret.value } });
    if (answer.ok) secret.value = "";
    message.replaceChildren(answer.ok
      ? notice(`${answer.data.data.provider_name} key saved (${answer.data.data.masked}). Your requests to it use it from now on.`, "success")
      : notice(answer.message));
    await refresh();
  } }, h("label", {}, "Provider", provider), h("label", { class: "grow" }, "API key", secret),
    h("button", { type: "submit", class: "primary" }, "Save key"));

  await refresh();
  panel.append(
    h("h2", { id: "own-keys" }, "Your provider keys (BYOK)"),
    h("p", { class: "muted" }, "With your own key for a provider, your account's requests to it are sent with that key and tried before other providers; the provider bills you, and credits pay only the gateway's BYOK fee. Keys are stored encrypted and never shown again."),
    message, list, form);
  return panel;
}
