"""Phonemes for Piper voices, from the eSpeak NG that StretchCoach already ships with.

Piper voices are trained on eSpeak NG's IPA phonemes, and sherpa-onnx 2.x no longer makes
them itself (it dropped eSpeak to stay Apache-2.0): given text without phonemes it returns
silence and no error. So the natural-voice worker asks ``espeakng-loader``'s libespeak-ng
through ctypes, clause by clause, and hands sherpa-onnx what Piper's own phonemizer would:
each sentence as a list of code points, each clause's phonemes followed by its punctuation
(with a space after ``, : ;``), in Unicode NFD. On the bundled cues this gives the same
audio as Piper's reference phonemizer, but for a linking glide its newer eSpeak build
adds (``docs/voices.md``).

Upstream eSpeak NG has no call that reports a clause's punctuation, so it is read back from
the text each call consumed. eSpeak keeps global state: load this in a process of its own,
never beside pyttsx3's eSpeak engine (the worker serves one engine).
"""

from __future__ import annotations

import ctypes
import re
import unicodedata

AUDIO_OUTPUT_SYNCHRONOUS = 2  # no sound device: eSpeak is only asked for phonemes
CHARS_UTF8 = 1
PHONEMES_IPA = 0x02
_TERMINATOR = re.compile(r"([.?!,:;])(?=\s|$)")  # eSpeak reads a character past the clause
_LANGUAGE_SWITCH = re.compile(r"\([^)]+\)")  # "(fr)" around a word eSpeak took as French
_SENTENCE_END = ".?!"
_PAUSE = ",:;"


class PhonemizerMissing(Exception):
    """eSpeak NG could not be loaded for phonemes; the message says why."""


class Phonemizer:
    """eSpeak NG's phonemes for one voice (``en-us``: a Piper voice's ``espeak.voice``)."""

    def __init__(self, voice: str) -> None:
        try:
            import espeakng_loader
        except ImportError:
            raise PhonemizerMissing(
                "espeakng-loader is not installed (pip install 'stretchcoach[natural-voice]')"
            ) from None
        lib = ctypes.CDLL(espeakng_loader.get_library_path())
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_TextToPhonemes.argtypes = [
            ctypes.POINTER(ctypes.c_void_p),
            ctypes.c_int,
            ctypes.c_int,
        ]
        lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
        data = espeakng_loader.get_data_path().encode()
        if lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, data, 0) < 0:
            raise PhonemizerMissing("eSpeak NG did not start")
        if lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise PhonemizerMissing(f"eSpeak NG has no voice '{voice}' to make phonemes with")
        self._lib = lib

    def sentences(self, text: str) -> list[list[int]]:
        """``text`` as sherpa-onnx's ``phoneme_codepoints``: one list per sentence."""
        raw = text.encode("utf-8")
        buf = ctypes.create_string_buffer(raw)
        base = ctypes.addressof(buf)
        pointer = ctypes.c_void_p(base)
        out: list[list[int]] = []
        sentence: list[int] = []
        while pointer.value:
            start = pointer.value - base
            got = self._lib.espeak_TextToPhonemes(ctypes.byref(pointer), CHARS_UTF8, PHONEMES_IPA)
            end = pointer.value - base if pointer.value else len(raw)
            marks = _TERMINATOR.findall(raw[start:end].decode("utf-8", "replace"))
            mark = marks[-1] if marks else ""
            phonemes = _LANGUAGE_SWITCH.sub("", (got or b"").decode("utf-8", "replace"))
            if phonemes or mark:
                clause = phonemes + mark + (" " if mark and mark in _PAUSE else "")
                sentence.extend(map(ord, unicodedata.normalize("NFD", clause)))
            if (mark and mark in _SENTENCE_END) or not pointer.value or end <= start:
                if sentence:
                    out.append(sentence)
                sentence = []
            if end <= start:  # eSpeak did not move on: never loop forever
                break
        return out
