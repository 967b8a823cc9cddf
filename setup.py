"""Copy the top-level `intents/` and `audio/` data into the wheel as `voice_coach/_data/`.

They live at the top of the repository (they are data, edited by non-programmers),
but a `pip install .` outside the repository must still find them.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DATA = ("intents", "audio")


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        root = Path(__file__).parent
        for name in DATA:
            source = root / name
            if source.is_dir():
                target = Path(self.build_lib) / "voice_coach" / "_data" / name
                shutil.rmtree(target, ignore_errors=True)
                shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))


setup(cmdclass={"build_py": BuildWithData})
