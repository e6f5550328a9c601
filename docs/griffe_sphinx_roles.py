"""Griffe extension for the API pages: show Sphinx roles in docstrings as code.

The library's docstrings cross-reference with Sphinx roles (":class:`DateSpan`"),
which mkdocstrings would print literally; this turns each into plain inline
code (`DateSpan`) before the docstring is rendered.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:class|meth|func|mod|data|attr|exc|obj|const):`~?([^`]+)`")


class SphinxRoles(griffe.Extension):
    """Rewrite ``:role:`target``` as ```target``` in every docstring."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = _ROLE.sub(r"`\1`", obj.docstring.value)
