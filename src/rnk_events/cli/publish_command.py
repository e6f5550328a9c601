"""``rnk-events publish SITE``: the page, the calendar feeds and the downloads, as one folder to host.

The command line around :func:`rnk_events.publishing.publish`. The calendar
flags are the ``ics`` format's own options, read from the registry (their
flag, aliases, help and text parser), so ``publish`` and ``export ics`` name,
describe and refresh a calendar with the same words.
"""

from __future__ import annotations

import argparse

from rnk_events.cli import command_help, common
from rnk_events.cli.common import EXIT_OK, EXIT_USAGE, PROG, CliError, one_line, plural, select, stderr
from rnk_events.errors import OptionError
from rnk_events.formats import FORMATS, FormatOption
from rnk_events.publishing import NotASiteError, publish

__all__ = ["EPILOG", "HELP", "OPTIONS", "configure_parser", "run_publish"]

HELP = command_help.PUBLISH

#: The registry options ``publish`` takes, by name, with the format that declares them.
OPTIONS = (("stamp", "ics"), ("calendar_name", "ics"), ("calendar_description", "ics"), ("refresh", "ics"))

EPILOG = f"""\
SITE gets index.html (every event as a list, with TimelineJS over it from the
site's own copy), calendars/*.ics (everything, one feed per category, one per
actor), downloads/ (JSON, CSV, workbook, data package, TimelineJS JSON),
embed.html and a README.txt saying what each file is. The filters of
'{PROG} list' apply. An earlier site in SITE is replaced in one step: readers
and web servers see the old site or the new one, never half of one. A folder
holding anything else is refused.

--url is where SITE will be served from: with it, the page's subscribe links
are absolute webcal:// and https:// addresses and embed.html points at the
page. --stamp makes the site byte-identical from run to run.

examples:
  {PROG} publish site/
  {PROG} publish site/ --url https://news.example.org/rnk/ --stamp 2024-06-17T00:00:00Z
  {PROG} publish site/ --name "Desk: Russia-North Korea" --refresh PT12H --from 2023
  {PROG} serve site/
"""


def _option(name: str, format_name: str) -> FormatOption:
    option = FORMATS[format_name].option(name)
    assert option is not None, f"the {format_name} format has no option {name}"
    return option


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """Add ``publish``'s own arguments; the parser adds ``--data`` and the filters."""
    parser.add_argument("site", metavar="SITE", help="the folder to write (created, or an earlier site replaced)")
    parser.add_argument(
        "--url", metavar="URL", help="the address SITE will be served from, e.g. https://example.org/rnk/"
    )
    for name, format_name in OPTIONS:
        option = _option(name, format_name)
        parser.add_argument(
            *option.flags,
            dest=f"publish_{name}",
            metavar=option.metavar,
            type=common.format_option_type(option),
            help=option.help.replace("%", "%%"),
        )


def run_publish(args: argparse.Namespace) -> int:
    events = select(common.load_data(args), args)
    if not events:
        stderr(f"{PROG}: warning: no events match the filters; publishing an empty timeline")
    given = {name: getattr(args, f"publish_{name}") for name, _ in OPTIONS}
    options = {name: value for name, value in given.items() if value is not None}
    try:
        site = publish(events, args.site, url=args.url, **options)
    except OptionError as error:
        raise CliError(f"--{error.option.replace('_', '-')}: {error.message}", EXIT_USAGE) from None
    except NotASiteError as error:
        raise CliError(f"will not replace {args.site}: {error.strerror}") from None
    except OSError as error:
        raise CliError(f"cannot publish to {args.site}: {one_line(error.strerror or str(error))}") from None
    feeds = sum(file.path.startswith("calendars/") for file in site.files)
    downloads = sum(file.path.startswith("downloads/") for file in site.files)
    stderr(
        f"published {args.site}: {plural(len(events), 'event')}, {plural(len(site.files), 'file')} "
        f"(index.html, {plural(feeds, 'calendar feed')}, {plural(downloads, 'download')}, embed.html, "
        "README.txt, timelinejs/)"
    )
    if site.url is not None:
        stderr(f"its page will be at {site.url}index.html")
    stderr(f"preview it: {PROG} serve {args.site}")
    return EXIT_OK
