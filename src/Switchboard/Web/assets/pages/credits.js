import { api, h, money, notice, session } from "../app.js";
import { alertsSection, loadAlerts, recentNotice } from "./credit-alerts.js";

export const title = "Credits";
export const needsSession = true;

/** The account's balance, its spend alerts and history; for the operator, every account with a top-up form. */
export async function render() {
  const credits = await api("/api/v1/credits");
  if (!credits.ok) return notice(credits.message);
  const { total_credits: purchased, total_usage: used } = credits.data.data;
  const balance = Number(purchased) - Number(used);
  const alerts = await loadAlerts();
  const content = [
    h("h1", {}, "Credits"),
    h("p", { class: "lede" }, "Prepaid USD. Each generation is charged its tokens at the provider's list price."),
    recentNotice(alerts),
    h("div", { class: "cards" },
      h("div", { class: "panel card" }, h("div", { class: "label" }, "Balance"), h("div", { class: "value", "data-figure": "balance" }, money(balance))),
      h("div", { class: "panel card" }, h("div", { class: "label" }, "Added in total"), h("div", { class: "value" }, money(purchased))),
      h("div", { class: "panel card" }, h("div", { class: "label" }, "Used in total"), h("div", { class: "value" }, money(used)))),
    alertsSection(alerts),
  ];
  content.push(await history());
  if (session.current?.is_admin) content.push(await accounts(), audit());
  return content;
}

const kinds = { top_up: "Top-up", refund: "Refund", adjustment: "Adjustment", charge: "Charge" };

/** The account's ledger, newest first: credits by default, every per-generation charge on request. */
async function history() {
  const body = h("tbody");
  const more = h("button", { type: "button", hidden: true }, "Load more");
  const charges = h("input", { type: "checkbox", id: "include-charges" });
  async function page(before) {
    const query = new URLSearchParams();
    if (charges.checked) query.set("charges", "true");
    if (before) query.set("before", before);
    const answer = await api(`/web/ledger?${query}`);
    if (!before) body.replaceChildren();
    if (!answer.ok) return body.append(h("tr", {}, h("td", { colspan: 4 }, notice(answer.message))));
    if (!before && answer.data.data.length === 0) body.append(h("tr", {}, h("td", { colspan: 4, class: "empty" }, "No credit movements yet.")));
    for (const entry of answer.data.data) {
      body.append(h("tr", { "data-entry": entry.kind },
        h("td", {}, new Date(entry.created_at).toLocaleString()),
        h("td", {}, kinds[entry.kind] ?? entry.kind),
        h("td", { class: "num" }, money(entry.amount, 6)),
        h("td", {}, entry.note ?? "", entry.key && h("span", { class: "muted" }, ` key ${entry.key}`),
          entry.generation_id && h("div", { class: "muted" }, h("code", {}, entry.generation_id)))));
    }
    more.hidden = !answer.data.next;
    more.onclick = () => page(answer.data.next);
  }
  charges.addEventListener("change", () => page(null));
  await page(null);
  return h("section", { "aria-labelledby": "history-title" },
    h("div", { class: "row spread" }, h("h2", { id: "history-title" }, "History"),
      h("label", { class: "check", for: "include-charges" }, charges, "Include each generation's charge")),
    h("div", { class: "panel table-wrap" }, h("table", {},
      h("thead", {}, h("tr", {}, h("th", {}, "When"), h("th", {}, "Kind"), h("th", { class: "num" }, "Amount"), h("th", {}, "Details"))), body)),
    more);
}

