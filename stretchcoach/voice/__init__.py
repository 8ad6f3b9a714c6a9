"""Speech: the engines (a natural Piper voice via sherpa-onnx, the system's voices via
pyttsx3) in an isolated worker process, the voices and which stands in for which, the cue
cache, and fitting cues to breath phases. Playback is Qt's, in ``stretchcoach.ui``."""
