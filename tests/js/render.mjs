#!/usr/bin/env node
// Render pages in one headless Chromium and report, as JSON on stdout, what each showed.
//
//   node render.mjs --jobs JOBS.json --user-data-dir DIR [--chromium PATH] [--timeout MS]
//   node render.mjs URL --user-data-dir DIR [--screenshot FILE.png] [--width W] [--height H]
//
// JOBS.json is a list of jobs, all rendered one after another in the same browser (one
// launch for a whole test module). A job is {"name", "url"} and, optionally:
//   "javascript": false      run the page with JavaScript disabled
//   "network": "local"       (default) only file:, data:, blob: and 127.0.0.1 / localhost load:
//                            every other request fails as if offline, and is listed in "blocked"
//   "network": "all"         let everything through (never used by the tests)
//   "cdn": {"prefix", "dir", "tamper"}  answer requests under "prefix" (an https URL) with the files
//                            of the folder "dir", with CORS headers, as a CDN would; "tamper": true
//                            appends a comment to every .js file first (its integrity hash then fails)
//   "axe": true              run axe-core (tests/js/node_modules/axe-core) once the page is done
//   "print": true            also probe the page under print media
//   "screenshot": FILE.png, "width", "height"
// The report of each job (keyed by name) holds what TimelineJS drew (markers and their shape,
// headlines, messages), the page's own state (<html data-timeline>, its notices, the visible
// text, the event list), every dialog (an injected alert() shows up here), uncaught exception,
// console error and failed or blocked request, the JSON-LD, axe's violations and the DOM.
// A job is done when the page says so (data-timeline is no longer "loading", and TimelineJS is
// ready when it says "loaded"), when TimelineJS shows an error, when a page without JavaScript
// has loaded, or when the time-out passes ("timed_out": true).
// Exit status: 0 with the reports, 2 when Chromium could not be driven.

import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const HERE = dirname(fileURLToPath(import.meta.url));
const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    chromium: { type: "string", default: process.env.CHROMIUM || "/usr/bin/chromium" },
    "user-data-dir": { type: "string" },
    jobs: { type: "string" },
    timeout: { type: "string", default: "60000" },
    screenshot: { type: "string" },
    width: { type: "string", default: "1200" },
    height: { type: "string", default: "700" },
  },
});
if (!opts["user-data-dir"] || (opts.jobs ? positionals.length !== 0 : positionals.length !== 1)) {
  console.error("usage: node render.mjs (--jobs JOBS.json | URL [--screenshot FILE]) --user-data-dir DIR");
  process.exit(2);
}
const jobs = opts.jobs
  ? JSON.parse(readFileSync(opts.jobs, "utf8"))
  : [{ name: "page", url: positionals[0], screenshot: opts.screenshot, width: opts.width, height: opts.height }];
const timeout = Number(opts.timeout);

const chrome = spawn(
  opts.chromium,
  [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-breakpad",
    "--disable-crash-reporter",
    "--disable-features=Translate,MediaRouter,OptimizationHints",
    // No name resolves: even a request that slipped past the interception below cannot leave the machine.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
    "--hide-scrollbars",
    `--user-data-dir=${opts["user-data-dir"]}`,
    "--remote-debugging-pipe",
    "about:blank",
  ],
  { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"] },
);
let finished = false; // set once every report is complete; Chromium exiting after that is expected
let chromeLog = "";
chrome.stderr.setEncoding("utf8");
chrome.stderr.on("data", (chunk) => {
  // Chromium complains about the missing D-Bus on every start; keep only the rest.
  const lines = chunk.split("\n").filter((line) => line && !line.includes("dbus"));
  if (lines.length) chromeLog = (chromeLog + lines.join("\n") + "\n").slice(-4000);
});

function fail(message) {
  console.error(`render.mjs: ${message}\n--- chromium stderr (tail) ---\n${chromeLog}`);
  chrome.kill("SIGKILL");
  process.exit(2);
}
chrome.on("error", (error) => fail(`cannot start ${opts.chromium}: ${error.message}`));
chrome.on("exit", (code, signal) => {
  if (!finished) fail(`chromium exited early (code ${code}, signal ${signal})`);
});

// --- the DevTools protocol over fds 3 (to Chromium) and 4 (from Chromium), NUL-separated JSON ---
const toChrome = chrome.stdio[3];
const fromChrome = chrome.stdio[4];
let nextId = 1;
const pending = new Map();
const listeners = [];
let buffer = "";
fromChrome.setEncoding("utf8");
fromChrome.on("data", (chunk) => {
  buffer += chunk;
  let end;
  while ((end = buffer.indexOf("\0")) !== -1) {
    const message = JSON.parse(buffer.slice(0, end));
    buffer = buffer.slice(end + 1);
    if (message.id !== undefined && pending.has(message.id)) {
      const { resolve, reject, method } = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) reject(new Error(`${method}: ${message.error.message}`));
      else resolve(message.result);
    } else if (message.method) {
      for (const listener of listeners) listener(message);
    }
  }
});

