"""Voice Coach: an offline, hands-free companion for SMART Recovery self-help tools.

Importing the package turns off ONNX Runtime's telemetry before Piper can load
it. Official onnxruntime builds for Linux (1.2x and later) carry Microsoft's
1DS telemetry SDK: it is on by default, keeps a device id and an event store in
`~/.cache/Microsoft/DeveloperTools/.onnxruntime/` and uploads trace events over
HTTPS to mobile.events.data.microsoft.com. The package's own Privacy.md says
`ORT_DISABLE_TELEMETRY=1`, set before ONNX Runtime initialises, "prevents the
uploader, events, and persistent device identifier from being created for the
process lifetime". It is forced here (not defaulted): nothing a person says or
does may leave the device. `tests/test_no_network.py` checks it.
"""

import os

os.environ["ORT_DISABLE_TELEMETRY"] = "1"

__version__ = "0.1.0"
