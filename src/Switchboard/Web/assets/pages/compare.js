import { api, chats, h, notice } from "../app.js";
import { replyFigures, streamChat } from "../chat.js";
import { renderMarkdown } from "../markdown.js";

export const title = "Compare";
export const needsSession = true;

const letters = ["A", "B", "C", "D"];

/**
 * One prompt to 2–4 models at once, streamed side by side with each column's provider, timing, tokens and cost.
 * Blind mode hides which model wrote what (and its provider) until the best answer is picked; the vote is kept.
 */
export async function render(_match, query) {
  const catalog = await api("/web/catalog");
  if (!catalog.ok) return notice(catalog.message);
  const models = catalog.data.models.filter(chats).toSorted((a, b) => a.name.localeCompare(b.name));
  if (models.length < 2) return h("div", { class: "panel empty" }, "Comparing needs at least two models in the catalog.");
  const nameOf = id => models.find(m => m.id === id)?.name ?? id;

  const chosen = (query.get("models")?.split(",") ?? models.slice(0, 2).map(m => m.id)).slice(0, 4);
  const pickers = h("div", { class: "row pickers" });
  const drawPickers = () => pickers.replaceChildren(
    ...chosen.map((id, i) => h("label", { for: `model-${i}` }, `Model ${letters[i]}`,
      h("div", { class: "row" },
        h("select", { id: `model-${i}`, onchange: e => { chosen[i] = e.target.value; } }, models.map(m => h("option", { value: m.id, selected: m.id === id }, m.name))),
        chosen.length > 2 && h("button", { type: "button", "aria-label": `Remove model ${letters[i]}`, onclick: () => { chosen.splice(i, 1); drawPickers(); } }, "×")))),
    chosen.length < 4 && h("button", { type: "button", onclick: () => { chosen.push(models.find(m => !chosen.includes(m.id))?.id ?? models[0].id); drawPickers(); } }, "Add a model"));
  drawPickers();

  const blind = h("input", { type: "checkbox", id: "blind", name: "blind", checked: query.has("blind") });
  const prompt = h("textarea", { id: "compare-prompt", rows: "3", required: true, placeholder: "One prompt, sent to every model at once." });
  const send = h("button", { type: "submit", class: "primary" }, "Compare");
  const stop = h("button", { type: "button", disabled: true }, "Stop all");
  const columns = h("div", { class: "columns" });
  const verdict = h("div");
  const tallies = h("section", { "aria-labelledby": "votes-title" });

  async function showTallies(answer) {
    answer ??= await api("/web/compare/votes");
    if (!answer.ok) return tallies.replaceChildren(notice(answer.message));
    const rows = answer.data.data;
    tallies.replaceChildren(h("h2", { id: "votes-title" }, "Blind votes per model pair"),
      rows.length === 0
        ? h("div", { class: "panel empty" }, "No votes yet. Turn on blind mode, compare, and pick the better answer.")
        : h("div", { class: "panel table-wrap" }, h("table", {},
            h("thead", {}, h("tr", {}, h("th", {}, "Pair"), h("th", { class: "num" }, "First wins"), h("th", { class: "num" }, "Second wins"), h("th", { class: "num" }, "Ties"))),
            h("tbody", {}, rows.map(t => h("tr", { "data-pair": `${t.model_a} vs ${t.model_b}` },
              h("td", {}, nameOf(t.model_a), " vs ", nameOf(t.model_b)),
              h("td", { class: "num" }, t.a_wins), h("td", { class: "num" }, t.b_wins), h("td", { class: "num" }, t.ties)))))));
  }

  async function compare(event) {
    event.preventDefault();
    const text = prompt.value.trim();
    if (!text) return;
    const ids = [...chosen];
    if (new Set(ids).size !== ids.length) {
      verdict.replaceChildren(notice("Pick different models for each column."));
      return;
    }
    const isBlind = blind.checked;
    // Blind columns are shuffled, so position says nothing about which model is which.
    const order = isBlind ? ids.map(id => [Math.random(), id]).sort((a, b) => a[0] - b[0]).map(([, id]) => id) : ids;
    const controller = new AbortController();
    stop.onclick = () => controller.abort();
    send.disabled = true;
    stop.disabled = false;
    verdict.replaceChildren();
    const cells = order.map((id, i) => {
      const heading = h("h3", {}, isBlind ? `Answer ${letters[i]}` : nameOf(id));
      const body = h("div", { class: "body markdown" }, h("span", { class: "muted" }, "Waiting for the first token…"));
      const figures = h("div", { class: "figures muted" });
      const column = h("article", { class: "panel column", "data-column": letters[i] }, heading, body, figures);
      return { id, heading, body, figures, column };
    });
    columns.replaceChildren(...cells.map(c => c.column));
    const replies = await Promise.all(cells.map(async cell => {
      const reply = await streamChat({ model: cell.id, messages: [{ role: "user", content: text }] },
        { signal: controller.signal, onText: soFar => cell.body.replaceChildren(...renderMarkdown(soFar)) });
      if (reply.text === "") cell.body.replaceChildren();
      if (reply.error) cell.body.append(notice(reply.error));
      cell.reply = reply;
      cell.figures.textContent = isBlind ? hideProvider(reply) : replyFigures(reply);
      cell.column.dataset.state = reply.error ? "failed" : reply.stopped ? "stopped" : "done";
      return reply;
    }));
    send.disabled = false;
    stop.disabled = true;
    if (!isBlind) return;
    const reveal = () => cells.forEach(cell => {
      cell.heading.textContent = `${cell.heading.textContent}: ${nameOf(cell.id)}`;
      cell.figures.textContent = replyFigures(cell.reply);
    });
    const vote = async best => {
      const answer = await api("/web/compare/votes", { method: "POST", body: { models: ids, best } });
      if (!answer.ok) return verdict.replaceChildren(notice(answer.message));
      reveal();
      verdict.replaceChildren(notice(best ? `Vote kept: ${nameOf(best)} gave the better answer.` : "Vote kept: a tie.", "success"));
      await showTallies(answer);
    };
    if (replies.every(r => r.error || r.stopped)) return;
    verdict.replaceChildren(h("div", { class: "panel row" }, h("strong", {}, "Which answer is better?"),
      cells.map(cell => h("button", { type: "button", onclick: () => vote(cell.id) }, `${cell.heading.textContent} is better`)),
      h("button", { type: "button", onclick: () => vote(null) }, "Tie")));
  }

  await showTallies();
  return [
    h("h1", {}, "Compare"),
    h("p", { class: "lede" }, "Send one prompt to several models and read the answers side by side. Charged to this account, like the playground."),
    h("form", { class: "panel compare-form", onsubmit: compare },
      pickers,
      h("label", { for: "compare-prompt" }, "Prompt", prompt),
      h("div", { class: "row" }, send, stop,
        h("label", { class: "check", for: "blind" }, blind, "Blind: hide the models until I pick the better answer"))),
    verdict,
    columns,
    tallies,
  ];
}

/** In blind mode the provider would give the model away, so only timing and size are shown. */
function hideProvider(reply) {
  return replyFigures({ ...reply, provider: null, usage: reply.usage ? { ...reply.usage, cost: undefined } : null });
}
