"""StretchCoach: a hands-free, breath-paced follow-along coach for lower-back stretches.

The package is split so that everything but ``stretchcoach.ui`` runs without Qt: the
routine models, the coaching engine and the speech synthesis are plain Python, driven by
an injected clock and scheduler, which is what makes them testable with a fake clock.
"""

__version__ = "0.1.0"
