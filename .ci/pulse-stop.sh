#!/bin/sh
# Stop the private PulseAudio server started by .ci/pulse-start.sh.
# Usage: .ci/pulse-stop.sh [RUNTIME_DIR]   (the same folder given to pulse-start.sh)
set -eu

runtime_dir=${1:-${VOICE_COACH_PULSE_DIR:-/tmp/voice-coach-pulse}}
export XDG_RUNTIME_DIR="$runtime_dir"
export PULSE_SERVER="unix:$runtime_dir/pulse/native"
export HOME="$runtime_dir"

if ! pactl info >/dev/null 2>&1; then
    echo "pulse-stop: no server is running in $runtime_dir" >&2
    exit 0
fi
pulseaudio --kill 2>/dev/null || true
tries=0
while pactl info >/dev/null 2>&1; do
    tries=$((tries + 1))
    if [ "$tries" -gt 50 ]; then
        echo "pulse-stop: the server in $runtime_dir is still answering after 5 s" >&2
        exit 1
    fi
    sleep 0.1
done