function send(method, params = {}, sessionId = undefined) {
  const id = nextId++;
  const message = { id, method, params };
  if (sessionId) message.sessionId = sessionId;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, method });
    toChrome.write(JSON.stringify(message) + "\0");
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const budget = timeout * jobs.length + 30000;
const watchdog = setTimeout(() => fail(`no result within ${budget} ms`), budget);

// What the page shows; evaluated in the page, returns plain JSON.
const PROBE = `(() => {
  const message = document.querySelector(".tl-message-full");
  const visible = (el) => !!el && !el.hidden && getComputedStyle(el).display !== "none"
    && getComputedStyle(el).visibility !== "hidden" && el.getClientRects().length > 0;
  const texts = (selector) => Array.from(document.querySelectorAll(selector), (el) => el.textContent);
  const ld = document.querySelector('script[type="application/ld+json"]');
  let jsonld = null, jsonldError = null;
  try { jsonld = ld ? JSON.parse(ld.textContent) : null; } catch (error) { jsonldError = String(error); }
  return {
    state: document.documentElement.getAttribute("data-timeline"),
    ready_state: document.readyState,
    ready: !!(window.timeline && window.timeline.ready),
    current_id: window.timeline ? window.timeline.current_id || null : null,
    target_id: location.hash ? (document.querySelector(":target") || {}).id || null : null,
    location: String(location.href),
    markers: document.querySelectorAll(".tl-timemarker").length,
    markers_with_end: document.querySelectorAll(".tl-timemarker.tl-timemarker-with-end").length,
    message_present: !!message,
    message_visible: visible(message),
    message_text: message ? message.textContent : null,
    notices: Array.from(document.querySelectorAll(".rnk-notice"), (el) => ({ id: el.id, visible: visible(el), text: el.textContent })),
    embed_visible: visible(document.getElementById("timeline-embed")),
    embed_height: (document.getElementById("timeline-embed") || {}).offsetHeight || 0,
    list_items: Array.from(document.querySelectorAll("li.rnk-event"), (el) => ({
      id: el.id,
      headline: (el.querySelector(".rnk-headline") || {}).textContent || "",
      visible: visible(el.querySelector(".rnk-headline")),
    })),
    visible_text: document.body ? document.body.innerText : "",
    webcal_links: Array.from(document.querySelectorAll("a.rnk-webcal"), (el) => ({ href: el.href, visible: visible(el) })),
    title: document.title,
    slide_headlines: texts(".tl-slide .tl-headline"),
    slide_dates: texts(".tl-slide .tl-headline-date"),
    marker_headlines: texts(".tl-timemarker .tl-headline"),
    marker_details: Array.from(document.querySelectorAll(".tl-timemarker"), (el) => {
      // What makes a marker a bar: TimelineJS's with-end class, the inline width it sets from the
      // end date (TimeMarker.setWidth), and the timespan fill and right-hand line that only its
      // with-end CSS shows.
      const shown = (selector) => {
        const part = el.querySelector(selector);
        return !!part && getComputedStyle(part).display !== "none";
      };
      return {
        id: el.id,
        classes: el.className,
        with_end: el.classList.contains("tl-timemarker-with-end"),
        style_left: el.style.left,
        style_width: el.style.width,
        offset_width: el.offsetWidth,
        timespan_shown: shown(".tl-timemarker-timespan-content"),
        line_right_shown: shown(".tl-timemarker-line-right"),
        date_label: el.getAttribute("aria-label") || el.ariaLabel || "",
        headline: (el.querySelector(".tl-headline") || {}).textContent || "",
      };
    }),
    scripts: Array.from(document.scripts, (el) => ({
      id: el.id, type: el.type, src: el.getAttribute("src"), integrity: el.getAttribute("integrity"),
    })),
    stylesheets: Array.from(document.styleSheets, (sheet) => sheet.href).filter(Boolean),
    jsonld: jsonld,
    jsonld_error: jsonldError,
    html: document.documentElement.outerHTML,
  };
})()`;

