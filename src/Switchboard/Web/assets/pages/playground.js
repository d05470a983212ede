import { api, chats, h, notice } from "../app.js";
import { replyFigures, streamChat } from "../chat.js";
import { renderMarkdown } from "../markdown.js";

export const title = "Playground";
export const needsSession = true;

/**
 * Chat with any model as the account: system prompt, common parameters, streamed replies rendered as they arrive,
 * a stop button, figures for every reply, and the same request as curl and OpenAI SDK code.
 */
export async function render(_match, query) {
  const catalog = await api("/web/catalog");
  if (!catalog.ok) return notice(catalog.message);
  const models = catalog.data.models.filter(chats).toSorted((a, b) => a.name.localeCompare(b.name));
  if (models.length === 0) return h("div", { class: "panel empty" }, "The catalog has no models to chat with.");

  const conversation = [];
  let controller = null;
  const model = h("select", { id: "model", name: "model" }, models.map(m => h("option", { value: m.id, selected: m.id === query.get("model") }, m.name)));
  const system = h("textarea", { id: "system", name: "system", rows: "3", placeholder: "You are a helpful assistant." });
  const temperature = h("input", { id: "temperature", name: "temperature", type: "number", min: "0", max: "2", step: "0.1", value: "1" });
  const maxTokens = h("input", { id: "max_tokens", name: "max_tokens", type: "number", min: "1", step: "1", placeholder: "Model default" });
  const topP = h("input", { id: "top_p", name: "top_p", type: "number", min: "0", max: "1", step: "0.05", placeholder: "1" });
  const prompt = h("textarea", { id: "prompt", name: "prompt", rows: "3", placeholder: "Ask something… (Ctrl+Enter sends)", required: true });
  const send = h("button", { type: "submit", class: "primary" }, "Send");
  const stop = h("button", { type: "button", disabled: true, onclick: () => controller?.abort() }, "Stop");
  const clear = h("button", { type: "button", onclick: () => { conversation.length = 0; transcript.replaceChildren(empty()); snippets(); } }, "New chat");
  const transcript = h("div", { class: "transcript", "aria-live": "polite" });
  const code = h("div");
  const empty = () => h("p", { class: "empty" }, "Pick a model and send a message. Replies stream in as the model writes them.");
  transcript.append(empty());

  /** The request for the conversation so far, plus a message not sent yet (for the code snippets). */
  const request = (pending = "") => {
    const messages = [];
    if (system.value.trim()) messages.push({ role: "system", content: system.value.trim() });
    messages.push(...conversation.filter(m => m.content !== ""));
    if (pending) messages.push({ role: "user", content: pending });
    const body = { model: model.value, messages };
    if (temperature.value !== "") body.temperature = Number(temperature.value);
    if (maxTokens.value !== "") body.max_tokens = Number(maxTokens.value);
    if (topP.value !== "") body.top_p = Number(topP.value);
    return body;
  };

  function snippets() {
    const body = { ...request(prompt.value.trim()), stream: true };
    const base = `${location.origin}/api/v1`;
    const curl = `curl ${base}/chat/completions \\\n  -H "Authorization: Bearer $SWITCHBOARD_KEY" \\\n  -H "Content-Type: application/json" \\\n  -d '${JSON.stringify(body).replaceAll("'", "'\\''")}'`;
    const { model: id, messages, stream, ...rest } = body;
    const extra = Object.entries(rest).map(([k, v]) => `    ${k}=${JSON.stringify(v)},\n`).join("");
    const python = `import os\nfrom openai import OpenAI\n\nclient = OpenAI(base_url="${base}", api_key=os.environ["SWITCHBOARD_KEY"])\n` +
      `stream = client.chat.completions.create(\n    model=${JSON.stringify(id)},\n    messages=${JSON.stringify(messages)},\n${extra}    stream=True,\n)\n` +
      `for chunk in stream:\n    print(chunk.choices[0].delta.content or "", end="")`;
    code.replaceChildren(
      h("h3", {}, "curl"), h("pre", { class: "code", "data-snippet": "curl" }, h("code", {}, curl)),
      h("h3", {}, "OpenAI SDK (Python)"), h("pre", { class: "code", "data-snippet": "python" }, h("code", {}, python)));
  }

  async function ask(event) {
    event?.preventDefault();
    const text = prompt.value.trim();
    if (!text || controller) return;
    if (conversation.length === 0) transcript.replaceChildren();
    conversation.push({ role: "user", content: text });
    transcript.append(h("div", { class: "message user" }, h("div", { class: "author" }, "You"), h("div", { class: "body" }, text)));
    const body = h("div", { class: "body markdown" }, h("span", { class: "muted" }, "Waiting for the first token…"));
    const figures = h("div", { class: "figures muted" });
    const reply = h("div", { class: "message assistant", "data-reply": true }, h("div", { class: "author" }, model.selectedOptions[0].textContent), body, figures);
    transcript.append(reply);
    prompt.value = "";
    controller = new AbortController();
    send.disabled = true;
    stop.disabled = false;
    const answer = await streamChat(request(), { signal: controller.signal, onText: soFar => body.replaceChildren(...renderMarkdown(soFar)) });
    controller = null;
    send.disabled = false;
    stop.disabled = true;
    if (answer.text === "") body.replaceChildren();
    if (answer.error) body.append(notice(answer.error));
    conversation.push({ role: "assistant", content: answer.text });
    figures.textContent = replyFigures(answer);
    reply.dataset.state = answer.error ? "failed" : answer.stopped ? "stopped" : "done";
    snippets();
    prompt.focus();
  }

  prompt.addEventListener("keydown", event => { if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) ask(event); });
  for (const field of [model, system, temperature, maxTokens, topP, prompt]) field.addEventListener("input", snippets);
  snippets();

  return [
    h("h1", {}, "Playground"),
    h("p", { class: "lede" }, "Chat with any model. Replies are charged to this account through its playground key."),
    h("div", { class: "playground" },
      h("aside", { class: "panel settings" },
        h("label", { for: "model" }, "Model", model),
        h("label", { for: "system" }, "System prompt", system),
        h("label", { for: "temperature" }, "Temperature", temperature),
        h("label", { for: "max_tokens" }, "Max tokens", maxTokens),
        h("label", { for: "top_p" }, "Top p", topP)),
      h("section", { class: "chat" },
        h("div", { class: "panel" }, transcript),
        h("form", { class: "panel composer", onsubmit: ask },
          h("label", { for: "prompt" }, "Message", prompt),
          h("div", { class: "row" }, send, stop, clear)),
        h("details", { class: "panel" }, h("summary", {}, "Code for this request"), code))),
  ];
}
