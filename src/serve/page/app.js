// The page of `zan serve`: the catalogue, a form built from the inputs' types, the answer with
// its margin, missing facts, trace and citations. Plain script, no libraries; it talks only to
// the server it came from. The URL carries the question, the date, the view and the facts, so a
// link reproduces the answer.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { items: [], byName: new Map(), shown: new Map(), question: null, view: "ask", last: null };

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c);
  return node;
}

async function getJson(url, options) {
  const response = await fetch(url, options);
  const body = await response.json().catch(() => null);
  return { ok: response.ok, status: response.status, body };
}

async function show(name) {
  if (!state.shown.has(name)) {
    const r = await getJson("/v1/items/" + encodeURIComponent(name));
    state.shown.set(name, r.ok ? r.body : null);
  }
  return state.shown.get(name);
}

// ---- The catalogue -------------------------------------------------------------------------
function renderCatalogue() {
  const words = $("search").value.toLowerCase().split(/\s+/).filter(Boolean);
  const list = $("catalogue");
  list.replaceChildren();
  let area = null;
  for (const item of state.items) {
    if (item.kind !== "question" && item.kind !== "parameter") continue;
    const hay = (item.name + " " + item.description + " " + item.area).toLowerCase();
    if (!words.every((w) => hay.includes(w))) continue;
    if (item.area !== area) {
      area = item.area;
      list.append(el("li", { class: "area", "aria-hidden": "true" }, area));
    }
    const current = state.question && state.question.name === item.name;
    list.append(el("li", {},
      el("button", { type: "button", "data-name": item.name, "aria-current": current ? "true" : "false",
        onclick: () => selectQuestion(item.name, {}, true) },
        item.name, el("span", { class: "d" }, item.description))));
  }
}

// ---- The form ------------------------------------------------------------------------------
function recordFields(allowed) {
  // `a JSON list of {"name": text, "votes": count, "registered": date} in a --facts file`
  const fields = [];
  for (const m of (allowed || "").matchAll(/"(\w+)": (\w+)/g)) fields.push({ name: m[1], type: m[2] });
  return fields;
}

function fieldId(name) { return "f-" + name.replace(/[^a-z0-9_]/gi, "-"); }

function widget(info, value) {
  const id = fieldId(info.name);
  const type = info.type;
  if (type === "bool") {
    const judgment = info.kind === "judgment";
    return el("select", { id, "data-type": type },
      el("option", { value: "" }, judgment ? "undecided" : "not given"),
      el("option", { value: "true", selected: value === "true" }, "yes"),
      el("option", { value: "false", selected: value === "false" }, "no"));
  }
  if (Array.isArray(info.allowed_values)) {
    return el("select", { id, "data-type": "enum" },
      el("option", { value: "" }, "not given"),
      info.allowed_values.map((v) => el("option", { value: v, selected: value === v }, v)));
  }
  if (type === "date") return el("input", { id, type: "date", "data-type": type, value: value || "" });
  if (type.startsWith("list ")) return rowsEditor(info, value);
  const attrs = { id, type: "text", "data-type": type, value: (value || "").replace(/%$/, "") };
  if (type === "count" || type === "int") attrs.inputmode = "numeric";
  if (type === "percent" || type === "decimal") attrs.inputmode = "decimal";
  const input = el("input", attrs);
  return type === "percent" ? el("span", {}, input, el("span", { class: "suffix" }, "%")) : input;
}

function rowsEditor(info, value) {
  const fields = recordFields(info.allowed);
  const box = el("div", { class: "rows-editor", id: fieldId(info.name), "data-type": "rows" });
  let rows = [];
  try { rows = value ? JSON.parse(value) : []; } catch (_) { rows = []; }
  const addRow = (row) => {
    const line = el("div", { class: "rowline" },
      fields.map((f) => el("input", { type: f.type === "date" ? "date" : "text", "data-field": f.name, "data-ftype": f.type,
        "aria-label": f.name, placeholder: f.name, value: row && row[f.name] !== undefined ? String(row[f.name]) : "" })),
      el("button", { type: "button", "aria-label": "remove this row", onclick: () => line.remove() }, "remove"));
    box.insertBefore(line, box.lastChild);
  };
  box.append(el("button", { type: "button", onclick: () => addRow(null) }, "add a row"));
  for (const row of rows) addRow(row);
  return box;
}

