"""Allow `python -m voice_coach`."""

from voice_coach import shutdown

shutdown.install()  # first: a signal while the rest imports still ends cleanly

try:
    from voice_coach.cli import main

    code = main()
except KeyboardInterrupt:  # stopped while the command line itself was loading
    shutdown.say_stopped()
    code = shutdown.exit_code()
raise SystemExit(shutdown.finished(code))
