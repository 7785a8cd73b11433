"""The tree of a session's messages: parents, ordered siblings and the active branch.

Every message has a parent: the message it follows (`NULL` for a first prompt). Its
siblings are the messages with the same parent, in the order they were made (by id): the
answers to one prompt that were regenerated, or the prompts written in place of one
another. Of each set of siblings, one is `chosen`: the one on the active branch, which
runs from the chosen first prompt down through the chosen child of each message.

The pure functions here work on `Node`s; the others run plain SQL on a connection the
store holds in a transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "ROOT",
    "Node",
    "Tree",
    "choose",
    "read_tree",
]

ROOT = 0
"""As a parent: no message, so that the new message is a first prompt."""


@dataclass(frozen=True)
class Node:
    """One message's place in the tree."""

    id: int
    parent_id: int | None
    chosen: bool


class Tree:
    """A session's messages as a tree.

    Example:
        >>> tree = Tree([Node(1, None, True), Node(2, 1, False), Node(3, 1, True)])
        >>> tree.branch(), tree.siblings(2), tree.other_branches()
        ([1, 3], [2, 3], 1)
        >>> tree.branch(through=2)
        [1, 2]
    """

    def __init__(self, nodes: Iterable[Node]) -> None:
        self.nodes = {node.id: node for node in nodes}
        self.children: dict[int | None, list[int]] = {}
        for node in sorted(self.nodes.values(), key=lambda node: node.id):
            self.children.setdefault(node.parent_id, []).append(node.id)

    def _pick(self, parent: int | None) -> int | None:
        """The chosen child of `parent` (the last one, if none is marked)."""
        children = self.children.get(parent)
        if not children:
            return None
        chosen = [child for child in children if self.nodes[child].chosen]
        return (chosen or children)[-1]

    def ancestors(self, message_id: int) -> list[int]:
        """`message_id` and the messages above it, from the first prompt down."""
        path = []
        current: int | None = message_id
        while current is not None and current in self.nodes and current not in path:
            path.append(current)
            current = self.nodes[current].parent_id
        return path[::-1]

    def branch(self, *, through: int | None = None) -> list[int]:
        """The ids on the active branch, first to last; with `through`, the branch that
        runs through that message and then down its chosen children."""
        path = self.ancestors(through) if through is not None else []
        current = self._pick(path[-1] if path else None)
        while current is not None and current not in path:
            path.append(current)
            current = self._pick(current)
        return path

    def siblings(self, message_id: int) -> list[int]:
        """The alternatives of a message, itself included, in the order they were made."""
        node = self.nodes.get(message_id)
        return [] if node is None else list(self.children.get(node.parent_id, []))

    def other_branches(self) -> int:
        """How many branches there are besides the active one (leaves, less one)."""
        leaves = sum(1 for node in self.nodes if node not in self.children)
        return max(leaves - 1, 0)


def read_tree(db: sqlite3.Connection, session_id: int) -> Tree:
    """The tree of one session's messages."""
    rows = db.execute(
        "SELECT id, parent_id, chosen FROM messages WHERE session_id = ?", (session_id,)
    ).fetchall()
    return Tree(Node(row[0], row[1], bool(row[2])) for row in rows)


def choose(db: sqlite3.Connection, session_id: int, message_id: int) -> None:
    """Make a message and its ancestors the chosen ones among their siblings, so that
    the active branch runs through it. Levels already so are not written."""
    tree = read_tree(db, session_id)
    for step in tree.ancestors(message_id):
        parent = tree.nodes[step].parent_id
        if [child for child in tree.children[parent] if tree.nodes[child].chosen] == [step]:
            continue
        if parent is None:
            where, args = "parent_id IS NULL", (step, session_id)
        else:
            where, args = "parent_id = ?", (step, session_id, parent)
        db.execute(
            "UPDATE messages SET chosen = CASE WHEN id = ? THEN 1 ELSE 0 END "
            f"WHERE session_id = ? AND {where}",
            args,
        )
