"""Every error message the project raises is explained in docs/troubleshooting.md.

Rule: for every ``raise SomeError(...)`` in ``src/ml_workflow`` (and every
``_error(status, ...)`` response of the web API), the message's literal text is
split at its interpolations (``{...}`` in f-strings); the longest literal
fragment, whitespace-normalised, must appear verbatim in the troubleshooting
page. A message built elsewhere (``str(error)``, a helper's return value) has no
literal text at the raise site and is not collected: the helper's own raise
site or the message it forwards is. A message whose longest fragment is shorter
than ``MIN_FRAGMENT`` characters cannot be looked up and fails the test: give it
more words.
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


@dataclass(frozen=True)
class MessageSite:
    """Where an error message is raised and its longest literal fragment."""

    where: str
    fragment: str


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def literal_fragments(node: ast.expr) -> list[str] | None:
    """The literal pieces of a message expression, or None if it is not a string.

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


def message_of(call: ast.Call) -> str | None:
    """The longest literal fragment of the call's first string argument."""
    for argument in [*call.args, *(keyword.value for keyword in call.keywords)]:
        pieces = literal_fragments(argument)
        if pieces is not None:
            return max((_normalise(piece) for piece in pieces), key=len)
    return None


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
        fragment = message_of(call)
        if fragment is not None:
            sites.append(MessageSite(f"{where}:{call.lineno}", fragment))
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
    assert site.fragment == "is declared numeric but x"


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
    page = _normalise(PAGE.read_text(encoding="utf-8"))
    missing = [
        f"{site.where}: {site.fragment!r}"
        for site in project_messages()
        if site.fragment not in page
    ]
    assert not missing, (
        f"{len(missing)} error message(s) not explained in {PAGE.name}:\n"
        + "\n".join(missing)
    )
