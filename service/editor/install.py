#!/usr/bin/env python3
"""Install the front-end builds the service serves itself: YASGUI and Swagger UI.

Runs ``npm ci`` in this folder (the versions pinned in package.json and package-lock.json)
and copies the files the service needs into ``service/gfmd_service/static/vendor/``:

- ``@zazuko/yasgui`` (the SPARQL editor at ``/``) into ``vendor/yasgui/``;
- ``swagger-ui-dist`` (the API page at ``/docs``) into ``vendor/swagger-ui/``.

There the service finds them in a source checkout, and a wheel built afterwards ships
them. Needs Node.js and npm, and reaches the npm registry only here, never at run time.

    python service/editor/install.py            # npm ci + copy
    python service/editor/install.py --no-npm   # copy from an existing node_modules
    python service/editor/install.py --check    # exit 1 unless the packaged copies are complete
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGE = json.loads((HERE / "package.json").read_text(encoding="utf-8"))
VENDOR = HERE.parent / "gfmd_service" / "static" / "vendor"


@dataclass(frozen=True)
class Build:
    """The files of one npm package that the service serves, and where they go."""

    package: str
    source: str  # folder inside the package holding the files
    files: tuple[str, ...]
    target: str  # folder under static/vendor/

    @property
    def version(self) -> str:
        return PACKAGE["dependencies"][self.package]

    @property
    def source_dir(self) -> Path:
        return HERE / "node_modules" / self.package / self.source

    @property
    def package_dir(self) -> Path:
        return HERE / "node_modules" / self.package

    @property
    def target_dir(self) -> Path:
        return VENDOR / self.target


BUILDS = (
    Build("@zazuko/yasgui", "build", ("yasgui.min.js", "yasgui.min.css"), "yasgui"),
    Build("swagger-ui-dist", ".", ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"), "swagger-ui"),
)


def npm_ci() -> None:
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("install.py: npm is not on PATH; install Node.js and npm first")
    cmd = [npm, "ci", "--prefix", str(HERE), "--ignore-scripts", "--no-audit", "--no-fund"]
    print("+", " ".join(cmd[1:]), flush=True)
    subprocess.run(cmd, check=True)


def _version(package_json: Path) -> str | None:
    try:
        return json.loads(package_json.read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return None


def copy(build: Build) -> None:
    missing = [f for f in build.files if not (build.source_dir / f).is_file()]
    if missing:
        sys.exit(f"install.py: {build.source_dir} lacks {', '.join(missing)}; run without --no-npm")
    found = _version(build.package_dir / "package.json")
    if found != build.version:
        sys.exit(f"install.py: node_modules holds {build.package} {found}, package.json pins {build.version}")
    if build.target_dir.exists():
        shutil.rmtree(build.target_dir)
    build.target_dir.mkdir(parents=True)
    for name in build.files:
        shutil.copy2(build.source_dir / name, build.target_dir / name)
    # The package's metadata (name, version, licence) travels with the files.
    shutil.copy2(build.package_dir / "package.json", build.target_dir / "package.json")
    print(f"copied {build.package} {build.version} ({', '.join(build.files)}) "
          f"to {build.target_dir.relative_to(HERE.parent.parent)}")


def check(build: Build) -> bool:
    ok = all((build.target_dir / f).is_file() for f in build.files)
    version = _version(build.target_dir / "package.json")
    where = build.target_dir.relative_to(HERE.parent.parent)
    if ok and version == build.version:
        print(f"{build.package} {build.version} is installed in {where}")
        return True
    print(f"{build.package} {build.version} is not installed in {where} (found {version})")
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-npm", action="store_true", help="skip npm ci, copy from node_modules")
    parser.add_argument("--check", action="store_true", help="only check the packaged copies")
    args = parser.parse_args(argv)
    if args.check:
        results = [check(build) for build in BUILDS]
        return 0 if all(results) else 1
    if not args.no_npm:
        npm_ci()
    for build in BUILDS:
        copy(build)
    return 0


if __name__ == "__main__":
    sys.exit(main())
