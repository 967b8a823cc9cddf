"""Allow `python -m voice_coach`."""

from voice_coach import shutdown

shutdown.install()  # first: a signal while the rest imports still ends cleanly

from voice_coach.cli import main  # noqa: E402

raise SystemExit(main())
