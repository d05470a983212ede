import { api, h, notice } from "../app.js";

export const title = "Model";

const perMillion = perToken => (Number(perToken) === 0 ? "free" : `$${(Number(perToken) * 1e6).toLocaleString("en-US", { maximumFractionDigits: 3 })}`);
const percent = value => (value === null || value === undefined ? "no traffic" : `${Number(value).toFixed(1)} %`);
const status = endpoint => ({
  0: h("span", { class: "badge good" }, "healthy"),
  [-1]: h("span", { class: "badge warn" }, "failed recently"),
  [-2]: h("span", { class: "badge bad" }, "circuit open"),
  [-3]: h("span", { class: "badge" }, "not configured"),
})[endpoint.status] ?? h("span", { class: "badge" }, String(endpoint.status));

/** One model: each provider endpoint with its prices, limits, data policy and live figures from recent traffic. */
export async function render(match) {
  const id = decodeURIComponent(match[1]);
  const [endpoints, catalog] = await Promise.all([api(`/api/v1/models/${id}/endpoints`), api("/web/catalog")]);
  if (!endpoints.ok) return [h("h1", {}, id), notice(endpoints.message)];
  const model = endpoints.data.data;
  const providers = catalog.ok ? catalog.data.providers : [];
  const summary = catalog.ok ? catalog.data.models.find(m => m.id === model.id) : undefined;
  const policy = endpoint => {
    const own = endpoint.data_policy;
    if (own) return own.training ? "trains on prompts" : own.retains_prompts ? `no training; kept ${own.retention_days ?? "for a time"} days` : "no training, not retained";
    const provider = providers.find(p => p.name === endpoint.provider_name);
    return provider === undefined ? "—" : provider.collects_data ? "may retain or train on prompts" : "no training on prompts";
  };
  // Long-context tiers: the price above each threshold, under the base price.
  const tiers = (e, field) => (e.pricing.tiers ?? []).map(t =>
    h("div", { class: "muted" }, `>${(t.above_prompt_tokens / 1000).toLocaleString("en-US")}K: ${perMillion(t[field])}`));
  return [
    h("p", {}, h("a", { href: "/models", "data-link": true }, "← All models")),
    h("h1", {}, model.name),
    h("p", { class: "lede" }, h("code", {}, model.id), " · ", model.architecture.modality),
    summary?.deprecation && notice(`Deprecated${summary.retires_on ? `, retires on ${summary.retires_on}` : ""}: ${summary.deprecation}`, "warn"),
    model.description && h("p", {}, model.description),
    summary?.aliases.length > 0 && h("p", { class: "muted" }, "Also answers to ", ...summary.aliases.flatMap((a, i) => [i ? ", " : "", h("code", {}, a)])),
    h("h2", {}, "Providers"),
    h("div", { class: "panel table-wrap" }, h("table", {},
      h("thead", {}, h("tr", {}, ["Provider", "Input $/M", "Output $/M", "Context", "Max output", "Quantization", "Data policy",
        "Latency p50 (30 min)", "Throughput p50", "Uptime 1 hour / 1 day", "State"].map((t, i) => h("th", { class: i > 0 && i < 6 || i === 7 || i === 8 ? "num" : null }, t)))),
      h("tbody", {}, model.endpoints.map(e => h("tr", {},
        h("td", {}, e.provider_name, h("div", { class: "muted" }, h("code", {}, e.tag))),
        h("td", { class: "num" }, perMillion(e.pricing.prompt), tiers(e, "prompt")),
        h("td", { class: "num" }, perMillion(e.pricing.completion), tiers(e, "completion")),
        h("td", { class: "num" }, e.context_length.toLocaleString("en-US")),
        h("td", { class: "num" }, e.max_completion_tokens?.toLocaleString("en-US") ?? "—"),
        h("td", { class: "num" }, e.quantization ?? "—"),
        h("td", {}, policy(e)),
        h("td", { class: "num" }, e.latency_last_30m ? `${Math.round(e.latency_last_30m.p50)} ms` : "no traffic"),
        h("td", { class: "num" }, e.throughput_last_30m ? `${Math.round(e.throughput_last_30m.p50)} tok/s` : "no traffic"),
        h("td", {}, `${percent(e.uptime_last_1h)} / ${percent(e.uptime_last_1d)}`),
        h("td", {}, status(e))))))),
  ];
}
