import { api, h, money, notice } from "../app.js";

export const title = "Activity";
export const needsSession = true;

const palette = ["#4f46e5", "#0891b2", "#16a34a", "#ea580c", "#db2777", "#ca8a04", "#7c3aed", "#64748b"];
const svgNs = "http://www.w3.org/2000/svg";
const svg = (tag, attributes = {}, ...children) => {
  const element = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children.map(c => (c instanceof Node ? c : document.createTextNode(String(c)))));
  return element;
};

/**
 * Where the account's money goes: spend, tokens and requests per day, stacked by model, provider or key; filters
 * for the days, key, model and provider; every generation (newest first) with its attempts; the rows as CSV.
 */
export async function render(_match, query) {
  const filters = Object.fromEntries(["from", "to", "key", "model", "provider"].map(name => [name, query.get(name) ?? ""]));
  filters.group = query.get("group") ?? "model";
  const content = h("div");

  const params = () => {
    const p = new URLSearchParams();
    for (const [name, value] of Object.entries(filters)) if (value && !(name === "group" && value === "model")) p.set(name, value);
    return p;
  };

  async function draw() {
    history.replaceState(null, "", `/activity${params().size ? `?${params()}` : ""}`);
    const chart = await api(`/web/activity?${params()}`);
    if (!chart.ok) return content.replaceChildren(notice(chart.message));
    const data = chart.data;
    if (!filters.from) filters.from = data.days[0];
    if (!filters.to) filters.to = data.days.at(-1);
    const select = (name, label, options) => h("label", {}, label, h("select", { name, "aria-label": label, onchange: e => { filters[name] = e.target.value; draw(); } },
      options.map(([value, text]) => h("option", { value, selected: filters[name] === value }, text))));
    const day = (name, label) => h("label", {}, label, h("input", { type: "date", name, "aria-label": label, value: filters[name], onchange: e => { filters[name] = e.target.value; draw(); } }));
    const table = h("tbody");
    const more = h("button", { type: "button", hidden: true }, "Load more");

    async function page(before) {
      const p = params();
      if (before) p.set("before", before);
      const rows = await api(`/web/generations?${p}`);
      if (!rows.ok) return table.append(h("tr", {}, h("td", { colspan: 9 }, notice(rows.message))));
      if (!before && rows.data.data.length === 0) table.append(h("tr", {}, h("td", { colspan: 9, class: "empty" }, "No generations match these filters.")));
      for (const g of rows.data.data) {
        table.append(h("tr", { "data-generation": g.id },
          h("td", {}, h("button", { type: "button", class: "link", onclick: () => details(g.id) }, new Date(g.created_at).toLocaleString())),
          h("td", {}, g.model), h("td", {}, g.provider ?? "—"), h("td", {}, g.key),
          h("td", { class: "num" }, `${g.tokens_prompt} + ${g.tokens_completion}`),
          h("td", { class: "num" }, money(g.cost, 6)),
          h("td", { class: "num" }, `${g.latency_ms} ms`),
          h("td", { class: "num" }, g.time_to_first_token_ms === null ? "—" : `${g.time_to_first_token_ms} ms`),
          h("td", {}, g.status === 200 ? (g.cancelled ? h("span", { class: "badge warn" }, "cancelled") : h("span", { class: "badge good" }, "ok")) : h("span", { class: "badge bad" }, String(g.status)))));
      }
      more.hidden = !rows.data.next;
      more.onclick = () => page(rows.data.next);
    }

    content.replaceChildren(
      h("div", { class: "toolbar panel" },
        day("from", "From"), day("to", "To"),
        select("key", "Key", [["", "All keys"], ...data.keys.map(k => [k.hash, k.name])]),
        select("model", "Model", [["", "All models"], ...data.models.map(m => [m, m])]),
        select("provider", "Provider", [["", "All providers"], ...data.providers.map(p => [p, p])]),
        select("group", "Stack by", [["model", "Model"], ["provider", "Provider"], ["key", "Key"]]),
        h("a", { class: "button", href: `/web/generations.csv?${params()}`, download: true }, "Export CSV")),
      h("div", { class: "cards" },
        card("Spend", money(data.totals.spend, 6)), card("Tokens", data.totals.tokens.toLocaleString("en-US")), card("Requests", data.totals.requests.toLocaleString("en-US"))),
      data.series.length === 0
        ? h("div", { class: "panel empty" }, "No activity in these days. Requests made with this account's keys show up here as they finish.")
        : h("div", {}, h("div", { class: "charts" }, chartOf(data, "spend", "Spend per day", v => money(v, 4)), chartOf(data, "tokens", "Tokens per day", v => v.toLocaleString("en-US")),
            chartOf(data, "requests", "Requests per day", v => v.toLocaleString("en-US"))),
          h("ul", { class: "legend", "aria-label": "Legend" }, data.series.slice(0, palette.length).map((s, i) =>
            h("li", {}, h("span", { class: `swatch swatch-${i}` }), s.name)), data.series.length > palette.length && h("li", {}, h("span", { class: `swatch swatch-${palette.length - 1}` }), "other"))),
      h("h2", {}, "Generations"),
      h("div", { class: "panel table-wrap" }, h("table", {},
        h("thead", {}, h("tr", {}, ["Time", "Model", "Provider", "Key", "Tokens in + out", "Cost", "Latency", "First token", "Result"]
          .map((t, i) => h("th", { class: i >= 4 && i <= 7 ? "num" : null }, t)))),
        table)),
      more);
    await page(null);
  }

  await draw();
  return [h("h1", {}, "Activity"), h("p", { class: "lede" }, "Spend, tokens and requests of this account, per UTC day."), content];
}

