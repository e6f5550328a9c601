// rnk_events page script: TimelineJS over the event list, or the list with a one-line notice.
//
// Fixed text: nothing from the data or the options is spliced into it. The events are read
// with JSON.parse from the page's <script type="application/json"> blocks, and TimelineJS
// is the <script id="timelinejs-script" defer> element the page loads before this runs.
// ES5 on purpose: in a browser too old for TimelineJS, this still shows the notice.
//
// <html data-timeline> says what happened, for a reader's stylesheet, a script or a test:
// "loading" (set in <head>), then exactly one of "loaded", "timeline-empty",
// "timeline-unavailable" (TimelineJS did not load) or "timeline-failed" (it threw, or did
// not finish drawing in WAIT_MS). Every state but "loaded" hides the timeline's frame and
// shows the notice of that id; the list is always on the page.
(function () {
  "use strict";
  var WAIT_MS = 20000; // TimelineJS draws embedded data in well under a second
  var root = document.documentElement;
  var state = "loading";
  var timer = null;

  function byId(id) {
    return document.getElementById(id);
  }

  function read(id) {
    return JSON.parse(byId(id).textContent);
  }

  function settle(name) {
    if (state !== "loading") return; // the first outcome is the last
    state = name;
    if (timer !== null) clearTimeout(timer);
    root.setAttribute("data-timeline", name);
    if (name === "loaded") return;
    byId("timeline-embed").hidden = true;
    var notice = byId(name);
    if (notice) notice.hidden = false;
  }

  // A site published without its address: subscribe links get the address the page is served from.
  function webcalLinks() {
    if (!/^https?:$/.test(window.location.protocol)) return;
    var links = document.querySelectorAll("a[data-webcal]");
    for (var i = 0; i < links.length; i++) {
      links[i].href = "webcal:" + links[i].href.replace(/^https?:/, "");
      links[i].hidden = false;
    }
  }

  // TimelineJS renders headlines as HTML, so the page gives it escaped text, but it also copies that
  // text into aria-label attributes, where "Russia&#x27;s" is read out as written. Decode them: a
  // DOMParser document runs no script and loads nothing, and textContent is text, set as text.
  function decodeLabels(container) {
    if (!window.MutationObserver || !window.DOMParser) return;
    var parser = new DOMParser();
    var decoded = typeof WeakMap === "function" ? new WeakMap() : null;
    function fix(element) {
      var label = element.getAttribute("aria-label");
      if (!label || label.indexOf("&") < 0 || (decoded && decoded.get(element) === label)) return;
      var text = parser.parseFromString(label, "text/html").documentElement.textContent;
      if (decoded) decoded.set(element, text);
      element.setAttribute("aria-label", text);
    }
    function fixAll(root) {
      if (root.getAttribute && root.hasAttribute("aria-label")) fix(root);
      var labelled = root.querySelectorAll ? root.querySelectorAll("[aria-label]") : [];
      for (var i = 0; i < labelled.length; i++) fix(labelled[i]);
    }
    new MutationObserver(function (changes) {
      for (var i = 0; i < changes.length; i++) {
        if (changes[i].type === "attributes") fix(changes[i].target);
        for (var j = 0; j < changes[i].addedNodes.length; j++) fixAll(changes[i].addedNodes[j]);
      }
    }).observe(container, { attributes: true, attributeFilter: ["aria-label"], childList: true, subtree: true });
    fixAll(container);
  }

  // page.html#<event id>: the event's index in the data, so TimelineJS opens on its slide
  // (slide 0 is the title slide); -1 when the address names no event.
  function targetIndex(data) {
    var id = window.location.hash.slice(1);
    for (var i = 0; id && i < data.events.length; i++) {
      if (data.events[i].unique_id === id) return i;
    }
    return -1;
  }

  function start() {
    if (state !== "loading") return;
    try {
      var data = read("timeline-data");
      if (!data.events || data.events.length === 0) {
        settle("timeline-empty");
        return;
      }
      if (typeof TL === "undefined" || !TL.Timeline) {
        settle("timeline-unavailable");
        return;
      }
      var options = read("timeline-options");
      var target = targetIndex(data);
      if (target >= 0) options.start_at_slide = target + 1;
      // TimelineJS builds its font, theme and language URLs with new URL(path, script_path),
      // which needs an absolute base. The script element's src property is its URL resolved
      // against the page, whatever the page wrote (a relative path, /a/path, file:, https:).
      options.script_path = new URL(".", byId("timelinejs-script").src).href;
      var embed = byId("timeline-embed");
      embed.hidden = false; // TimelineJS measures its frame as it starts
      decodeLabels(embed);
      var timeline = new TL.Timeline("timeline-embed", data, options);
      window.timeline = timeline;
      timeline.on("loaded", function () {
        settle("loaded");
        // The frame grew above the list as TimelineJS started: bring the addressed event back into view.
        var item = target >= 0 ? byId(data.events[target].unique_id) : null;
        if (item && item.scrollIntoView) item.scrollIntoView();
      });
    } catch (error) {
      settle("timeline-failed");
      if (window.console && window.console.warn) window.console.warn("TimelineJS could not start:", error);
    }
  }

  timer = setTimeout(function () {
    settle("timeline-failed");
  }, WAIT_MS);
  webcalLinks();
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start); // after the deferred TimelineJS script
  } else {
    start();
  }
})();
