"""``rnk-events serve SITE``: preview a published site on localhost, until Ctrl-C.

The command line around :func:`rnk_events.publishing.make_server`: the
standard library's HTTP server with the media types a real host sends
(``text/calendar`` for ``.ics``). A preview on this computer, not a
production server.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rnk_events.cli import command_help
from rnk_events.cli.common import EXIT_OK, PROG, CliError, stderr
from rnk_events.publishing import is_site
from rnk_events.publishing.preview_address import DEFAULT_HOST, DEFAULT_PORT

__all__ = ["EPILOG", "HELP", "configure_parser", "run_serve"]

HELP = command_help.SERVE

EPILOG = f"""\
Serves SITE at http://{DEFAULT_HOST}:PORT/ with the standard library's HTTP
server, sending each file with the media type a real host would (.ics as
text/calendar, so a calendar app on this computer can subscribe). Only this
computer can connect. It is a preview, not a production server: put the
folder on a static web host to publish it. Ctrl-C stops it.

examples:
  {PROG} publish site/ && {PROG} serve site/
  {PROG} serve site/ --port 0      # any free port; the address is printed
"""


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 0 (any free port) to 65535, got {text!r}")
    return port


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("site", metavar="SITE", type=Path, help="the folder 'publish' wrote")
    parser.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        help="the port to listen on; 0 for any free one (default: %(default)s)",
    )
    parser.add_argument("--quiet", action="store_true", help="do not log each request")


def run_serve(args: argparse.Namespace) -> int:
    if not args.site.is_dir():
        raise CliError(f"{args.site} is not a folder (write one with '{PROG} publish {args.site}')")
    if not is_site(args.site):
        stderr(f"{PROG}: warning: {args.site} was not written by '{PROG} publish'; serving it anyway")
    from rnk_events.publishing.serve import make_server  # here: http.server loads only to serve

    try:
        server = make_server(args.site, port=args.port, quiet=args.quiet)
    except OSError as error:
        raise CliError(
            f"cannot listen on {DEFAULT_HOST}:{args.port}: {error.strerror or error} (try --port 0 for any free port)"
        ) from None
    address = f"http://{DEFAULT_HOST}:{server.server_port}/"
    stderr(f"serving {args.site} at {address} (a preview, not a production server; Ctrl-C stops it)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        stderr("stopped")
    finally:
        server.server_close()
    return EXIT_OK
