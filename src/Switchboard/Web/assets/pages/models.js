import { api, h, notice } from "../app.js";

export const title = "Models";

const perMillion = usd => (Number(usd) === 0 ? "free" : `$${Number(usd).toLocaleString("en-US", { maximumFractionDigits: 3 })}`);

/** The catalog: search, filter by provider, modality, context, price and capabilities, sort by price or context. */
export async function render(_match, query) {
  const answer = await api("/web/catalog");
  if (!answer.ok) return notice(answer.message);
  const { models, providers } = answer.data;

  const state = {
    q: query.get("q") ?? "", provider: query.get("provider") ?? "", input: query.get("input") ?? "", output: query.get("output") ?? "",
    context: query.get("context") ?? "", maxPrice: query.get("max_price") ?? "", tools: query.has("tools"), json: query.has("json"),
    reasoning: query.has("reasoning"), sort: query.get("sort") ?? "name",
  };
  const modalities = kind => [...new Set(models.flatMap(m => m[`${kind}_modalities`]))].sort();
  const select = (name, label, options) => h("label", {}, label, h("select", { name, onchange: e => update(name, e.target.value) },
    options.map(([value, text]) => h("option", { value, selected: state[name] === value }, text))));
  const check = (name, label) => h("label", { class: "check" },
    h("input", { type: "checkbox", name, checked: state[name], onchange: e => update(name, e.target.checked) }), label);

  const body = h("tbody");
  const count = h("p", { class: "muted", "aria-live": "polite" });
  function update(name, value) {
    state[name] = value;
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(state)) if (v && !(k === "sort" && v === "name")) params.set(k === "maxPrice" ? "max_price" : k, v === true ? "" : v);
    history.replaceState(null, "", `/models${params.size ? `?${params}` : ""}`);
    draw();
  }
  function draw() {
    const q = state.q.trim().toLowerCase();
    const shown = models.filter(m =>
      (!q || m.id.toLowerCase().includes(q) || m.name.toLowerCase().includes(q) || m.aliases.some(a => a.toLowerCase().includes(q)))
      && (!state.provider || m.providers.includes(state.provider))
      && (!state.input || m.input_modalities.includes(state.input))
      && (!state.output || m.output_modalities.includes(state.output))
      && (!state.context || m.context_length >= Number(state.context))
      && (!state.maxPrice || Number(m.prompt_per_million) <= Number(state.maxPrice))
      && (!state.tools || m.supports_tools) && (!state.json || m.supports_json) && (!state.reasoning || m.supports_reasoning));
    const order = {
      name: (a, b) => a.name.localeCompare(b.name),
      price: (a, b) => Number(a.prompt_per_million) + Number(a.completion_per_million) - Number(b.prompt_per_million) - Number(b.completion_per_million),
      context: (a, b) => b.context_length - a.context_length,
    }[state.sort];
    shown.sort(order);
    count.textContent = `${shown.length} of ${models.length} models`;
    body.replaceChildren(...(shown.length ? shown.map(m => h("tr", {},
      h("td", {}, h("a", { href: `/models/${m.id}`, "data-link": true }, m.name),
        m.deprecation && h("span", { class: "badge warn", title: m.deprecation }, "deprecated"),
        m.discovered && h("span", { class: "badge", title: "Listed by the provider's GET /models, not by the catalog" }, "discovered"),
        h("div", { class: "muted" }, h("code", {}, m.id))),
      h("td", {}, m.providers.map(p => h("span", { class: "badge" }, providers.find(x => x.slug === p)?.name ?? p))),
      h("td", { class: "num" }, m.context_length.toLocaleString("en-US")),
      h("td", { class: "num" }, perMillion(m.prompt_per_million)),
      h("td", { class: "num" }, perMillion(m.completion_per_million)),
      h("td", {}, m.supports_tools && h("span", { class: "badge" }, "tools"), m.supports_json && h("span", { class: "badge" }, "JSON"),
        m.supports_reasoning && h("span", { class: "badge" }, "reasoning"), m.input_modalities.filter(x => x !== "text").map(x => h("span", { class: "badge" }, x)))))
      : [h("tr", {}, h("td", { colspan: 6, class: "empty" }, "No model matches these filters. Clear one to see more."))]));
  }
  draw();

  return [
    h("h1", {}, "Models"),
    h("p", { class: "lede" }, "Every model this gateway can route to, priced at its cheapest provider in USD per million tokens."),
    h("div", { class: "toolbar panel" },
      h("label", {}, "Search", h("input", { type: "search", name: "q", value: state.q, placeholder: "Name or id", oninput: e => update("q", e.target.value) })),
      select("provider", "Provider", [["", "Any provider"], ...providers.map(p => [p.slug, p.name])]),
      select("input", "Input", [["", "Any input"], ...modalities("input").map(m => [m, m])]),
      select("output", "Output", [["", "Any output"], ...modalities("output").map(m => [m, m])]),
      select("context", "Context", [["", "Any context"], ["32000", "≥ 32K"], ["128000", "≥ 128K"], ["1000000", "≥ 1M"]]),
      h("label", {}, "Max input $/M", h("input", { type: "number", name: "max_price", min: "0", step: "0.01", value: state.maxPrice, class: "narrow",
        oninput: e => update("maxPrice", e.target.value) })),
      check("tools", "Tools"), check("json", "JSON output"), check("reasoning", "Reasoning"),
      select("sort", "Sort by", [["name", "Name"], ["price", "Price, low to high"], ["context", "Context, largest first"]])),
    count,
    h("div", { class: "panel table-wrap" }, h("table", {},
      h("thead", {}, h("tr", {}, h("th", {}, "Model"), h("th", {}, "Providers"), h("th", { class: "num" }, "Context"),
        h("th", { class: "num" }, "Input $/M"), h("th", { class: "num" }, "Output $/M"), h("th", {}, "Supports"))),
      body)),
  ];
}