const card = (label, value) => h("div", { class: "panel card" }, h("div", { class: "label" }, label), h("div", { class: "value" }, value));

/** A stacked bar chart of one measure, one bar per day; the top series get their own colour, the rest share one. */
function chartOf(data, measure, label, format) {
  const width = 600, height = 180, gap = 2;
  const top = data.series.slice(0, palette.length - 1);
  const rest = data.series.slice(palette.length - 1);
  const stacks = top.map(s => s[measure].map(Number));
  if (rest.length) stacks.push(data.days.map((_, d) => rest.reduce((sum, s) => sum + Number(s[measure][d]), 0)));
  const totals = data.days.map((_, d) => stacks.reduce((sum, s) => sum + s[d], 0));
  const max = Math.max(...totals, 0) || 1;
  const bar = width / data.days.length;
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": `${label}: ${format(totals.reduce((a, b) => a + b, 0))} in total`, preserveAspectRatio: "none" });
  data.days.forEach((day, d) => {
    let y = height;
    stacks.forEach((stack, i) => {
      const value = stack[d];
      if (value <= 0) return;
      const h2 = (value / max) * (height - 4);
      y -= h2;
      chart.append(svg("rect", { x: d * bar + gap / 2, y, width: Math.max(bar - gap, 1), height: h2, class: `fill-${i}` },
        svg("title", {}, `${day} · ${i < top.length ? top[i].name : "other"}: ${format(value)}`)));
    });
  });
  return h("figure", { class: "panel chart" }, h("figcaption", {}, label, h("span", { class: "muted" }, ` · peak ${format(max)} a day`)), chart,
    h("div", { class: "axis muted" }, h("span", {}, data.days[0]), h("span", {}, data.days.at(-1))));
}

/** One generation in full: what was asked and served, every attempt in order, tokens, timings and cost. */
async function details(id) {
  const [answer, stored] = await Promise.all([
    api(`/api/v1/generation?id=${encodeURIComponent(id)}`),
    api(`/web/generations/${encodeURIComponent(id)}/content`),
  ]);
  const dialog = h("dialog", { "aria-label": `Generation ${id}`, class: "generation" });
  const close = h("button", { type: "button", onclick: () => dialog.close() }, "Close");
  if (!answer.ok) {
    dialog.append(notice(answer.message), close);
  } else {
    const g = answer.data.data;
    const field = (label, value) => [h("dt", {}, label), h("dd", {}, value ?? "—")];
    dialog.append(
      h("h2", {}, "Generation"), h("p", {}, h("code", {}, g.id)),
      h("dl", { class: "fields" },
        field("Requested", g.requested_model), field("Served by", `${g.model} on ${g.provider_name ?? "no provider"}`),
        field("Status", `${g.status}${g.error ? `: ${g.error}` : ""}`), field("Finish reason", g.finish_reason),
        field("Tokens", `${g.tokens_prompt} in (${g.native_tokens_cached} cached) + ${g.tokens_completion} out (${g.native_tokens_reasoning} reasoning)${g.tokens_estimated ? ", estimated" : ""}`),
        field("Cost", money(g.total_cost, 8)), field("Latency", `${g.latency} ms`),
        field("First token", g.time_to_first_token === null ? null : `${g.time_to_first_token} ms`),
        field("Throughput", g.throughput === null ? null : `${g.throughput} tokens/s`), field("Streamed", g.streamed ? "yes" : "no")),
      h("h3", {}, "Attempts"),
      h("table", { class: "attempts" },
        h("thead", {}, h("tr", {}, h("th", {}, "#"), h("th", {}, "Provider"), h("th", {}, "Model"), h("th", {}, "Outcome"), h("th", { class: "num" }, "Status"), h("th", { class: "num" }, "Latency"))),
        h("tbody", {}, g.provider_responses.map((a, i) => h("tr", {},
          h("td", {}, i + 1), h("td", {}, a.provider_name), h("td", {}, a.model), h("td", {}, a.outcome),
          h("td", { class: "num" }, a.status ?? "—"), h("td", { class: "num" }, a.latency === null ? "—" : `${a.latency} ms`))))),
      h("h3", {}, "Text"),
      stored.ok
        ? h("div", {}, h("p", { class: "muted" }, "Request"), h("pre", { class: "stored", "data-stored": "request" }, stored.data.request),
            h("p", { class: "muted" }, "Completion"), h("pre", { class: "stored", "data-stored": "completion" }, stored.data.completion))
        : h("p", { class: "muted" }, "Not stored: the account was not storing prompts and completions (Settings) when this ran."),
      h("div", { class: "row" }, close));
  }
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  close.focus();
}
