"""Runs of far-off messages in a log, hidden behind one blank each, so that layout visits
what is near the screen and not the whole conversation.

Textual lays out every displayed widget of the screen after each change to the layout,
however far it is from the screen, and after a scroll it maps them all again the first
time a widget asks for its region. Widgets with `display: none` are skipped. So a log
hides each run of messages that are far away and done changing, and puts one
`FoldedRun` in their place, exactly as tall as the run was: the screen stays the same,
and a layout costs one widget per run instead of one per message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from textual.widget import Widget

__all__ = ["FoldedRun", "Place", "dissolve", "merge", "places"]


class Place(NamedTuple):
    """A message of a log and where it is in the log's scrolled space."""

    widget: Widget
    y: int
    """Its top, below its top margin."""
    height: int
    """Its outer height, without margins."""


class FoldedRun(Widget):
    """A blank standing in for a run of hidden messages of its parent: as tall as they
    were laid out, with the top margin of the first and the bottom margin of the last, so
    that the margins collapse with the neighbours as theirs did.

    It is mounted hidden, just before the first message of its run, and shown in the same
    step that hides the run, so no frame is laid out with both or neither.
    """

    DEFAULT_CSS = """
    FoldedRun {
        display: none;
        height: 0;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.members: list[Widget] = []
        """The hidden messages it stands for, in order."""
        self._geometry: tuple[int, tuple[int, int, int, int]] | None = None

    def render(self) -> str:
        return ""  # a bare Widget would show its name

    def stand_for(self, run: Sequence[Place]) -> None:
        """Take the place of `run`, whose members are hidden by the caller."""
        first, last = run[0], run[-1]
        height = last.y + last.height - first.y
        margin = (first.widget.styles.margin.top, 0, last.widget.styles.margin.bottom, 0)
        if (height, margin) != self._geometry:
            self.styles.height = height
            self.styles.margin = margin
            self._geometry = (height, margin)
        self.members = [place.widget for place in run]
        self.display = True


def places(children: Sequence[Widget]) -> list[Place]:
    """Each child but the `FoldedRun`s, the members of runs included, with its top and
    height as of the last layout, had nothing been hidden: the vertical layout stacks
    them, adjacent margins collapsing. (This spares `virtual_region`, which maps every
    widget of the screen after each layout.) Children hidden by anything else are left out.
    """
    hidden = {id(w) for child in children if isinstance(child, FoldedRun) for w in child.members}
    found = []
    y = below = 0
    for child in children:
        if isinstance(child, FoldedRun) or not (child.display or id(child) in hidden):
            continue
        margin = child.styles.margin
        y += max(below, margin.top)
        found.append(Place(child, y, child.outer_size.height))
        y += child.outer_size.height
        below = margin.bottom
    return found


def _runs(placed: list[Place], hide: Callable[[Place], bool]) -> list[list[Place]]:
    runs: list[list[Place]] = []
    current: list[Place] = []
    for place in placed:
        if hide(place) and place.height:  # a height of 0: not laid out yet
            current.append(place)
        elif current:
            runs.append(current)
            current = []
    return [*runs, current] if current else runs


async def merge(parent: Widget, placed: list[Place], hide: Callable[[Place], bool]) -> None:
    """Hide every run of `placed` children of `parent` for which `hide` is true behind one
    `FoldedRun`, and show again those it is no longer true for.

    The runs are compared with the last ones, so the work is in what changed: a run
    that grew or shrank keeps its `FoldedRun`, and only the children that join or leave
    a run are hidden or shown.

    Args:
        parent: The log, a vertical container.
        placed: Its children as `places` found them.
        hide: Whether a child may be hidden: far from the screen and done changing.
    """
    runs = _runs(placed, hide)
    blanks = [child for child in parent.children if isinstance(child, FoldedRun)]
    owner = {id(w): blank for blank in blanks for w in blank.members}
    taken: dict[int, tuple[FoldedRun, list[Place]]] = {}
    for run in runs:
        blank = next(
            (
                owner[id(p.widget)]
                for p in run
                if id(p.widget) in owner and id(owner[id(p.widget)]) not in taken
            ),
            None,
        )
        if blank is None:
            blank = FoldedRun()
            await parent.mount(blank, before=run[0].widget)
        taken[id(blank)] = (blank, run)
    # From here on nothing is awaited: no layout sees a run both hidden and shown.
    was = {id(w): w for blank in blanks for w in blank.members if w.parent is parent}
    now = {id(p.widget): p.widget for run in runs for p in run}
    for key in was.keys() - now.keys():
        was[key].display = True
    for key in now.keys() - was.keys():
        now[key].display = False
    for blank, run in taken.values():
        if blank.members and blank.members[0] is not run[0].widget:
            parent.move_child(blank, before=run[0].widget)
        blank.stand_for(run)
    stale = [blank for blank in blanks if id(blank) not in taken]
    for blank in stale:
        blank.display = False
    if stale:
        await parent.remove_children(stale)


async def dissolve(parent: Widget, where: Callable[[Widget], bool] | None = None) -> None:
    """Show every hidden run of `parent` again and remove the `FoldedRun`s, so the next
    layout sizes every message afresh (after the width changed, say); or only the runs
    with a member for which `where` is true."""
    blanks = [
        child
        for child in parent.children
        if isinstance(child, FoldedRun) and (where is None or any(map(where, child.members)))
    ]
    for blank in blanks:
        blank.display = False
        for widget in blank.members:
            widget.display = True
    if blanks:
        await parent.remove_children(blanks)