async function addField(name, missing) {
  const existing = document.querySelector(`[data-fact="${CSS.escape(name)}"]`);
  if (existing) {
    existing.classList.toggle("missing", !!missing);
    // The facts that would decide the answer come first.
    if (missing) $("fields").prepend(existing);
    return existing;
  }
  const info = await show(name);
  if (!info) return null;
  const value = state.pendingFacts ? state.pendingFacts[name] : undefined;
  const field = el("div", { class: "field" + (missing ? " missing" : ""), "data-fact": name, "data-type": info.type },
    el("label", { for: fieldId(name) }, name),
    el("span", { class: "hint" }, info.description + (info.type.startsWith("list ") ? "" : " (" + info.type + ")")),
    widget(info, value),
    el("span", { class: "message", role: "alert" }));
  if (missing) $("fields").prepend(field); else $("fields").append(field);
  return field;
}

// Raw JSON text for one fact, so that whole numbers stay exact; anything the server would
// refuse is sent as a string, and the server's message says why.
function factJson(type, text) {
  if (type === "bool") return text;
  if (type === "count" || type === "int") return /^-?\d+$/.test(text) ? text : JSON.stringify(text);
  if (type === "percent") return JSON.stringify(text.endsWith("%") ? text : text + "%");
  return JSON.stringify(text);
}

function collectFacts() {
  const facts = {}; // name -> the text as entered (for the URL)
  const json = []; // `"name": raw JSON` parts (for the request)
  for (const field of document.querySelectorAll("#fields .field")) {
    const name = field.dataset.fact;
    const type = field.dataset.type;
    if (type.startsWith("list ")) {
      const rows = [];
      const raws = [];
      for (const line of field.querySelectorAll(".rowline")) {
        const row = {};
        const parts = [];
        for (const input of line.querySelectorAll("input")) {
          const v = input.value.trim();
          row[input.dataset.field] = v;
          parts.push(JSON.stringify(input.dataset.field) + ":" + factJson(input.dataset.ftype, v));
        }
        rows.push(row);
        raws.push("{" + parts.join(",") + "}");
      }
      if (rows.length) {
        facts[name] = JSON.stringify(rows);
        json.push(JSON.stringify(name) + ":[" + raws.join(",") + "]");
      }
      continue;
    }
    const input = field.querySelector("input, select");
    const v = input.value.trim();
    if (v === "") continue;
    facts[name] = type === "percent" ? v.replace(/%$/, "") + "%" : v;
    json.push(JSON.stringify(name) + ":" + factJson(type, v));
  }
  return { facts, given: "{" + json.join(",") + "}" };
}

async function selectQuestion(name, facts, push) {
  const item = state.byName.get(name);
  if (!item) { showFormError("unknown question " + name); return; }
  state.question = item;
  state.pendingFacts = facts || {};
  $("intro").hidden = true;
  $("question").hidden = false;
  $("result").hidden = true;
  $("q-name").textContent = item.name;
  $("q-description").textContent = item.description;
  $("q-period").textContent = "In force from " + item.from + (item.until ? " until " + item.until : "") + " · area " + item.area + " · " + item.type;
  $("fields").replaceChildren();
  hideErrors();
  // The inputs of the question's area, and any given fact from elsewhere.
  const names = state.items.filter((i) => i.area === item.area && (i.kind === "input" || i.kind === "judgment")).map((i) => i.name);
  for (const n of Object.keys(state.pendingFacts)) if (!names.includes(n)) names.push(n);
  await Promise.all(names.map((n) => show(n)));
  for (const n of names) await addField(n, false);
  const over = $("over");
  over.replaceChildren(...names.filter((n) => Array.isArray((state.shown.get(n) || {}).allowed_values) && state.shown.get(n).type !== "bool")
    .map((n) => el("option", { value: n, selected: state.pendingOver === n }, n)));
  $("tab-who").disabled = over.options.length === 0;
  if (over.options.length === 0 && state.view === "who") setView("ask");
  state.pendingFacts = null;
  renderCatalogue();
  if (push) { updateUrl(); $("as-of").focus(); }
}

