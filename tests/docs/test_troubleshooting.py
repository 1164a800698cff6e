"""Every error message the project raises is explained in docs/troubleshooting.md.

Rule: for every ``raise SomeError(...)`` in ``src/ml_workflow`` (and every
``_error(status, ...)`` response of the web API), the message's literal text is
split at its interpolations (``{...}`` in f-strings); every literal fragment,
whitespace-normalised and stripped of the punctuation that joins it to a
value, must appear on one line of the troubleshooting page (one table row),
which writes the message with ``<...>`` for the values. A message built elsewhere (``str(error)``, a helper's return value) has no
literal text at the raise site and is not collected: the helper's own raise
site or the message it forwards is. A message whose longest fragment is shorter
than ``MIN_FRAGMENT`` characters cannot be looked up and fails the test: give it
more words. Every site missing from the page is reported at once.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SOURCE = PROJECT_ROOT / "src" / "ml_workflow"
PAGE = PROJECT_ROOT / "docs" / "troubleshooting.md"
MIN_FRAGMENT = 12
# Calls whose string argument is an error the user sees without a raise.
RESPONSE_HELPERS = {"_error"}
# Punctuation between a literal fragment and an interpolated value.
_JOINERS = " .,:;()[]'\"="


@dataclass(frozen=True)
class MessageSite:
    """Where an error message is raised and its literal fragments."""

    where: str
    fragments: tuple[str, ...]

    @property
    def fragment(self) -> str:
        """The longest fragment: what a reader would search for."""
        return max(self.fragments, key=len)


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def literal_fragments(node: ast.expr) -> list[str] | None:
    """The literal pieces of a message expression, or None if it has no string.

    ``"a" + f"b{x}c"`` gives ``["a", "b", "c"]`` before joining adjacent pieces;
    pieces separated by an interpolation stay separate.
    """
    if isinstance(node, ast.Constant):
        return [node.value] if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        pieces: list[str] = [""]
        for value in node.values:
            if isinstance(value, ast.Constant):
                pieces[-1] += value.value
            else:
                pieces.append("")
        return pieces
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = literal_fragments(node.left), literal_fragments(node.right)
        if left is None and right is None:
            return None
        if left is None or right is None:
            return [*(left or []), "", *(right or [])]
        return [*left[:-1], left[-1] + right[0], *right[1:]]
    return None


def message_of(call: ast.Call) -> tuple[str, ...] | None:
    """The literal fragments of the call's string arguments, or None.

    Fragments are whitespace-normalised and stripped of the punctuation that
    joins them to an interpolated value (``f"{where}: must be"`` gives
    ``"must be"``); empty ones are dropped.
    """
    pieces = [
        piece
        for argument in [*call.args, *(keyword.value for keyword in call.keywords)]
        for piece in literal_fragments(argument) or []
    ]
    fragments = tuple(
        fragment
        for fragment in (_normalise(piece).strip(_JOINERS) for piece in pieces)
        if fragment
    )
    return fragments or None


def explained(site: MessageSite, page_lines: list[str]) -> bool:
    """True if one line of the page holds every fragment of the message."""
    return any(all(part in line for part in site.fragments) for line in page_lines)


def collect_messages(tree: ast.AST, where: str) -> list[MessageSite]:
    """Every raise (and web-API error response) with a literal message in ``tree``."""
    calls: list[ast.Call] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            calls.append(node.exc)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in RESPONSE_HELPERS
        ):
            calls.append(node)
    sites = []
    for call in calls:
        fragments = message_of(call)
        if fragments is not None:
            sites.append(MessageSite(f"{where}:{call.lineno}", fragments))
    return sites


def project_messages() -> list[MessageSite]:
    sites = []
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        sites.extend(collect_messages(tree, str(path.relative_to(PROJECT_ROOT))))
    return sites


def test_fragments_split_at_interpolations():
    call = ast.parse('raise E(f"column {name!r} is declared numeric but " + "x")')
    (site,) = collect_messages(call, "t.py")
    assert site.fragments == ("column", "is declared numeric but x")
    assert site.fragment == "is declared numeric but x"


def test_a_message_is_explained_only_by_a_line_holding_all_its_fragments():
    (site,) = collect_messages(ast.parse('raise E(f"target {t!r} is missing")'), "t")
    assert explained(site, ["| `target <t> is missing` | ... |"])
    assert not explained(site, ["target", "is missing"])
    assert not explained(site, ["| `column <c> is missing` | ... |"])


def test_non_literal_messages_are_not_collected():
    tree = ast.parse("raise E(str(error))\nraise E(helper(x))\nraise E")
    assert collect_messages(tree, "t.py") == []


def test_response_helper_messages_are_collected():
    tree = ast.parse('def f():\n    return _error(404, f"unknown variant {n!r}")')
    assert [site.fragment for site in collect_messages(tree, "t.py")] == [
        "unknown variant"
    ]


def test_the_project_raises_messages():
    # Guards the collector: if it found nothing, the next test could not fail.
    assert len(project_messages()) > 50


def test_every_message_has_searchable_text():
    short = [
        f"{site.where}: {site.fragment!r}"
        for site in project_messages()
        if len(site.fragment) < MIN_FRAGMENT
    ]
    assert not short, "messages without enough literal text:\n" + "\n".join(short)


def test_every_message_is_in_the_troubleshooting_page():
    lines = [_normalise(line) for line in PAGE.read_text(encoding="utf-8").splitlines()]
    missing = [
        f"{site.where}: {' ... '.join(site.fragments)}"
        for site in project_messages()
        if not explained(site, lines)
    ]
    assert not missing, (
        f"{len(missing)} error message(s) not explained in {PAGE.name}:\n"
        + "\n".join(missing)
    )
