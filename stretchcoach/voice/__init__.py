"""Speech: synthesis with pyttsx3 in an isolated worker, the cue cache, and fitting cues to
breath phases. Playback is Qt's, in ``stretchcoach.ui``."""
