// Streams one chat completion from the gateway as the signed-in account, reading the SSE events as they arrive.
import { changeHeaders } from "./app.js";

/**
 * Sends body with stream: true and calls onText(textSoFar) for each piece of content. Resolves with what the reply
 * was: its text, id, provider, model, usage (with cost), time to first token and total time in ms, and whether it
 * was stopped or failed. Aborting signal stops it; the gateway then cancels the provider's request.
 */
export async function streamChat(body, { signal, onText = () => {} } = {}) {
  const started = performance.now();
  const reply = { text: "", id: null, provider: null, model: null, usage: null, finishReason: null, error: null, stopped: false, ttft: null, latency: null };
  try {
    const response = await fetch("/api/v1/chat/completions", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream", ...changeHeaders() },
      body: JSON.stringify({ ...body, stream: true }),
      credentials: "same-origin",
      signal,
    });
    if (!response.ok) {
      const json = await response.json().catch(() => null);
      reply.error = json?.error?.message ?? `HTTP ${response.status}`;
      return finish(reply, started);
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value.replaceAll("\r\n", "\n");
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        for (const line of event.split("\n")) {
          if (!line.startsWith("data:")) continue; // comments are keep-alives
          const data = line.slice(5).trim();
          if (data === "[DONE]") continue;
          read(reply, JSON.parse(data), started, onText);
        }
      }
    }
  } catch (error) {
    if (error.name === "AbortError") reply.stopped = true;
    else reply.error = `The stream broke: ${error.message}`;
  }
  return finish(reply, started);
}

function read(reply, chunk, started, onText) {
  reply.id ??= chunk.id;
  reply.provider ??= chunk.provider;
  reply.model ??= chunk.model;
  if (chunk.error) reply.error = chunk.error.message;
  const choice = chunk.choices?.[0];
  if (choice?.delta?.content) {
    reply.ttft ??= performance.now() - started;
    reply.text += choice.delta.content;
    onText(reply.text);
  }
  if (choice?.finish_reason) reply.finishReason = choice.finish_reason;
  if (chunk.usage) reply.usage = chunk.usage;
}

function finish(reply, started) {
  reply.latency = performance.now() - started;
  return reply;
}

/** One line of figures for a reply: provider, tokens, cost, time to first token, total time. */
export function replyFigures(reply) {
  const parts = [];
  if (reply.provider) parts.push(reply.provider);
  if (reply.usage) {
    parts.push(`${reply.usage.prompt_tokens} in + ${reply.usage.completion_tokens} out tokens`);
    if (reply.usage.cost !== undefined) parts.push(`$${Number(reply.usage.cost).toFixed(6)}`);
  }
  if (reply.ttft !== null) parts.push(`first token ${Math.round(reply.ttft)} ms`);
  parts.push(`${Math.round(reply.latency)} ms`);
  if (reply.stopped) parts.push("stopped");
  return parts.join(" · ");
}