async function accounts() {
  const section = h("section", { "aria-labelledby": "accounts-title" });
  const message = h("div");
  const refresh = async () => {
    const answer = await api("/api/v1/admin/accounts");
    if (!answer.ok) {
      section.replaceChildren(notice(answer.message));
      return;
    }
    section.replaceChildren(
      h("h2", { id: "accounts-title" }, "Accounts"),
      message,
      h("div", { class: "panel table-wrap" }, h("table", {},
        h("thead", {}, h("tr", {}, h("th", {}, "Account"), h("th", { class: "num" }, "Balance"), h("th", { class: "num" }, "Held for requests"),
          h("th", { class: "num" }, "Added in total"), h("th", {}, "Add credits"))),
        h("tbody", {}, answer.data.data.map(account => {
          const amount = h("input", { type: "number", min: "0.01", step: "0.01", required: true, "aria-label": `USD to add to ${account.name}`, class: "narrow" });
          return h("tr", { "data-account": account.name },
            h("td", {}, account.name, account.is_admin && h("span", { class: "badge" }, "admin"), h("div", { class: "muted" }, `#${account.id}`)),
            h("td", { class: "num", "data-figure": "balance" }, money(account.balance)),
            h("td", { class: "num" }, money(account.reserved)),
            h("td", { class: "num" }, money(account.total_purchased)),
            h("td", {}, h("form", { class: "row", onsubmit: async event => {
              event.preventDefault();
              const answer = await api(`/api/v1/admin/accounts/${account.id}/credits`, { method: "POST", body: { amount: Number(amount.value), kind: "top_up" } });
              message.replaceChildren(answer.ok ? notice(`Added ${money(amount.value)} to ${account.name}.`, "success") : notice(answer.message));
              if (answer.ok) await refresh();
            } }, amount, h("button", { type: "submit" }, "Top up"))));
        })))));
  };
  await refresh();
  return section;
}

/**
 * The operator's check of the books, run on request (it reads every ledger line): each account's and key's problems,
 * and the usage providers reported beyond what was held, which nobody was charged.
 */
function audit() {
  const result = h("div", { "data-audit": "" });
  const run = h("button", { type: "button" }, "Run the audit");
  run.onclick = async () => {
    run.disabled = true;
    const [report, accounts] = await Promise.all([api("/api/v1/admin/ledger/audit"), api("/api/v1/admin/accounts")]);
    run.disabled = false;
    if (!report.ok) return result.replaceChildren(notice(report.message));
    const names = new Map((accounts.ok ? accounts.data.data : []).map(a => [a.id, a.name]));
    result.replaceChildren(...auditReport(report.data, id => names.get(id) ?? `#${id}`));
  };
  return h("section", { "aria-labelledby": "audit-title" },
    h("h2", { id: "audit-title" }, "Ledger audit"),
    h("p", { class: "muted" }, "Checks every account and key: balances against their ledgers, reservations against the leases of live gateway instances, " +
      "no balance taken below zero, no key past its limit, and no usage priced above what was held for it."),
    run, result);
}

function auditReport(report, accountName) {
  const problems = [
    ...report.data.flatMap(a => a.problems.map(p => ({ who: accountName(a.account_id), problem: p }))),
    ...report.keys.flatMap(k => k.problems.map(p => ({ who: `${accountName(k.account_id)}, key #${k.key_id}`, problem: p }))),
  ];
  const parts = [report.balanced
    ? notice(`Balanced: ${report.data.length} account(s) and ${report.keys.length} key(s) check out; ${report.instances} gateway instance(s) live.`, "success")
    : notice(`${problems.length} problem(s) found.`)];
  if (problems.length > 0) {
    parts.push(h("div", { class: "panel table-wrap" }, h("table", { "data-table": "audit-problems" },
      h("thead", {}, h("tr", {}, h("th", {}, "Where"), h("th", {}, "Problem"))),
      h("tbody", {}, problems.map(p => h("tr", {}, h("td", {}, p.who), h("td", {}, p.problem)))))));
  }
  if (report.recent_uncollected.length > 0) {
    parts.push(
      h("h3", {}, "Uncollected usage ", h("span", { class: "muted", "data-figure": "uncollected" }, money(report.uncollected, 6))),
      h("p", { class: "muted" }, "A provider reported more usage than the hold allowed for; the charge stopped at the hold and the rest is booked here, charged to nobody."),
      h("div", { class: "panel table-wrap" }, h("table", { "data-table": "uncollected" },
        h("thead", {}, h("tr", {}, h("th", {}, "When"), h("th", {}, "Account"), h("th", {}, "Generation"), h("th", { class: "num" }, "Amount"))),
        h("tbody", {}, report.recent_uncollected.map(line => h("tr", {},
          h("td", {}, new Date(line.created_at).toLocaleString()),
          h("td", {}, accountName(line.account_id), line.api_key_id && h("span", { class: "muted" }, ` key #${line.api_key_id}`)),
          h("td", {}, h("code", {}, line.generation_id ?? "")),
          h("td", { class: "num" }, money(line.amount, 6))))))));
  }
  return parts;
}
