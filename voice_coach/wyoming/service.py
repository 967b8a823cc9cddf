"""`voice-coach serve`: the coach as a Wyoming service (describe, handle, tts, asr).

One `CoachService` holds what every connection shares: the conversations
(`sessions.ConversationSessions`), one recognizer and one voice. Each client
connection gets a `CoachHandler` (the `wyoming` package's `AsyncEventHandler`);
blocking work (the coach, decoding, synthesis) runs in worker threads so one
slow request never stalls another connection's `describe`.

Events (see the `wyoming` package):
- `describe` → `info` listing the handle, asr and tts programs;
- `transcript` (its `context.conversation_id` picks the session) → `handled`
  with the coach's reply and the same `conversation_id` in its context;
- `transcribe`? + `audio-start`/`audio-chunk`*/`audio-stop` → `transcript`;
- `synthesize` → `audio-start`/`audio-chunk`*/`audio-stop`.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from wyoming.asr import Transcribe, Transcript
from wyoming.audio import AudioChunk, AudioChunkConverter, AudioStart, AudioStop
from wyoming.error import Error
from wyoming.event import Event
from wyoming.handle import Handled
from wyoming.info import (
    AsrModel,
    AsrProgram,
    Attribution,
    Describe,
    HandleModel,
    HandleProgram,
    Info,
    TtsProgram,
    TtsVoice,
)
from wyoming.server import AsyncEventHandler, AsyncServer
from wyoming.tts import Synthesize

from voice_coach import __version__
from voice_coach.audio_io.convert import split
from voice_coach.messages import AudioChunk as CoachAudio
from voice_coach.messages import Listen, Speak
from voice_coach.recognition import Recognizer
from voice_coach.recognition.grammar import Grammars, listen_with
from voice_coach.speech.output import SpeechOutput
from voice_coach.wyoming.sessions import ConversationSessions

log = logging.getLogger(__name__)

PROGRAM = "voice-coach"
ATTRIBUTION = Attribution(name="Voice Coach", url="https://smartrecovery.org/")
LANGUAGES = ["en"]
CONTEXT_KEY = "voice_coach"
"""Transcribe context a remote Voice Coach sends: {"mode", "phrases", "never_reject"}."""
SAMPLE_RATE = 16000
TTS_CHUNK_SECONDS = 0.064
"""Audio per `audio-chunk` event sent to a satellite (1024 samples at 16 kHz)."""


@dataclass
class CoachService:
    """What all connections share. `recognizer`/`speech` are made on first use."""

    sessions: ConversationSessions
    grammars: Grammars
    make_recognizer: Callable[[], Recognizer]
    make_speech: Callable[[], SpeechOutput]
    voice_name: str = "joe"
    _recognizer: Recognizer | None = None
    _speech: SpeechOutput | None = None
    _asr_lock: threading.Lock = field(default_factory=threading.Lock)
    _tts_lock: threading.Lock = field(default_factory=threading.Lock)

    def info(self) -> Info:
        return Info(
            handle=[
                HandleProgram(
                    name=PROGRAM,
                    description="Voice Coach: SMART Recovery self-help tools, by voice",
                    attribution=ATTRIBUTION,
                    installed=True,
                    version=__version__,
                    models=[
                        HandleModel(
                            name="voice-coach",
                            description="urge surfing, DISARM, CBA, ABC, reflections",
                            attribution=ATTRIBUTION,
                            installed=True,
                            version=__version__,
                            languages=LANGUAGES,
                        )
                    ],
                )
            ],
            asr=[
                AsrProgram(
                    name=PROGRAM,
                    description="Voice Coach's own recognizer (the state's grammar when known)",
                    attribution=ATTRIBUTION,
                    installed=True,
                    version=__version__,
                    models=[
                        AsrModel(
                            name="voice-coach-asr",
                            description="PocketSphinx, or Vosk when a model is installed",
                            attribution=ATTRIBUTION,
                            installed=True,
                            version=__version__,
                            languages=LANGUAGES,
                        )
                    ],
                )
            ],
            tts=[
                TtsProgram(
                    name=PROGRAM,
                    description="Voice Coach's Piper voice",
                    attribution=ATTRIBUTION,
                    installed=True,
                    version=__version__,
                    voices=[
                        TtsVoice(
                            name=self.voice_name,
                            description="Piper voice",
                            attribution=ATTRIBUTION,
                            installed=True,
                            version=None,
                            languages=LANGUAGES,
                        )
                    ],
                )
            ],
        )

    # ----- blocking work (worker threads) ---------------------------------------

    def recognizer(self) -> Recognizer:
        if self._recognizer is None:
            self._recognizer = self.make_recognizer()
        return self._recognizer

    def speech(self) -> SpeechOutput:
        if self._speech is None:
            self._speech = self.make_speech()
        return self._speech

    def warm_up(self) -> None:
        """Load the recognizer and the voice before the first request needs them."""
        with self._asr_lock:
            self.recognizer()
        with self._tts_lock:
            load = getattr(self.speech().synthesizer, "load", None)
            if callable(load):
                load()

    def transcribe(self, audio: bytes, context: dict[str, Any] | None) -> str:
        """Decode one utterance (16 kHz mono 16-bit) with the grammar its context asks for."""
        with self._asr_lock:
            recognizer = self.recognizer()
            self._choose_grammar(recognizer, context or {})
            recognizer.reset()
            step = 3200
            for start in range(0, len(audio), step):
                recognizer.accept(audio[start : start + step])
            return recognizer.finish().text.strip()

    def _choose_grammar(self, recognizer: Recognizer, context: dict[str, Any]) -> None:
        wanted = context.get(CONTEXT_KEY)
        if isinstance(wanted, dict) and wanted.get("mode") in ("command", "dictation"):
            recognizer.set_mode(
                wanted["mode"],
                _strings(wanted.get("phrases", ())),
                _strings(wanted.get("never_reject", ())),
            )
            return
        listen: Listen | None = None
        conversation = context.get("conversation_id")
        if isinstance(conversation, str):
            listen = self.sessions.listening_for(conversation)
        if listen is None:
            recognizer.set_mode("dictation")
        else:
            listen_with(recognizer, self.grammars, listen)

    def synthesize(self, text: str) -> list[CoachAudio]:
        with self._tts_lock:
            return self.speech().render(Speak(text))


def _strings(values: Any) -> Sequence[str]:
    if not isinstance(values, (list, tuple)):
        return ()
    return tuple(str(v) for v in values if isinstance(v, str))


class CoachHandler(AsyncEventHandler):
    """One client connection."""

    def __init__(
        self, service: CoachService, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        super().__init__(reader, writer)
        self._service = service
        self._audio = bytearray()
        self._converter = AudioChunkConverter(rate=SAMPLE_RATE, width=2, channels=1)
        self._transcribe_context: dict[str, Any] | None = None
        self._recording = False

    async def handle_event(self, event: Event) -> bool:
        try:
            return await self._dispatch(event)
        except Exception as exc:  # one bad request must not take the service down
            log.exception("failed to answer a %s event", event.type)
            await self.write_event(Error(text=f"Voice Coach failed: {type(exc).__name__}",
                                         code="voice-coach-error").event())
            return True

    async def _dispatch(self, event: Event) -> bool:
        service = self._service
        if Describe.is_type(event.type):
            await self.write_event(service.info().event())
        elif Transcript.is_type(event.type):
            transcript = Transcript.from_event(event)
            conversation = (transcript.context or {}).get("conversation_id")
            conversation_id = str(conversation) if conversation else None
            result = await asyncio.to_thread(
                service.sessions.turn, conversation_id, transcript.text
            )
            reply_context = {"conversation_id": conversation_id} if conversation_id else None
            await self.write_event(Handled(text=result.text, context=reply_context).event())
        elif Transcribe.is_type(event.type):
            self._transcribe_context = Transcribe.from_event(event).context
        elif AudioStart.is_type(event.type):
            self._audio.clear()
            self._converter = AudioChunkConverter(rate=SAMPLE_RATE, width=2, channels=1)
            self._recording = True
        elif AudioChunk.is_type(event.type) and self._recording:
            chunk = self._converter.convert(AudioChunk.from_event(event))
            self._audio.extend(chunk.audio)
        elif AudioStop.is_type(event.type) and self._recording:
            self._recording = False
            audio: bytes = bytes(self._audio)
            context: dict[str, Any] | None = self._transcribe_context
            self._audio.clear()
            self._transcribe_context = None
            text = await asyncio.to_thread(service.transcribe, audio, context)
            await self.write_event(Transcript(text=text, language="en").event())
        elif Synthesize.is_type(event.type):
            text = Synthesize.from_event(event).text
            chunks = await asyncio.to_thread(service.synthesize, text)
            await self._send_audio(chunks)
        return True

    async def _send_audio(self, chunks: list[CoachAudio]) -> None:
        rate = chunks[0].rate if chunks else 22050
        channels = chunks[0].channels if chunks else 1
        await self.write_event(AudioStart(rate=rate, width=2, channels=channels).event())
        for chunk in chunks:
            for piece in split(chunk, TTS_CHUNK_SECONDS):
                await self.write_event(
                    AudioChunk(rate=piece.rate, width=2, channels=piece.channels,
                               audio=piece.samples).event()
                )
        await self.write_event(AudioStop().event())


async def serve(uri: str, service: CoachService, ready: Callable[[], None] | None = None) -> None:
    """Answer clients at `uri` (tcp://, unix:// or stdio://) until cancelled."""
    server = AsyncServer.from_uri(uri)

    def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> CoachHandler:
        return CoachHandler(service, reader, writer)

    if uri.startswith("stdio://"):
        if ready is not None:
            ready()
        await server.run(handler)
        return
    await server.start(handler)
    if ready is not None:
        ready()
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()