async function evaluate(expression, sessionId, awaitPromise = false) {
  const { result, exceptionDetails } = await send(
    "Runtime.evaluate",
    { expression, returnByValue: true, awaitPromise },
    sessionId,
  );
  if (exceptionDetails) {
    const description = exceptionDetails.exception && exceptionDetails.exception.description;
    throw new Error(`evaluation failed: ${description || exceptionDetails.text}`);
  }
  return result.value;
}

// While the page is still being replaced or parsed a probe can fail; that only means "not yet".
async function probeOrNull(sessionId) {
  try {
    return await evaluate(PROBE, sessionId);
  } catch {
    return null;
  }
}

function allowed(url) {
  return /^(file|data|blob|about):/.test(url) || /^https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(url);
}

function done(report, javascript) {
  if (report === null) return false;
  if (!javascript) return report.ready_state === "complete";
  const shownError = report.message_visible && /error/i.test(report.message_text || "");
  if (shownError) return true;
  return !!report.state && report.state !== "loading" && (report.state !== "loaded" || report.ready);
}

const TYPES = { ".js": "text/javascript", ".css": "text/css", ".woff2": "font/woff2", ".woff": "font/woff" };

// A CDN's answer from a local folder: the file (or a 404), with the CORS header a CDN sends.
function cdnResponse(cdn, url) {
  const path = decodeURIComponent(new URL(url).pathname.slice(new URL(cdn.prefix).pathname.length));
  const headers = [{ name: "Access-Control-Allow-Origin", value: "*" }];
  let body;
  try {
    body = readFileSync(join(cdn.dir, path));
  } catch {
    return { responseCode: 404, responseHeaders: headers, body: "" };
  }
  const extension = path.slice(path.lastIndexOf("."));
  if (cdn.tamper && extension === ".js") body = Buffer.concat([body, Buffer.from("\n/* changed */\n")]);
  headers.push({ name: "Content-Type", value: TYPES[extension] || "application/octet-stream" });
  return { responseCode: 200, responseHeaders: headers, body: body.toString("base64") };
}

const AXE = `(async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    nodes: violation.nodes.map((node) => ({ target: node.target.join(" "), html: node.html.slice(0, 300) })),
  }));
})()`;

