"""Voice Coach over the Wyoming protocol (OHF-Voice/wyoming, the `wyoming` package).

Both directions:
- `service`: `voice-coach serve`, the coach as a Wyoming service for Home
  Assistant and satellites: describe, handle (one coach session per
  conversation id, see `sessions`), tts (the coach's Piper voice) and asr (its
  own recognizer, with the dialogue state's grammar when the conversation is known);
- `remote`: recognition and speech from a Wyoming server elsewhere
  (`engine = "wyoming://HOST:PORT"`, `voice = "wyoming://HOST:PORT"`), with the
  embedded engines as fallback (`fallback`; the address setting and connection
  are `voice_coach.remote`'s). The dialogue, the safety check and the
  journal always stay on this device.
"""
