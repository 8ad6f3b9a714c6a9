"""The safety note the window shows before the first session (and on request).

Kept beside the routines because it belongs to their content: the routines are written
to be gentle, and this says what they cannot promise.
"""

from __future__ import annotations

SAFETY_NOTE = (
    "StretchCoach guides gentle stretches for the lower back. It is not medical advice, "
    "and it does not replace a doctor or a physiotherapist: if your back pain is new, "
    "severe, follows a fall or an injury, or comes with fever, numbness, weakness in a "
    "leg, or trouble with your bladder or bowels, see a doctor before you stretch.\n\n"
    "Move only within comfort. A stretch should feel like a mild pull, never pain. "
    "Stop at once if pain sharpens, or if pain, tingling or numbness spreads down a leg; "
    "rest, and ask a professional before trying that stretch again.\n\n"
    "Breathe slowly and never hold your breath.\n\n"
    "Stretching like this eases back pain over weeks of daily practice, not all at once: "
    "a few minutes every day help more than a long session now and then. Before you lie "
    "down, put the keyboard within reach: Space pauses at any time, and again goes on."
)
