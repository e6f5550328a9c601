#!/usr/bin/env node
// Render a page in headless Chromium and report, as JSON on stdout, what TimelineJS drew.
//
//   node render.mjs URL --user-data-dir DIR [--chromium PATH] [--timeout MS] [--screenshot FILE.png]
//
// Talks to Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe),
// so no port is opened and nothing beyond Node itself is needed. It records every
// JavaScript dialog (an injected alert() shows up here), uncaught exception and
// console error, polls the page until it says it is done (the page's own
// data-timeline attribute, or a visible TimelineJS message) or the time-out
// passes, then reports marker counts, each marker's shape (a bar with an end, or
// a point), message text, headlines, scripts and the DOM.
// Exit status: 0 with a report (even a timed-out one), 2 when Chromium could not be driven.

import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    chromium: { type: "string", default: process.env.CHROMIUM || "/usr/bin/chromium" },
    "user-data-dir": { type: "string" },
    timeout: { type: "string", default: "60000" },
    screenshot: { type: "string" },
    width: { type: "string", default: "1200" },
    height: { type: "string", default: "700" },
  },
});
if (positionals.length !== 1 || !opts["user-data-dir"]) {
  console.error("usage: node render.mjs URL --user-data-dir DIR [--timeout MS] [--screenshot FILE]");
  process.exit(2);
}
const [url] = positionals;
const timeout = Number(opts.timeout);
const width = Number(opts.width);
const height = Number(opts.height);
const deadline = Date.now() + timeout;

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
    "--hide-scrollbars",
    `--window-size=${width},${height}`,
    `--user-data-dir=${opts["user-data-dir"]}`,
    "--remote-debugging-pipe",
    "about:blank",
  ],
  { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"] },
);
let finished = false; // set once the report is complete; Chromium exiting after that is expected
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

const watchdog = setTimeout(() => fail(`no result within ${timeout + 30000} ms`), timeout + 30000);

const dialogs = [];
const exceptions = [];
const consoleErrors = [];

// What the page shows; evaluated in the page, returns plain JSON.
const PROBE = `(() => {
  const message = document.querySelector(".tl-message-full");
  const visible = (el) => !!el && !el.hidden && getComputedStyle(el).display !== "none" && el.getClientRects().length > 0;
  const texts = (selector) => Array.from(document.querySelectorAll(selector), (el) => el.textContent);
  return {
    state: document.documentElement.getAttribute("data-timeline"),
    ready: !!(window.timeline && window.timeline.ready),
    markers: document.querySelectorAll(".tl-timemarker").length,
    markers_with_end: document.querySelectorAll(".tl-timemarker.tl-timemarker-with-end").length,
    message_present: !!message,
    message_visible: visible(message),
    message_text: message ? message.textContent : null,
    notices: Array.from(document.querySelectorAll(".rnk-notice"), (el) => ({ id: el.id, visible: visible(el), text: el.textContent })),
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
    scripts: Array.from(document.scripts, (el) => ({ id: el.id, type: el.type, src: el.getAttribute("src") })),
    html: document.documentElement.outerHTML,
  };
})()`;

async function probe(sessionId) {
  const { result, exceptionDetails } = await send(
    "Runtime.evaluate",
    { expression: PROBE, returnByValue: true },
    sessionId,
  );
  if (exceptionDetails) {
    const description = exceptionDetails.exception && exceptionDetails.exception.description;
    throw new Error(`probe failed: ${description || exceptionDetails.text}`);
  }
  return result.value;
}

// While the page is still being replaced or parsed a probe can fail; that only means "not yet".
async function probeOrNull(sessionId) {
  try {
    return await probe(sessionId);
  } catch {
    return null;
  }
}

try {
  const { targetId } = await send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true });
  listeners.push((message) => {
    if (message.sessionId !== sessionId) return;
    if (message.method === "Page.javascriptDialogOpening") {
      dialogs.push({ type: message.params.type, message: message.params.message });
      send("Page.handleJavaScriptDialog", { accept: true }, sessionId).catch(() => {});
    } else if (message.method === "Runtime.exceptionThrown") {
      const details = message.params.exceptionDetails;
      exceptions.push((details.exception && details.exception.description) || details.text);
    } else if (message.method === "Runtime.consoleAPICalled" && message.params.type === "error") {
      consoleErrors.push(message.params.args.map((arg) => arg.value ?? arg.description ?? "").join(" "));
    }
  });
  await send("Page.enable", {}, sessionId);
  await send("Runtime.enable", {}, sessionId);
  await send(
    "Emulation.setDeviceMetricsOverride",
    { width, height, deviceScaleFactor: 1, mobile: false },
    sessionId,
  );
  const navigation = await send("Page.navigate", { url }, sessionId);
  if (navigation.errorText) fail(`cannot open ${url}: ${navigation.errorText}`);

  // Poll until the page says it is done, TimelineJS shows an error, or time runs out.
  let report;
  let timedOut = true;
  while (Date.now() < deadline) {
    report = await probeOrNull(sessionId);
    if (report === null) {
      await sleep(250);
      continue;
    }
    const shownError = report.message_visible && /error/i.test(report.message_text || "");
    if ((report.state && (report.state !== "loaded" || report.ready)) || shownError) {
      timedOut = false;
      break;
    }
    await sleep(250);
  }
  if (opts.screenshot) {
    // Let fonts settle and the first slide's fade finish before taking the picture.
    await send("Runtime.evaluate", { expression: "document.fonts.ready.then(() => true)", awaitPromise: true }, sessionId);
    await sleep(1500);
    const { data } = await send("Page.captureScreenshot", { format: "png" }, sessionId);
    writeFileSync(opts.screenshot, Buffer.from(data, "base64"));
  }
  report = await probe(sessionId);
  report.timed_out = timedOut;
  report.dialogs = dialogs;
  report.exceptions = exceptions;
  report.console_errors = consoleErrors;
  finished = true;
  clearTimeout(watchdog);
  // Close Chromium gracefully so it reaps its own helpers; kill it only if it hangs.
  const exited = new Promise((resolve) => chrome.once("exit", resolve));
  await Promise.race([send("Browser.close").catch(() => {}), sleep(5000)]);
  await Promise.race([exited, sleep(5000)]);
  if (chrome.exitCode === null && chrome.signalCode === null) chrome.kill("SIGKILL");
  // Exit only once the (large) report is flushed: stdout is a pipe, and writes to it are asynchronous.
  process.stdout.write(JSON.stringify(report) + "\n", () => process.exit(0));
} catch (error) {
  fail(error.stack || String(error));
}
