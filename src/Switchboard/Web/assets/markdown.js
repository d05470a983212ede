// A small Markdown renderer for model replies that builds DOM nodes, never HTML strings: whatever a model writes
// ends up as text. Covers what replies use: fenced code, inline code, headings, lists, quotes, bold, italic and
// http(s) links. Re-rendered from the whole text as a stream grows, so an unclosed fence shows as code at once.
import { h } from "./app.js";

export function renderMarkdown(text) {
  const blocks = [];
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  for (let i = 0; i < lines.length;) {
    const line = lines[i];
    const fence = line.match(/^```\s*([\w+-]*)/);
    if (fence) {
      const code = [];
      for (i++; i < lines.length && !lines[i].startsWith("```"); i++) code.push(lines[i]);
      i++;
      blocks.push(h("pre", { class: "code" }, fence[1] && h("span", { class: "lang" }, fence[1]), h("code", {}, code.join("\n"))));
      continue;
    }
    const heading = line.match(/^(#{1,4})\s+(.*)$/);
    if (heading) {
      blocks.push(h(`h${Math.min(heading[1].length + 2, 6)}`, {}, inline(heading[2])));
      i++;
      continue;
    }
    if (/^\s*([-*]|\d+\.)\s+/.test(line)) {
      const ordered = /^\s*\d+\./.test(line);
      const items = [];
      for (; i < lines.length && /^\s*([-*]|\d+\.)\s+/.test(lines[i]); i++) items.push(h("li", {}, inline(lines[i].replace(/^\s*([-*]|\d+\.)\s+/, ""))));
      blocks.push(h(ordered ? "ol" : "ul", {}, items));
      continue;
    }
    if (line.startsWith(">")) {
      const quoted = [];
      for (; i < lines.length && lines[i].startsWith(">"); i++) quoted.push(lines[i].replace(/^>\s?/, ""));
      blocks.push(h("blockquote", {}, inline(quoted.join(" "))));
      continue;
    }
    if (line.trim() === "") {
      i++;
      continue;
    }
    const paragraph = [];
    for (; i < lines.length && lines[i].trim() !== "" && !/^(```|#{1,4}\s|>|\s*([-*]|\d+\.)\s)/.test(lines[i]); i++) paragraph.push(lines[i]);
    blocks.push(h("p", {}, inline(paragraph.join("\n"))));
  }
  return blocks;
}

/** Inline code, links, bold and italic, in that order of precedence. */
function inline(text) {
  const parts = [];
  const pattern = /(`[^`]+`)|\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)|(\*\*[^*]+\*\*)|(\*[^*\s][^*]*\*|_[^_\s][^_]*_)/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    if (match[1]) parts.push(h("code", {}, match[1].slice(1, -1)));
    else if (match[2]) parts.push(h("a", { href: match[3], rel: "noopener noreferrer nofollow", target: "_blank" }, match[2]));
    else if (match[4]) parts.push(h("strong", {}, match[4].slice(2, -2)));
    else parts.push(h("em", {}, match[5].slice(1, -1)));
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}
