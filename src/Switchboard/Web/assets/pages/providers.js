import { api, h, notice } from "../app.js";

export const title = "Providers";
export const needsSession = true;

const states = {
  healthy: ["good", "healthy"],
  degraded: ["warn", "failed recently"],
  circuit_open: ["bad", "circuit open"],
  not_configured: ["", "not configured"],
};
const figure = (value, unit, digits = 0) => (value === null || value === undefined ? "no traffic" : `${Number(value).toFixed(digits)}${unit}`);

/** The operator's view of every provider: credential (masked) and each endpoint's health. */
export async function render() {
  const answer = await api("/web/providers");
  if (!answer.ok) {
    return [h("h1", {}, "Providers"), notice(answer.status === 403 ? "Only the operator (a key of the admin account) sees the providers." : answer.message)];
  }
  const providers = answer.data.data;
  return [
    h("h1", {}, "Providers"),
    h("p", { class: "lede" }, "Every provider in the catalog: whether its credential is set, and how each of its endpoints has done over the last hour."),
    providers.map(provider => {
      const counts = Object.groupBy(provider.endpoints, e => e.state);
      return h("section", { class: "panel provider", "data-provider": provider.slug, "aria-labelledby": `provider-${provider.slug}` },
        h("div", { class: "row spread" },
          h("h2", { id: `provider-${provider.slug}` }, provider.name, " ", h("span", { class: "muted" }, h("code", {}, provider.slug))),
          h("div", {}, Object.entries(counts).map(([state, list]) => h("span", { class: `badge ${states[state]?.[0] ?? ""}` }, `${list.length} ${states[state]?.[1] ?? state}`)))),
        h("p", { class: "muted" }, `${provider.protocol} protocol · `,
          provider.configured
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
