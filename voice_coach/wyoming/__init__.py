"""Voice Coach over the Wyoming protocol (OHF-Voice/wyoming, the `wyoming` package).

Both directions:
- `service`: `voice-coach serve`, the coach as a Wyoming service for Home
  Assistant and satellites: describe, handle (one coach session per
  conversation id, see `sessions`), tts (the coach's Piper voice) and asr (its
  own recognizer, with the dialogue state's grammar when the conversation is known);
- `remote`: recognition and speech from a Wyoming server elsewhere
  (`engine = "wyoming://HOST:PORT"`, `voice = "wyoming://HOST:PORT"`), with the
  embedded engines as fallback (`fallback`). The dialogue, the safety check and the
  journal always stay on this device.
"""

URI_PREFIX = "wyoming://"


def is_wyoming_uri(value: str) -> bool:
    """True for a setting that names a remote Wyoming service."""
    return value.strip().lower().startswith(URI_PREFIX)


def parse_uri(value: str) -> tuple[str, int]:
    """`wyoming://HOST:PORT` → (host, port); ValueError with what is wrong."""
    rest = value.strip()[len(URI_PREFIX):].strip("/")
    host, sep, port = rest.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError("must look like wyoming://HOST:PORT (e.g. wyoming://192.168.1.5:10300)")
    return host, int(port)
