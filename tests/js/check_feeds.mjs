// Read many .ics feeds with Mozilla's ical.js (an independent parser) in one run; print what each holds.
//
// Usage: node tests/js/check_feeds.mjs FILE.ics...
// Prints {"FILE.ics": {"name", "description", "refresh", "uids": [...], "summaries": [...]}}, the
// calendar's name and description as ical.js decodes their TEXT, and every VEVENT's UID and SUMMARY.
// Exits non-zero (message on stderr) when ical.js cannot parse a file.

import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const paths = process.argv.slice(2);
if (paths.length === 0) {
  console.error("usage: node check_feeds.mjs FILE.ics...");
  process.exit(2);
}

// ical.js keeps NAME, X-WR-CALNAME and X-WR-CALDESC as "unknown" raw text; decode it as TEXT.
const decodeText = ICAL.design.icalendar.value.text.fromICAL;

function textOf(component, name) {
  const prop = component.getFirstProperty(name);
  if (prop === null) return null;
  const value = prop.getFirstValue();
  return prop.type === "unknown" ? decodeText(value) : String(value);
}

const report = {};
for (const path of paths) {
  let calendar;
  try {
    calendar = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
  } catch (error) {
    console.error(`${path}: ical.js cannot parse it: ${error.message}`);
    process.exit(1);
  }
  if (calendar.name !== "vcalendar") {
    console.error(`${path}: expected a VCALENDAR, got ${calendar.name}`);
    process.exit(1);
  }
  const events = calendar.getAllSubcomponents("vevent").map((component) => new ICAL.Event(component));
  report[path] = {
    name: textOf(calendar, "x-wr-calname"),
    name_property: textOf(calendar, "name"),
    description: textOf(calendar, "x-wr-caldesc"),
    refresh: textOf(calendar, "refresh-interval"),
    uids: events.map((event) => event.uid),
    summaries: events.map((event) => event.summary),
  };
}
process.stdout.write(JSON.stringify(report) + "\n");