function setView(view) {
  state.view = view;
  $("tab-ask").setAttribute("aria-selected", view === "ask" ? "true" : "false");
  $("tab-who").setAttribute("aria-selected", view === "who" ? "true" : "false");
  $("who-row").hidden = view !== "who";
}

function updateUrl() {
  const params = new URLSearchParams();
  if (state.question) params.set("q", state.question.name);
  if ($("as-of").value) params.set("as_of", $("as-of").value);
  if (state.view === "who") { params.set("view", "who"); params.set("over", $("over").value); }
  for (const [k, v] of Object.entries(collectFacts().facts)) params.set(k, v);
  history.replaceState(null, "", "?" + params.toString());
}

function hideErrors() {
  $("form-error").hidden = true;
  for (const f of document.querySelectorAll(".field")) { f.classList.remove("invalid"); f.querySelector(".message").textContent = ""; }
}

function showFormError(text) { $("form-error").textContent = text; $("form-error").hidden = false; }

function showError(error) {
  const m = /^\$\.given\["(.+?)"\]/.exec(error.location || "");
  const field = m && document.querySelector(`[data-fact="${CSS.escape(m[1])}"]`);
  if (field) {
    field.classList.add("invalid");
    field.querySelector(".message").textContent = error.message;
    const input = field.querySelector("input, select");
    if (input) input.focus();
  } else {
    showFormError(error.message + (error.location ? " (at " + error.location + ")" : ""));
  }
}

async function submit(event) {
  if (event) event.preventDefault();
  if (!state.question) return;
  hideErrors();
  const asOf = $("as-of").value;
  if (!asOf) { showFormError("Pick the date the answer is \"as of\"."); $("as-of").focus(); return; }
  const { given } = collectFacts();
  updateUrl();
  const who = state.view === "who";
  const body = "{" + [`"question":${JSON.stringify(state.question.name)}`, `"as_of":${JSON.stringify(asOf)}`,
    who ? `"over":${JSON.stringify($("over").value)}` : null, `"given":${given}`].filter(Boolean).join(",") + "}";
  const r = await getJson(who ? "/v1/who" : "/v1/ask", { method: "POST", headers: { "content-type": "application/json" }, body });
  if (!r.ok) { $("result").hidden = true; showError((r.body && r.body.error) || { message: "the server answered " + r.status }); return; }
  state.last = { who, body: r.body };
  if (who) renderWho(r.body); else await renderAnswer(r.body);
  if (event) $("result").scrollIntoView({ block: "start" });
}

// ---- The answer ----------------------------------------------------------------------------
// A number object of the JSON contract ({decimal, exact, rounded, unit}) reads as its decimal.
function isNumber(v) { return v && typeof v === "object" && "decimal" in v && "exact" in v; }

function valueText(v) {
  if (v === null || v === undefined) return "—";
  if (isNumber(v)) return v.decimal + (v.unit === "%" ? "%" : v.unit ? " " + v.unit : "");
  if (typeof v === "object") return Array.isArray(v) ? v.map(valueText).join(", ") : Object.entries(v).map(([k, x]) => k + ": " + valueText(x)).join(", ");
  return String(v);
}

function walk(step, visit) { visit(step); for (const c of step.steps || []) walk(c, visit); }

// The margin of the deciding rule's comparisons: "met with 1,000 to spare".
function margins(answer) {
  const decided = [].concat(answer.decided_by || []);
  const found = [];
  for (const rule of answer.trace.steps || []) {
    if (rule.kind !== "rule" || !decided.includes(rule.rule)) continue;
    walk(rule, (s) => {
      if (s.kind !== "comparison") return;
      const m = /\bis (?:true|false|unknown): (.+)$/.exec(s.text);
      if (m) found.push(m[1]);
      else if (s.margin) found.push(valueText(s.margin));
    });
  }
  return found;
}

// A step's citations are ids into the answer's citation table.
function citesOf(ids) {
  const table = (state.last && state.last.body.citations) || {};
  return (ids || []).map((id) => table[id]).filter(Boolean);
}

