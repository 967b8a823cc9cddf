#!/bin/sh
# Start a private PulseAudio server with a null sink, for real audio tests on a
# machine with no sound card (see /work/shared/notes/audio-testing.md).
#
#   vspeaker  a null sink: what the app plays goes here (the default sink)
#   vmic      its monitor remapped as a source: the app's microphone hears the speaker
#   keepalive a loopback into a second null sink, so the idle sink never sleeps
#
# Usage: .ci/pulse-start.sh [RUNTIME_DIR]
# RUNTIME_DIR defaults to $VOICE_COACH_PULSE_DIR or /tmp/voice-coach-pulse. On
# success the last lines printed are `export` lines for the server's clients:
#   eval "$(.ci/pulse-start.sh)"
set -eu

runtime_dir=${1:-${VOICE_COACH_PULSE_DIR:-/tmp/voice-coach-pulse}}
mkdir -p "$runtime_dir"
chmod 700 "$runtime_dir"
export XDG_RUNTIME_DIR="$runtime_dir"
export PULSE_SERVER="unix:$runtime_dir/pulse/native"
# Keep the cookie and state with the server, away from the real home folder.
export HOME="$runtime_dir"

if pactl info >/dev/null 2>&1; then
    echo "pulse-start: a server is already running in $runtime_dir" >&2
else
    config="$runtime_dir/voice-coach.pa"
    cat >"$config" <<'PA'
load-module module-native-protocol-unix
load-module module-null-sink sink_name=vspeaker rate=48000 channels=1
load-module module-remap-source master=vspeaker.monitor source_name=vmic
load-module module-null-sink sink_name=keepalive rate=48000 channels=1
load-module module-loopback source=vspeaker.monitor sink=keepalive latency_msec=20
set-default-sink vspeaker
set-default-source vmic
PA
    pulseaudio -D -n --file="$config" --exit-idle-time=-1 --disallow-exit \
        --log-target="file:$runtime_dir/pulseaudio.log" 2>>"$runtime_dir/pulseaudio.stderr"
    tries=0
    until pactl info >/dev/null 2>&1; do
        tries=$((tries + 1))
        if [ "$tries" -gt 100 ]; then
            echo "pulse-start: the server did not answer within 10 s; see $runtime_dir/pulseaudio.log" >&2
            exit 1
        fi
        sleep 0.1
    done
    # An idle null sink wakes only every 2 s: kick it so the first capture starts at once.
    pactl suspend-sink vspeaker 1
    pactl suspend-sink vspeaker 0
fi

echo "export XDG_RUNTIME_DIR='$runtime_dir'"
echo "export PULSE_SERVER='$PULSE_SERVER'"
