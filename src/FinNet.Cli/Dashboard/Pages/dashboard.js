// FinNet's live dashboard: the table of all portfolios (/) and a portfolio's page (/portfolios/KEY), fed by the
// JSON API and the event stream (/api/events). Text that comes from the network file (names, cities) is always
// set as text, never as markup. Charts are uPlot (vendored; drag to zoom, double-click to reset, hover for values).
"use strict";
const FinNet = (() => {
  const PAGE = 100;

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  // Marks an element as showing a report figure: its path in the JSON report and its value as JSON writes it.
  function figure(e, metric, value) {
    e.dataset.metric = metric;
    e.dataset.value = value === null || value === undefined ? "null" : String(value);
    return e;
  }
  const pct = v => v === null || v === undefined ? "n/a" : (v * 100).toFixed(2) + " %";
  const ratio = v => v === null || v === undefined ? "n/a" : v.toFixed(2);
  const tone = v => v === null || v === undefined || v === 0 ? "" : v > 0 ? "gain" : "loss";
  const seconds = d => Date.parse(d + "T00:00:00Z") / 1000;
  const getJson = url => fetch(url, { cache: "no-store" }).then(r => r.ok ? r.json() : Promise.reject(new Error(url + ": " + r.status)));

  // One call at most every `ms`, the last one always made (live updates at a human pace, whatever the NAV rate).
  function throttle(fn, ms) {
    let timer = null, again = false;
    return () => {
      if (timer) { again = true; return; }
      fn();
      timer = setTimeout(() => { timer = null; if (again) { again = false; fn(); } }, ms);
    };
  }

  // The header: simulated date, NAVs/s, health; refreshed every second.
  function status() {
    const update = () => getJson("/api/status").then(s => {
      document.getElementById("date").textContent = s.latest_date || "-";
      document.getElementById("rate").textContent = s.navs_per_second.toLocaleString("en-US");
      const received = document.getElementById("received");
      if (received) received.textContent = s.navs_received.toLocaleString("en-US");
      const bench = document.getElementById("benchmark");
      if (bench) bench.textContent = `${s.portfolios.toLocaleString("en-US")} portfolios · benchmark: ${s.benchmark}`;
      document.getElementById("health").className = "dot " + (s.healthy ? "ok" : "bad");
      document.getElementById("health-text").textContent = s.healthy ? "live" : s.status;
    }).catch(() => {
      document.getElementById("health").className = "dot bad";
      document.getElementById("health-text").textContent = "FinNet is not answering";
    });
    update();
    setInterval(update, 1000);
  }

  // NAV events: `onNavs(array)` as they arrive; `onNavs(null)` after a reset (reload everything).
  function events(onNavs) {
    const source = new EventSource("/api/events");
    source.addEventListener("nav", e => onNavs(JSON.parse(e.data)));
    source.addEventListener("reset", () => onNavs(null));
    return source;
  }

  function chart(target, title, series, data, extra) {
    const host = document.getElementById(target);
    host.textContent = "";
    const opts = Object.assign({
      title, width: Math.max(320, host.clientWidth - 4), height: 280,
      scales: { x: { time: true } }, series: [{}].concat(series),
    }, extra || {});
    return new uPlot(opts, data, host);
  }

  function index() {
    status();
    const table = document.getElementById("portfolios");
    const body = table.tBodies[0];
    const filter = document.getElementById("filter");
    const [prev, next, shown] = ["prev", "next", "shown"].map(id => document.getElementById(id));
    let rows = [], view = [], page = 0, sortKey = null, sortDir = 1; // network order until a header is clicked
    const selected = new Set();

    function apply() {
      const q = filter.value.trim().toLowerCase();
      view = q ? rows.filter(r => (r.portfolio + " " + r.name + " " + r.investor).toLowerCase().includes(q)) : rows.slice();
      if (sortKey) view.sort((a, b) => {
        const x = a[sortKey], y = b[sortKey];
        if (x === y) return 0;
        if (x === null || x === undefined) return 1; // n/a last, either way
        if (y === null || y === undefined) return -1;
        return (x < y ? -1 : 1) * sortDir;
      });
      render();
    }

    // Only the rows of the page are in the DOM: the table stays quick at 10,000 portfolios.
    function render() {
      const pages = Math.max(1, Math.ceil(view.length / PAGE));
      page = Math.min(Math.max(page, 0), pages - 1);
      const fragment = document.createDocumentFragment();
      for (const r of view.slice(page * PAGE, page * PAGE + PAGE)) {
        const tr = el("tr");
        tr.dataset.portfolio = r.portfolio;
        const name = el("td", null, "text");
        const link = el("a", r.name);
        link.href = "/portfolios/" + encodeURIComponent(r.portfolio);
        name.append(link, el("span", r.portfolio, "key"));
        tr.append(name, el("td", r.investor, "text"));
        const cell = (metric, value, text, cls) => {
          tr.append(figure(el("td", text, cls), metric, value));
        };
        cell("last_nav_per_share", r.nav_per_share, r.nav_per_share === null ? "n/a" : r.nav_per_share.toFixed(6));
        cell("change_percent", r.change_percent, r.change_percent === null ? "n/a" : r.change_percent.toFixed(2) + " %", tone(r.change_percent));
        cell("metrics.total_return", r.total_return, pct(r.total_return), tone(r.total_return));
        cell("metrics.cagr", r.cagr, pct(r.cagr), tone(r.cagr));
        cell("metrics.annual_volatility", r.annual_volatility, pct(r.annual_volatility));
        cell("metrics.sharpe", r.sharpe, ratio(r.sharpe), tone(r.sharpe));
        cell("metrics.max_drawdown.depth", r.max_drawdown, pct(r.max_drawdown), tone(r.max_drawdown));
        tr.append(el("td", r.last_date || "-"));
        const pick = el("td", null, "text");
        const box = el("input");
        box.type = "checkbox";
        box.checked = selected.has(r.portfolio);
        box.setAttribute("aria-label", "Compare " + r.portfolio);
        box.addEventListener("change", () => { box.checked ? selected.add(r.portfolio) : selected.delete(r.portfolio); compare(); });
        pick.append(box);
        tr.append(pick);
        fragment.append(tr);
      }
      body.replaceChildren(fragment);
      shown.textContent = view.length ? `${page * PAGE + 1}-${Math.min(view.length, page * PAGE + PAGE)} of ${view.length.toLocaleString("en-US")}` : "none";
      prev.disabled = page === 0;
      next.disabled = page >= pages - 1;
    }

    function load() {
      return getJson("/api/portfolios").then(data => {
        rows = data;
        if (selected.size === 0) rows.slice(0, 3).forEach(r => selected.add(r.portfolio));
        apply();
      });
    }

    // Selected portfolios and the benchmark, each rebased to 100 on the first date of the first one.
    function compare() {
      const keys = [...selected].slice(0, 8);
      document.getElementById("compare-hint").hidden = keys.length > 0;
      if (keys.length === 0) { document.getElementById("compare").textContent = ""; return; }
      Promise.all(keys.map(k => getJson("/api/portfolios/" + encodeURIComponent(k) + "/series"))).then(all => {
        const base = all[0];
        if (base.dates.length === 0) return;
        const x = base.dates.map(seconds);
        const series = [], data = [x];
        const palette = ["#2457a6", "#16794a", "#b3261e", "#8a5a00", "#6b3fa0", "#00838f", "#c2185b", "#455a64"];
        all.forEach((s, i) => {
          const byDate = new Map(s.dates.map((d, j) => [d, s.nav_per_share[j]]));
          const first = byDate.get(base.dates[0]) ?? s.nav_per_share[0];
          data.push(base.dates.map(d => byDate.has(d) ? 100 * byDate.get(d) / first : null));
          series.push({ label: s.portfolio, stroke: palette[i % palette.length], width: 1.5 });
        });
        if (base.benchmark_values) {
          const b0 = base.benchmark_values.find(v => v !== null);
          data.push(base.benchmark_values.map(v => v === null ? null : 100 * v / b0));
          series.push({ label: "benchmark", stroke: "#888", dash: [6, 4], width: 1.5 });
        }
        chart("compare", "Rebased to 100", series, data);
      }).catch(() => {});
    }

    table.querySelectorAll("th[data-key]").forEach(th => th.addEventListener("click", () => {
      sortDir = sortKey === th.dataset.key ? -sortDir : 1;
      sortKey = th.dataset.key;
      table.querySelectorAll("th").forEach(h => h.removeAttribute("aria-sort"));
      th.setAttribute("aria-sort", sortDir > 0 ? "ascending" : "descending");
      apply();
    }));
    filter.addEventListener("input", () => { page = 0; apply(); });
    prev.addEventListener("click", () => { page--; render(); });
    next.addEventListener("click", () => { page++; render(); });

    const refresh = throttle(() => { load(); compare(); }, 300);
    load().then(compare);
    events(() => refresh());
    setInterval(refresh, 5000); // also without events (a store that is only read)
  }

  function portfolio() {
    status();
    const key = decodeURIComponent(location.pathname.split("/").pop());
    const cards = document.getElementById("cards");

    function card(label, metric, value, text, cls) {
      const c = el("div", null, "card");
      c.append(el("div", label, "label"), figure(el("div", text, "value " + (cls || "")), metric, value));
      cards.append(c);
    }

    function metricsTable(doc) {
      const tbody = document.querySelector("#metrics tbody");
      const fragment = document.createDocumentFragment();
      const row = (label, path, value) => {
        if (value !== null && typeof value === "object") return;
        const tr = el("tr");
        const td = el("td", typeof value === "number" ? (Number.isInteger(value) ? value.toLocaleString("en-US") : value.toPrecision(6)) : (value === null ? "n/a" : String(value)));
        tr.append(el("td", label, "text"), figure(td, path, value));
        fragment.append(tr);
      };
      for (const [k, v] of Object.entries(doc.metrics || {})) {
        if (v !== null && typeof v === "object" && !Array.isArray(v)) {
          for (const [k2, v2] of Object.entries(v)) if (!Array.isArray(v2)) row(k + " · " + k2, "metrics." + k + "." + k2, v2);
        } else if (!Array.isArray(v)) row(k, "metrics." + k, v);
      }
      for (const [k, v] of Object.entries(doc.benchmark || {})) row("benchmark · " + k, "benchmark." + k, v);
      tbody.replaceChildren(fragment);
    }

    function months(doc) {
      const t = document.getElementById("months");
      const fragment = document.createDocumentFragment();
      const head = el("tr");
      ["Year", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Year"].forEach(h => head.append(el("th", h)));
      fragment.append(head);
      for (const y of (doc.metrics && doc.metrics.monthly_returns) || []) {
        const tr = el("tr");
        tr.append(el("td", String(y.year)));
        for (const m of y.months.concat([y.year_return])) {
          const td = el("td", m === null ? "" : (m * 100).toFixed(2));
          if (m !== null) {
            const a = Math.min(1, Math.abs(m) / 0.08);
            td.style.background = m >= 0 ? `rgba(22,121,74,${a * 0.55})` : `rgba(179,38,30,${a * 0.55})`;
          }
          tr.append(td);
        }
        fragment.append(tr);
      }
      t.replaceChildren(fragment);
    }

    function draw(doc, s) {
      document.title = "FinNet live: " + doc.portfolio;
      document.getElementById("title").textContent = doc.portfolio_name + " (" + doc.portfolio + ")";
      document.getElementById("subtitle").textContent = `${doc.investor_name} · ${doc.days.toLocaleString("en-US")} trading days${doc.first_date ? ", " + doc.first_date + " to " + doc.last_date : ""}${doc.data_error ? " · " + doc.data_error : ""}`;
      const m = doc.metrics || {};
      cards.textContent = "";
      card("NAV per share", "last_nav_per_share", s.nav_per_share.length ? s.nav_per_share[s.nav_per_share.length - 1] : null, s.nav_per_share.length ? s.nav_per_share[s.nav_per_share.length - 1].toFixed(6) : "n/a");
      card("Total return", "metrics.total_return", m.total_return ?? null, pct(m.total_return), tone(m.total_return));
      card("CAGR", "metrics.cagr", m.cagr ?? null, pct(m.cagr), tone(m.cagr));
      card("Volatility", "metrics.annual_volatility", m.annual_volatility ?? null, pct(m.annual_volatility));
      card("Sharpe", "metrics.sharpe", m.sharpe ?? null, ratio(m.sharpe), tone(m.sharpe));
      card("Max drawdown", "metrics.max_drawdown.depth", m.max_drawdown ? m.max_drawdown.depth : null, pct(m.max_drawdown && m.max_drawdown.depth), "loss");
      card("VaR 95 % (1 day)", "metrics.var_95", m.var_95 ?? null, pct(m.var_95), "loss");
      metricsTable(doc);
      months(doc);
      if (s.dates.length === 0) return;

      const x = s.dates.map(seconds);
      const nav0 = s.nav_per_share[0];
      const series = [{ label: "NAV (rebased)", stroke: "#2457a6", width: 1.5 }];
      const data = [x, s.nav_per_share.map(v => 100 * v / nav0)];
      if (s.benchmark_values) {
        const b0 = s.benchmark_values.find(v => v !== null);
        data.push(s.benchmark_values.map(v => v === null ? null : 100 * v / b0));
        series.push({ label: "benchmark", stroke: "#888", dash: [6, 4], width: 1.5 });
      }
      chart("nav", "NAV per share against the benchmark, rebased to 100", series, data);

      let high = -Infinity;
      const under = s.nav_per_share.map(v => { high = Math.max(high, v); return 100 * (v / high - 1); });
      chart("underwater", "Underwater: % below the previous high", [{ label: "drawdown %", stroke: "#b3261e", fill: "rgba(179,38,30,.15)", width: 1 }], [x, under]);

      const rolling = m.rolling_volatility || { dates: [], values: [] };
      chart("rolling", `Rolling volatility (${rolling.window || 126} days, annualised %)`, [{ label: "volatility %", stroke: "#6b3fa0", width: 1.5 }],
        [rolling.dates.map(seconds), rolling.values.map(v => v * 100)]);

      // Daily returns in 50 bins, with the 95 % one-day VaR marked.
      const r = [];
      for (let i = 1; i < s.nav_per_share.length; i++) r.push(100 * (s.nav_per_share[i] / s.nav_per_share[i - 1] - 1));
      if (r.length > 1) {
        const lo = Math.min(...r), hi = Math.max(...r), bins = 50, w = (hi - lo) / bins || 1;
        const centres = [], counts = new Array(bins).fill(0);
        for (let i = 0; i < bins; i++) centres.push(lo + w * (i + 0.5));
        r.forEach(v => counts[Math.min(bins - 1, Math.floor((v - lo) / w))]++);
        const varLine = m.var_95 === null || m.var_95 === undefined ? null : m.var_95 * 100;
        chart("distribution", `Daily returns (%): ${r.length.toLocaleString("en-US")} days; VaR 95 % ${varLine === null ? "n/a" : varLine.toFixed(2) + " %"}`,
          [{ label: "days", stroke: "#2457a6", fill: "rgba(36,87,166,.35)", paths: uPlot.paths.bars({ size: [0.9, 100] }), points: { show: false } }],
          [centres, counts], {
            scales: { x: { time: false } },
            hooks: { draw: [u => {
              if (varLine === null) return;
              const cx = u.valToPos(varLine, "x", true);
              u.ctx.save(); u.ctx.strokeStyle = "#b3261e"; u.ctx.setLineDash([4, 3]); u.ctx.beginPath();
              u.ctx.moveTo(cx, u.bbox.top); u.ctx.lineTo(cx, u.bbox.top + u.bbox.height); u.ctx.stroke(); u.ctx.restore();
            }] },
          });
      }
    }

    function load() {
      const base = "/api/portfolios/" + encodeURIComponent(key);
      return Promise.all([getJson(base), getJson(base + "/series")]).then(([doc, s]) => draw(doc, s)).catch(e => {
        document.getElementById("title").textContent = "No such portfolio";
        document.getElementById("subtitle").textContent = String(e.message);
      });
    }
    const refresh = throttle(load, 300);
    load();
    events(navs => { if (navs === null || navs.some(n => n.portfolio === key)) refresh(); });
  }

  return { index, portfolio };
})();
