"""Audio in and out: chunks, format conversion, devices, voice activity, earcons.

Only `devices.py`, `microphone.py` and `speaker.py` import sounddevice; the rest is
pure numpy/stdlib, so text mode and unit tests never need a sound server.
"""
