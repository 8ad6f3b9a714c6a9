"""Adapting a routine to what hurt: the offers are read ahead, shown and said at the start.

The journal is read off the window's thread, so the offers for a routine are read when it
is chosen in the picker (``refresh``), long before Space is pressed; the app reads them
again when a session has been recorded. Start then asks ``propose``: with offers known for
that routine, the offer screen is shown and its words said (the person decides with 1, 2,
3 or Esc); otherwise the routine starts at once, as written. A journal that cannot be
read, or an answer still on its way, never holds a session up: the routine then runs as
written, and the offer comes the next time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject

from stretchcoach.journal.adapt import Offer, offers
from stretchcoach.journal.store import Journal
from stretchcoach.routine.catalog import Catalog
from stretchcoach.routine.expand import ConcreteStep
from stretchcoach.ui.journal_reader import JournalReader
from stretchcoach.ui.offer_screen import Proposal
from stretchcoach.ui.window import MainWindow

log = logging.getLogger(__name__)
TAG = "offers:"

Begin = Callable[[str, str, Sequence[ConcreteStep]], None]
"""Start a routine (its id and title) with these steps, as the controller does."""


@dataclass(frozen=True)
class _Pending:
    routine_id: str
    title: str
    steps: Sequence[ConcreteStep]
    offers: Sequence[Offer]
    gentler: str | None


def without(steps: Sequence[ConcreteStep], found: Sequence[Offer]) -> list[ConcreteStep]:
    """The steps less the offered ones (all of them, should nothing be left)."""
    offered = {offer.step for offer in found}
    kept = [step for step in steps if step.key not in offered]
    return kept or list(steps)


class Adapting(QObject):
    def __init__(
        self,
        window: MainWindow,
        catalog: Catalog,
        reader: JournalReader,
        begin: Begin,
        speak: Callable[[str], None],
    ) -> None:
        super().__init__(window)
        self.window, self.catalog, self.reader = window, catalog, reader
        self._begin, self._speak = begin, speak
        self.known: dict[str, list[Offer]] = {}
        self._pending: _Pending | None = None
        reader.answered.connect(self._answered)
        a = window.actions_
        a.offer_skip.triggered.connect(self._skip)
        a.offer_gentler.triggered.connect(self._gentler)
        a.offer_keep.triggered.connect(self._keep)

    def refresh(self, routine_id: str | None) -> None:
        """Read the offers for ``routine_id`` (chosen, or just recorded) in the background."""
        entry = self.catalog.get(routine_id) if routine_id else None
        if entry is None:
            return
        steps = entry.steps

        def read(journal: Journal) -> list[Offer]:
            return offers(journal, entry.id, steps)

        self.reader.read(TAG + entry.id, read)

    def _answered(self, tag: str, result: object) -> None:
        if not tag.startswith(TAG):
            return
        routine_id = tag.removeprefix(TAG)
        if isinstance(result, list):
            self.known[routine_id] = result
        else:  # the journal cannot be read: the routine runs as written
            log.warning("no adapting offers for %s: %s", routine_id, result)
            self.known.pop(routine_id, None)

    def propose(self, routine_id: str, title: str, steps: Sequence[ConcreteStep]) -> bool:
        """Show and say the offers for this routine, if there are any (True), the choice
        then starting it; False: start it as written."""
        found = self.known.get(routine_id)
        if not found:
            return False
        entry = self.catalog.get(routine_id)
        gentler_id = entry.routine.gentler if entry is not None else None
        gentler = self.catalog.get(gentler_id) if gentler_id else None
        self._pending = _Pending(
            routine_id, title, steps, found, gentler.id if gentler is not None else None
        )
        proposal = Proposal(title, found, gentler.title if gentler is not None else None)
        self.window.show_offer(proposal)
        self._speak(proposal.spoken())
        return True

    def _take(self) -> _Pending | None:
        pending, self._pending = self._pending, None
        return pending

    def _skip(self) -> None:
        if pending := self._take():
            self._begin(pending.routine_id, pending.title, without(pending.steps, pending.offers))

    def _gentler(self) -> None:
        pending = self._take()
        gentler = self.catalog.get(pending.gentler) if pending and pending.gentler else None
        if gentler is not None:
            self._begin(gentler.id, gentler.title, gentler.steps)

    def _keep(self) -> None:
        if pending := self._take():
            self._begin(pending.routine_id, pending.title, pending.steps)
