"""The Picovoice speech-to-intent benchmark on real human speech, through the coach's own pipeline.

619 spoken coffee orders (Picovoice/speech-to-intent-benchmark), clean and
mixed with kitchen noise, decoded by our recognizer with the benchmark's
grammar in our template format, understood by our understanding layer, and
scored the benchmark's way. `run_picovoice()` is the entry point.
"""
