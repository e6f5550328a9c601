// Read an .ics file with Mozilla's ical.js (an independent parser) and print what it sees as JSON.
//
// Usage: node tests/js/check_ics.mjs FILE.ics
// Prints {"calendar": {...}, "events": [{uid, summary, description, dtstart, dtend, ...}]},
// dates as [year, month, day]. durationDays is ical.js's own DTEND - DTSTART, in days;
// recurring says whether ical.js sees a recurrence (RRULE/RDATE), which would repeat the entry;
// sequence is ical.js's SEQUENCE (0 when absent), lastModified and dtstamp its UTC times as text.
// Exits non-zero (message on stderr) when ical.js cannot parse the file.

import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const path = process.argv[2];
if (!path) {
  console.error("usage: node check_ics.mjs FILE.ics");
  process.exit(2);
}

const text = readFileSync(path, "utf8");
const calendar = new ICAL.Component(ICAL.parse(text));
if (calendar.name !== "vcalendar") {
  console.error(`expected a VCALENDAR, got ${calendar.name}`);
  process.exit(1);
}

// ical.js knows NAME, X-WR-CALNAME and X-WR-CALDESC only as "unknown" and keeps their
// raw escaped text; decode it with ical.js's own TEXT rules.
const decodeText = ICAL.design.icalendar.value.text.fromICAL;

function textOf(component, name) {
  const prop = component.getFirstProperty(name);
  if (prop === null) return null;
  const value = prop.getFirstValue();
  return prop.type === "unknown" ? decodeText(value) : String(value);
}

function valueOf(component, name) {
  const value = component.getFirstPropertyValue(name);
  return value === null ? null : String(value);
}

function typeOf(component, name) {
  const prop = component.getFirstProperty(name);
  return prop === null ? null : prop.type;
}

// [year, month, day]: ICAL.Time's toString() does not pad years before 1000.
function dateParts(time) {
  return [time.year, time.month, time.day];
}

const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  const geo = vevent.getFirstProperty("geo");
  const categories = vevent.getAllProperties("categories").flatMap((prop) => prop.getValues().map(String));
  return {
    uid: event.uid,
    summary: event.summary,
    description: event.description,
    dtstart: dateParts(event.startDate),
    dtend: event.endDate === null ? null : dateParts(event.endDate),
    startIsDate: event.startDate.isDate,
    endIsDate: event.endDate === null ? null : event.endDate.isDate,
    hasDtend: vevent.hasProperty("dtend"),
    durationDays: event.duration.toSeconds() / 86400,
    recurring: event.isRecurring(),
    dtstamp: valueOf(vevent, "dtstamp"),
    lastModified: valueOf(vevent, "last-modified"),
    sequence: event.sequence,
    location: event.location,
    geo: geo === null ? null : geo.getFirstValue().map(Number),
    url: valueOf(vevent, "url"),
    categories,
    status: valueOf(vevent, "status"),
    transp: valueOf(vevent, "transp"),
    class: valueOf(vevent, "class"),
  };
});

const result = {
  calendar: {
    prodid: valueOf(calendar, "prodid"),
    version: valueOf(calendar, "version"),
    calscale: valueOf(calendar, "calscale"),
    method: valueOf(calendar, "method"),
    name: textOf(calendar, "name"),
    xWrCalname: textOf(calendar, "x-wr-calname"),
    description: textOf(calendar, "description"),
    xWrCaldesc: textOf(calendar, "x-wr-caldesc"),
    refreshInterval: valueOf(calendar, "refresh-interval"),
    refreshIntervalType: typeOf(calendar, "refresh-interval"),
    publishedTtl: valueOf(calendar, "x-published-ttl"),
  },
  events,
};
process.stdout.write(JSON.stringify(result) + "\n");
