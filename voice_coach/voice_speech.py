"""Saying a reply in voice mode: every line with the microphone shut, or, with barge-in
(an echo-cancelled microphone), in the background while the loop listens for "stop"."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from voice_coach.audio_io.duplex import Duplex, play_interruptibly
from voice_coach.messages import Speak
from voice_coach.speech.output import SpeechOutput
from voice_coach.voice_display import VoiceDisplay

log = logging.getLogger(__name__)

T = TypeVar("T")
"""What interrupted the speech (the loop's own choice of type)."""


@dataclass
class VoiceSpeech:
    """The coach's voice through the duplex audio, each line shown as it is said."""

    speech: SpeechOutput
    duplex: Duplex
    display: VoiceDisplay

    def say(self, lines: tuple[Speak, ...], meanwhile: Callable[[], None] | None = None) -> None:
        """Say `lines` half-duplex; `meanwhile` runs in a thread while they play (the loads
        behind the greeting) and has finished when this returns."""
        worker = None
        if meanwhile is not None:
            worker = threading.Thread(target=meanwhile, name="warm-up")
            worker.start()
        with self.duplex.speaking():
            for speak in lines:
                self.display.speaking(speak.text)
                self.speech.say(speak)
        if worker is not None:
            worker.join()

    def say_interruptibly(
        self, lines: tuple[Speak, ...], interrupted: Callable[[], T]
    ) -> T | None:
        """Play in the background while `interrupted()` listens; returns what interrupted it.

        Anything else heard meanwhile is for `interrupted` to ignore: without the
        gate the microphone also picks up what echo cancellation leaves of the
        coach's own voice.
        """

        def play(cancel: threading.Event) -> None:
            for speak in lines:
                if cancel.is_set():
                    return
                self.display.speaking(speak.text)
                self.speech.say(speak, cancel)

        interruption = play_interruptibly(play, interrupted)
        if interruption is not None:
            log.info("speech interrupted")
        return interruption

    def earcon(self, name: str) -> None:
        self.duplex.earcon(self.speech.speaker, name)