async function render(job) {
  const width = Number(job.width || 1200);
  const height = Number(job.height || 700);
  const javascript = job.javascript !== false;
  const record = {
    dialogs: [], exceptions: [], console_errors: [], log_errors: [], failed: [], blocked: [], requested: [], cdn: [],
  };
  const { targetId } = await send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true });
  const listener = (message) => {
    if (message.sessionId !== sessionId) return;
    const params = message.params;
    if (message.method === "Page.javascriptDialogOpening") {
      record.dialogs.push({ type: params.type, message: params.message });
      send("Page.handleJavaScriptDialog", { accept: true }, sessionId).catch(() => {});
    } else if (message.method === "Runtime.exceptionThrown") {
      const details = params.exceptionDetails;
      record.exceptions.push((details.exception && details.exception.description) || details.text);
    } else if (message.method === "Runtime.consoleAPICalled" && params.type === "error") {
      record.console_errors.push(params.args.map((arg) => arg.value ?? arg.description ?? "").join(" "));
    } else if (message.method === "Log.entryAdded" && params.entry.level === "error") {
      record.log_errors.push(params.entry.text);
    } else if (message.method === "Network.requestWillBeSent") {
      record.requested.push(params.request.url);
    } else if (message.method === "Network.loadingFailed") {
      record.failed.push({ id: params.requestId, error: params.errorText, blocked: params.blockedReason || null });
    } else if (message.method === "Fetch.requestPaused") {
      const url = params.request.url;
      if (job.cdn && url.startsWith(job.cdn.prefix)) {
        record.cdn.push(url);
        send("Fetch.fulfillRequest", { requestId: params.requestId, ...cdnResponse(job.cdn, url) }, sessionId).catch(
          () => {},
        );
      } else if (job.network === "all" || allowed(url)) {
        send("Fetch.continueRequest", { requestId: params.requestId }, sessionId).catch(() => {});
      } else {
        record.blocked.push(url);
        send("Fetch.failRequest", { requestId: params.requestId, errorReason: "InternetDisconnected" }, sessionId).catch(
          () => {},
        );
      }
    }
  };
  listeners.push(listener);
  await send("Page.enable", {}, sessionId);
  await send("Runtime.enable", {}, sessionId);
  await send("Log.enable", {}, sessionId);
  await send("Network.enable", {}, sessionId);
  await send("Fetch.enable", { patterns: [{ urlPattern: "*" }] }, sessionId);
  if (!javascript) await send("Emulation.setScriptExecutionDisabled", { value: true }, sessionId);
  await send("Emulation.setDeviceMetricsOverride", { width, height, deviceScaleFactor: 1, mobile: false }, sessionId);
  const started = Date.now();
  const navigation = await send("Page.navigate", { url: job.url }, sessionId);
  if (navigation.errorText) fail(`cannot open ${job.url}: ${navigation.errorText}`);

  let report = null;
  let timedOut = true;
  while (Date.now() - started < timeout) {
    report = await probeOrNull(sessionId);
    if (done(report, javascript)) {
      timedOut = false;
      break;
    }
    await sleep(100);
  }
  if (job.screenshot) {
    // Let fonts settle and the first slide's fade finish before taking the picture.
    await evaluate("document.fonts.ready.then(() => true)", sessionId, true).catch(() => {});
    await sleep(1500);
    const { data } = await send("Page.captureScreenshot", { format: "png" }, sessionId);
    writeFileSync(job.screenshot, Buffer.from(data, "base64"));
  }
  report = await evaluate(PROBE, sessionId);
  report.timed_out = timedOut;
  report.elapsed_ms = Date.now() - started;
  if (job.axe) {
    await send("Emulation.setScriptExecutionDisabled", { value: false }, sessionId);
    await evaluate(readFileSync(join(HERE, "node_modules", "axe-core", "axe.min.js"), "utf8"), sessionId);
    report.axe = await evaluate(AXE, sessionId, true);
  }
  if (job.print) {
    await send("Emulation.setEmulatedMedia", { media: "print" }, sessionId);
    const printed = await evaluate(PROBE, sessionId);
    report.print = {
      embed_visible: printed.embed_visible,
      notices: printed.notices,
      list_items: printed.list_items,
      visible_text: printed.visible_text,
    };
    await send("Emulation.setEmulatedMedia", { media: "" }, sessionId);
  }
  listeners.splice(listeners.indexOf(listener), 1);
  await send("Target.closeTarget", { targetId }).catch(() => {});
  Object.assign(report, record);
  return report;
}

try {
  const reports = {};
  for (const job of jobs) reports[job.name] = await render(job);
  finished = true;
  clearTimeout(watchdog);
  // Close Chromium gracefully so it reaps its own helpers; kill it only if it hangs.
  const exited = new Promise((resolve) => chrome.once("exit", resolve));
  await Promise.race([send("Browser.close").catch(() => {}), sleep(5000)]);
  await Promise.race([exited, sleep(5000)]);
  if (chrome.exitCode === null && chrome.signalCode === null) chrome.kill("SIGKILL");
  const output = opts.jobs ? reports : reports.page;
  // Exit only once the (large) report is flushed: stdout is a pipe, and writes to it are asynchronous.
  process.stdout.write(JSON.stringify(output) + "\n", () => process.exit(0));
} catch (error) {
  fail(error.stack || String(error));
}