function traceNode(step, depth) {
  const cites = citesOf(step.citations).map((c) => el("span", { class: "cite" },
    `${c.act} ${c.article} — ${c.title} (${c.authority})`));
  if (!step.steps || step.steps.length === 0) return el("li", {}, step.text, cites);
  // The question and the rules that decided it start open.
  const deciding = step.kind === "rule" && [].concat((state.last && state.last.body.decided_by) || []).includes(step.rule);
  return el("li", {}, el("details", { open: depth < 1 || deciding },
    el("summary", {}, step.text), cites,
    el("ul", {}, step.steps.map((s) => traceNode(s, depth + 1)))));
}

function seatTable(answer) {
  let allocation = null;
  walk(answer.trace, (s) => { if (s.kind === "allocation" && !allocation) allocation = s; });
  if (!allocation) return null;
  const cols = ["list", "votes", "share", "passes", "quotient", "whole_seats", "remainder", "extra_seats", "seats"];
  return [el("caption", { class: "muted" }, "quota " + valueText(allocation.quota)),
    el("thead", {}, el("tr", {}, cols.map((c) => el("th", { scope: "col" }, c.replace("_", " "))))),
    el("tbody", {}, allocation.rows.map((r) => el("tr", {}, cols.map((c) => el("td", {}, valueText(r[c]))))))];
}

async function renderAnswer(answer) {
  $("result").hidden = false;
  $("who-box").hidden = true;
  $("status").textContent = answer.status.replace("_", " ");
  $("status").className = answer.status;
  const seats = seatTable(answer);
  $("answer").textContent = valueText(answer.answer);
  const margin = margins(answer);
  $("margin").textContent = margin.length ? "Margin: " + margin.join("; ") : "";
  $("margin").hidden = margin.length === 0;
  const decided = [].concat(answer.decided_by || []);
  $("decided").textContent = decided.length ? "Decided by rule " + decided.map((d) => "`" + d + "`").join(", ") : "";
  const missing = $("missing");
  missing.replaceChildren();
  for (const item of answer.missing) {
    const line = item.text;
    const name = item.kind === "fact" || item.kind === "judgment" ? item.name : null;
    missing.append(el("li", {}, el("button", { type: "button", onclick: async () => {
      if (!name) return;
      const field = await addField(name, true);
      const input = field && field.querySelector("input, select, button");
      if (input) input.focus();
    } }, line)));
    if (name) await addField(name, true);
  }
  $("missing-box").hidden = answer.missing.length === 0;
  $("seats-box").hidden = !seats;
  if (seats) $("seats").replaceChildren(...seats);
  $("trace").replaceChildren(traceNode(answer.trace, 0));
  $("citations").replaceChildren(...citesOf(answer.deciding_citations).map((c) => el("li", {}, `${c.act} ${c.article} — ${c.title} (${c.authority})`)));
  $("receipt").textContent = answer.receipt ? `${answer.receipt.engine} · rules ${answer.receipt.rules_sha256}` : "";
}

function renderWho(table) {
  $("result").hidden = false;
  $("status").textContent = "who may: " + table.question;
  $("status").className = "";
  $("answer").textContent = table.over;
  $("margin").hidden = true;
  $("decided").textContent = "as of " + table.as_of;
  $("missing-box").hidden = true;
  $("seats-box").hidden = true;
  $("who-box").hidden = false;
  $("who").replaceChildren(
    el("thead", {}, el("tr", {}, ["value", "status", "answer", "decided by"].map((c) => el("th", { scope: "col" }, c)))),
    el("tbody", {}, table.rows.map((r) => el("tr", {}, el("td", {}, r.value), el("td", {}, r.status), el("td", {}, valueText(r.answer)), el("td", {}, [].concat(r.decided_by || []).join(", "))))));
  $("trace").replaceChildren();
  $("citations").replaceChildren();
  $("receipt").textContent = table.receipt ? `${table.receipt.engine} · rules ${table.receipt.rules_sha256}` : "";
}

// ---- Markdown ------------------------------------------------------------------------------
function traceMarkdown(step, depth, out) {
  const cites = citesOf(step.citations).map((c) => `${c.act} ${c.article}`).join("; ");
  out.push("  ".repeat(depth) + "- " + step.text + (cites && !step.text.includes("[") ? ` [${cites}]` : ""));
  for (const s of step.steps || []) traceMarkdown(s, depth + 1, out);
}

