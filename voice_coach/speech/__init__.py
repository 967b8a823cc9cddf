"""Speech out: text to audio with Piper, a cache of rendered prompts, streaming by sentence.

Only `piper_voice.py` imports piper; everything else works with any `Synthesizer`.
"""
