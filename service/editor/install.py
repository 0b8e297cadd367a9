#!/usr/bin/env python3
"""Install the YASGUI build that the service serves at /assets/yasgui/.

Runs ``npm ci`` in this folder (the version pinned in package.json and package-lock.json)
and copies the build files into ``service/gfmd_service/static/vendor/yasgui/``, where the
service finds them in a source checkout and from where a wheel built afterwards ships
them. Needs Node.js and npm, and reaches the npm registry only here, never at run time.

    python service/editor/install.py            # npm ci + copy
    python service/editor/install.py --no-npm   # copy from an existing node_modules
    python service/editor/install.py --check    # exit 1 unless the packaged copy is complete
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGE = json.loads((HERE / "package.json").read_text(encoding="utf-8"))
NAME = next(iter(PACKAGE["dependencies"]))
VERSION = PACKAGE["dependencies"][NAME]
BUILD = HERE / "node_modules" / NAME / "build"
TARGET = HERE.parent / "gfmd_service" / "static" / "vendor" / "yasgui"
FILES = ("yasgui.min.js", "yasgui.min.css")


def npm_ci() -> None:
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("install.py: npm is not on PATH; install Node.js and npm first")
    cmd = [npm, "ci", "--prefix", str(HERE), "--ignore-scripts", "--no-audit", "--no-fund"]
    print("+", " ".join(cmd[1:]), flush=True)
    subprocess.run(cmd, check=True)


def installed_version() -> str | None:
    try:
        return json.loads((BUILD.parent / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return None


def copy() -> None:
    missing = [f for f in FILES if not (BUILD / f).is_file()]
    if missing:
        sys.exit(f"install.py: {BUILD} lacks {', '.join(missing)}; run without --no-npm")
    if installed_version() != VERSION:
        sys.exit(f"install.py: node_modules holds {NAME} {installed_version()}, package.json pins {VERSION}")
    if TARGET.exists():
        shutil.rmtree(TARGET)
    TARGET.mkdir(parents=True)
    for name in FILES:
        shutil.copy2(BUILD / name, TARGET / name)
    # The package's metadata (name, version, licence) travels with the files.
    shutil.copy2(BUILD.parent / "package.json", TARGET / "package.json")
    print(f"copied {NAME} {VERSION} ({', '.join(FILES)}) to {TARGET.relative_to(HERE.parent.parent)}")


def check() -> int:
    ok = all((TARGET / f).is_file() for f in FILES)
    try:
        version = json.loads((TARGET / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        version = None
    if ok and version == VERSION:
        print(f"{NAME} {VERSION} is installed in {TARGET.relative_to(HERE.parent.parent)}")
        return 0
    print(f"{NAME} {VERSION} is not installed in {TARGET.relative_to(HERE.parent.parent)} (found {version})")
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-npm", action="store_true", help="skip npm ci, copy from node_modules")
    parser.add_argument("--check", action="store_true", help="only check the packaged copy")
    args = parser.parse_args(argv)
    if args.check:
        return check()
    if not args.no_npm:
        npm_ci()
    copy()
    return 0


if __name__ == "__main__":
    sys.exit(main())
