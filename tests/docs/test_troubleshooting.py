"""Every error message the project raises is explained in docs/troubleshooting.md.

Rule: every message the user reads is collected from the source of
``src/ml_workflow`` (the forms are listed below), split at its
interpolations (``{...}`` in f-strings); every literal fragment,
whitespace-normalised and stripped of the punctuation that joins it to a
value, must appear on one line of the troubleshooting page (one table row),
which writes the message with ``<...>`` for the values.

Where messages are written:

- ``raise SomeError(<message>)``, including the ``ValueError`` a
  configuration model's validator raises (Pydantic reports it on the key's
  path);
- a call of a helper whose string arguments are the message:
  ``_error(status, ...)`` (a web-API error response) and ``at(path, ...)``
  (a configuration problem about another key);
- a string added to a list named ``problems`` (``problems.append(...)``,
  ``problems += [...]``): the configuration's checks across keys collect one
  line per problem so, and raise them together;
- a string assigned to a variable named ``message``, and the strings
  returned by a function whose name ends in ``_message``.

A message built elsewhere (``str(error)``, another helper's return value)
has no literal text at the raise site and is not collected there: the
helper's own site is. A message whose longest fragment is shorter than
``MIN_FRAGMENT`` characters cannot be looked up and fails the test: give it
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
# Calls whose string arguments are a message the user sees, without a raise.
MESSAGE_HELPERS = {"_error", "at"}
# Lists whose string items are the lines of one error.
MESSAGE_LISTS = {"problems"}
# Variables, and suffixes of function names, that hold a message.
MESSAGE_VARIABLES = {"message"}
MESSAGE_BUILDER_SUFFIX = "_message"
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


def message_of(expressions: list[ast.expr]) -> tuple[str, ...] | None:
    """The literal fragments of a message's string expressions, or None.

    Fragments are whitespace-normalised and stripped of the punctuation that
    joins them to an interpolated value (``f"{where}: must be"`` gives
    ``"must be"``); empty ones are dropped.
    """
    pieces = [
        piece
        for expression in expressions
        for piece in literal_fragments(expression) or []
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


def _list_items(node: ast.expr) -> list[ast.expr]:
    """The items of ``[a, b]`` or the element of ``[a for ...]``."""
    if isinstance(node, ast.List):
        return list(node.elts)
    if isinstance(node, ast.ListComp):
        return [node.elt]
    return []


def _named(node: ast.expr, names: set[str]) -> bool:
    return isinstance(node, ast.Name) and node.id in names


def message_expressions(tree: ast.AST) -> list[tuple[int, list[ast.expr]]]:
    """(line, the expressions that make up one message) for every site in ``tree``."""
    found: list[tuple[int, list[ast.expr]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            call = node.exc
            found.append((call.lineno, [*call.args, *(k.value for k in call.keywords)]))
        elif isinstance(node, ast.Call) and _named(node.func, MESSAGE_HELPERS):
            found.append((node.lineno, [*node.args, *(k.value for k in node.keywords)]))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "append"
            and _named(node.func.value, MESSAGE_LISTS)
        ):
            found += [(node.lineno, [argument]) for argument in node.args]
        elif isinstance(node, ast.AugAssign) and _named(node.target, MESSAGE_LISTS):
            found += [(node.lineno, [item]) for item in _list_items(node.value)]
        elif isinstance(node, ast.Assign) and any(
            _named(target, MESSAGE_VARIABLES) for target in node.targets
        ):
            found.append((node.lineno, [node.value]))
        elif isinstance(node, ast.FunctionDef) and node.name.endswith(
            MESSAGE_BUILDER_SUFFIX
        ):
            found += [
                (child.lineno, [child.value])
                for child in ast.walk(node)
                if isinstance(child, ast.Return) and child.value is not None
            ]
    return found


def collect_messages(tree: ast.AST, where: str) -> list[MessageSite]:
    """Every message site with literal text in ``tree``."""
    sites = []
    for line, expressions in message_expressions(tree):
        fragments = message_of(expressions)
        if fragments is not None:
            sites.append(MessageSite(f"{where}:{line}", fragments))
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


def _fragments(source: str) -> list[str]:
    return [site.fragment for site in collect_messages(ast.parse(source), "t.py")]


def test_response_helper_messages_are_collected():
    source = 'def f():\n    return _error(404, f"unknown variant {n!r}")'
    assert _fragments(source) == ["unknown variant"]


def test_a_validator_message_about_another_key_is_collected_once():
    source = 'raise ValueError(at("hyperparameters", f"{h} do not fit {e}: {x}"))'
    assert _fragments(source) == ["hyperparameters"]
    (site,) = collect_messages(ast.parse(source), "t.py")
    assert site.fragments == ("hyperparameters", "do not fit")


def test_lines_added_to_a_problems_list_are_collected():
    source = (
        'problems.append(f"{where}: is not a declared feature")\n'
        'problems += [f"{w}.checks.{n}: does not apply" for n in names]\n'
        'problems.append({"record": 1, "problem": text})\n'  # a dict: not a message
        'others.append("an unrelated string in a list")'
    )
    assert sorted(_fragments(source)) == ["does not apply", "is not a declared feature"]


def test_message_variables_and_message_builders_are_collected():
    source = (
        'message = "unknown key (misspelt?)"\n'
        'message = item["msg"]\n'  # not literal: not collected
        "def _message(n):\n"
        '    return f"Invalid parameters; {n} problem(s)"\n'
        "def _summary(n):\n"
        '    return f"a summary, not a message builder {n}"'
    )
    # (the punctuation that joins a fragment to a value is stripped)
    assert sorted(_fragments(source)) == [
        "Invalid parameters",
        "unknown key (misspelt?",
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
