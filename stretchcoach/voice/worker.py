"""The speech worker: a separate process that turns texts into the cache's WAV clips.

Why a process: speech engines can hang, crash the interpreter (eSpeak exits the process on
a bad data path, sherpa-onnx on a model without its metadata), keep state that goes stale,
and hold hundreds of megabytes (a neural voice), so the app never runs them itself. One
worker serves one voice setting (engine, voice, rate, volume), set once before the first
utterance; the client starts a fresh worker when the setting changes, kills one that
hangs, and ends it when there is nothing left to say, which gives its memory back.

Every engine's output goes through ``voice.pcm`` here: 22,050 Hz mono 16-bit, the same
loudness for every engine, the person's volume applied. So a clip in the cache is the
same kind of file whichever engine made it.

Protocol (JSON lines): requests on stdin, replies on the worker's original stdout. Fd 1 is
then pointed at stderr, because engines print on stdout (pyttsx3's ``save_to_file`` prints
a line) and that would corrupt the replies. The first reply says whether the engine
started: ``{"ready": true, "engine": "...", "voice": "..."}`` (the voice it speaks with,
as an id) or ``{"ready": false, "error": "no-engine", "message": "..."}``. Requests:
``{"op": "synth", "text": ..., "path": ...}`` → ``{"ok": true, "seconds": s}`` or
``{"ok": false, "message": ...}`` (with ``"errno"`` when the file could not be written);
``{"op": "voices"}`` → ``{"ok": true, "voices": [...]}``.

The setting comes as the one argument, JSON: ``{"engine": "system", "voice": pyttsx3's
voice id or null, "rate", "volume"}`` or ``{"engine": "piper", "model": path, "sha256":
expected, "pinned": bool, "folder": where the engine's copy of the model goes, "rate",
"volume"}``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import IO, Any

from stretchcoach.children import stay_with_the_app
from stretchcoach.voice import pcm
from stretchcoach.voice.engines import Engine, EngineMissing

# A neural voice keeps a core busy for seconds while it makes a routine's cues; below the
# app's priority, it never takes the CPU from the window or the sound output on a machine
# with few cores. It still runs at full speed on an idle core.
NICENESS = 10


def start_engine(setting: dict[str, Any]) -> Engine:
    """The engine the setting names, started; raises ``EngineMissing``."""
    if setting["engine"] == "piper":
        from stretchcoach.voice.engines.sherpa import SherpaEngine
        from stretchcoach.voice.piper import PiperFiles

        files = PiperFiles(Path(setting["model"]), setting["sha256"] if setting["pinned"] else None)
        return SherpaEngine(files, setting["sha256"], Path(setting["folder"]), setting["rate"])
    from stretchcoach.voice.engines.system import SystemEngine

    return SystemEngine(setting["voice"], setting["rate"])


def _reply(out: IO[str], message: dict[str, Any]) -> None:
    out.write(json.dumps(message) + "\n")
    out.flush()


def serve(setting: dict[str, Any]) -> None:
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # whatever the engine prints goes to stderr, not into the replies
    sys.stdout = sys.stderr
    try:
        engine = start_engine(setting)
    except EngineMissing as err:
        _reply(out, {"ready": False, "error": "no-engine", "message": str(err)})
        return
    _reply(out, {"ready": True, "engine": engine.id, "voice": engine.voice})
    for line in sys.stdin:
        request = json.loads(line)
        try:
            if request["op"] == "synth":
                path = Path(request["path"])
                samples, rate = engine.speak(request["text"], path)
                seconds = pcm.write_clip(path, samples, rate, setting["volume"])
                _reply(out, {"ok": True, "seconds": seconds})
            else:
                _reply(out, {"ok": True, "voices": engine.voices()})
        except Exception as err:  # report it: the client decides what the person is told
            failed = {"ok": False, "message": f"{err.__class__.__name__}: {err}"}
            if isinstance(err, OSError) and err.errno is not None:
                failed["errno"] = err.errno
            _reply(out, failed)


def main(argv: list[str]) -> None:
    stay_with_the_app()
    if hasattr(os, "nice"):  # background work: the window and the sound come first
        os.nice(NICENESS)
    serve(json.loads(argv[0]))


if __name__ == "__main__":
    main(sys.argv[1:])