function markdown() {
  const last = state.last;
  if (!last) return "";
  const b = last.body;
  const out = [];
  if (last.who) {
    out.push(`## Who: ${b.question} over ${b.over}, as of ${b.as_of}`, "", "| value | status | answer | decided by |", "| --- | --- | --- | --- |");
    for (const r of b.rows) out.push(`| ${r.value} | ${r.status} | ${valueText(r.answer)} | ${[].concat(r.decided_by || []).join(", ")} |`);
  } else {
    out.push(`## ${b.question} as of ${b.as_of}`, "", `**Status:** ${b.status}  `, `**Answer:** ${valueText(b.answer)}  `);
    const m = margins(b);
    if (m.length) out.push(`**Margin:** ${m.join("; ")}  `);
    const decided = [].concat(b.decided_by || []);
    if (decided.length) out.push(`**Decided by:** ${decided.join(", ")}`);
    const given = collectFacts().facts;
    if (Object.keys(given).length) { out.push("", "### Facts"); for (const [k, v] of Object.entries(given)) out.push(`- ${k} = ${v}`); }
    if (b.missing.length) { out.push("", "### Missing facts"); for (const x of b.missing) out.push("- " + x.text); }
    out.push("", "### Why");
    traceMarkdown(b.trace, 0, out);
    out.push("", "### Citations");
    for (const c of citesOf(b.deciding_citations)) out.push(`- ${c.act} ${c.article}: ${c.title} (${c.authority})`);
  }
  if (b.receipt) out.push("", `_${b.receipt.engine}, rules ${b.receipt.rules_sha256}_`);
  out.push("", `Link: ${location.href}`);
  return out.join("\n") + "\n";
}

async function copy(text) {
  try { await navigator.clipboard.writeText(text); }
  catch (_) {
    const area = el("textarea", {}, text);
    document.body.append(area); area.select(); document.execCommand("copy"); area.remove();
  }
  $("copied").textContent = "Copied.";
  setTimeout(() => { $("copied").textContent = ""; }, 2000);
}

// ---- Start ---------------------------------------------------------------------------------
async function start() {
  const r = await getJson("/v1/items");
  if (!r.ok) { document.body.prepend(el("p", { class: "error" }, "The catalogue could not be loaded.")); return; }
  state.items = r.body.items;
  for (const i of state.items) state.byName.set(i.name, i);
  $("search").addEventListener("input", renderCatalogue);
  $("search").addEventListener("keydown", (e) => {
    if (e.key === "Enter" || e.key === "ArrowDown") { const b = document.querySelector("#catalogue button"); if (b) { e.preventDefault(); b.focus(); } }
  });
  $("catalogue").addEventListener("keydown", (e) => {
    const buttons = [...document.querySelectorAll("#catalogue button")];
    const at = buttons.indexOf(document.activeElement);
    if (e.key === "ArrowDown" && at >= 0 && at + 1 < buttons.length) { e.preventDefault(); buttons[at + 1].focus(); }
    if (e.key === "ArrowUp" && at > 0) { e.preventDefault(); buttons[at - 1].focus(); }
    if (e.key === "ArrowUp" && at === 0) { e.preventDefault(); $("search").focus(); }
  });
  $("form").addEventListener("submit", submit);
  $("clear").addEventListener("click", () => { if (state.question) selectQuestion(state.question.name, {}, true); });
  $("tab-ask").addEventListener("click", () => { setView("ask"); updateUrl(); });
  $("tab-who").addEventListener("click", () => { setView("who"); updateUrl(); });
  $("copy").addEventListener("click", () => copy(markdown()));
  $("link").addEventListener("click", () => copy(location.href));
  const params = new URLSearchParams(location.search);
  $("as-of").value = params.get("as_of") || new Date().toISOString().slice(0, 10);
  renderCatalogue();
  const q = params.get("q");
  if (q) {
    const facts = {};
    for (const [k, v] of params) if (k.includes(".")) facts[k] = v;
    state.pendingOver = params.get("over");
    setView(params.get("view") === "who" ? "who" : "ask");
    await selectQuestion(q, facts, false);
    await submit();
  }
}

start();
