#!/usr/bin/env python3
"""Build the addon's wheel with whool (pyproject.toml) and check its files and metadata.

    python3 tools/check_wheel.py [--dist DIR] [--pip-timeout SECONDS]

What ``make test`` runs (tools/run-tests.sh). The wheel is built as ``pip wheel .`` builds
it in a folder named ``pos_dukkango`` (whool names the distribution after the folder),
from a copy of the files git would package (tracked, plus new files git does not
ignore, so that work not yet committed is checked too), made outside the repository.
pip fetches the build backend (whool and its dependencies) from the package index: when
it cannot, the check fails (it is never skipped).

Checks: the wheel's name (odoo_addon_pos_dukkango-<manifest version>-py3-none-any.whl),
its metadata (name, version, Requires-Dist odoo==18.0.* and requests, summary, license,
Python requirement, Odoo classifier), that it holds exactly the packaged files under
odoo/addons/pos_dukkango/ (the manifest, every data file and asset it names, the
models, views, data, security, static and i18n folders) and none of the repository's
by-products (.build/, caches, compiled files, logs, .git). Copies the wheel to DIR
(default .build/dist/). Last line: "wheel: 1 passed, 0 failed" (or "0 passed, 1 failed").
"""

import argparse
import ast
import email.parser
import email.policy
import fnmatch
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ADDON = "pos_dukkango"
PREFIX = f"odoo/addons/{ADDON}/"
#: folders of the addon the wheel must hold files of
REQUIRED_FOLDERS = ("models", "views", "data", "security", "static/description", "static/src", "i18n", "dukkango")
#: what the repository holds but a wheel never should (fnmatch patterns on the path in the addon)
FORBIDDEN = (
    ".build/*",
    ".git/*",
    ".git",
    "*/__pycache__/*",
    "__pycache__/*",
    "*.py[co]",
    ".pytest_cache/*",
    ".ruff_cache/*",
    ".benchmarks/*",
    "*.log",
    "build/*",
    "dist/*",
    "pyproject.toml",
    "PKG-INFO",
)
#: used when the repository is not a git checkout (e.g. an unpacked archive)
COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".build", "__pycache__", "*.pyc", "*.pyo", ".pytest_cache", ".ruff_cache", ".benchmarks", "*.log"
)


def packaged_files():
    """The files of the repository git would package: tracked (and still present) plus
    new files it does not ignore. None when ROOT is not a git checkout."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    names = sorted({name for name in out.decode().split("\0") if name})
    return [name for name in names if (ROOT / name).is_file()]


def stage(target):
    """Copy the addon into ``target`` (a folder named pos_dukkango); the files copied."""
    files = packaged_files()
    if files is None:
        shutil.copytree(ROOT, target, ignore=COPY_IGNORE, symlinks=True)
        return sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file())
    for name in files:
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, destination)
    return files


def pip_python(tmp):
    """A Python with pip: this one, else a virtualenv made in ``tmp`` (pip from ensurepip)."""
    if subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True, check=False).returncode == 0:
        return sys.executable
    venv = Path(tmp) / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    return str(venv / "bin" / "python")


def build(source, out, timeout):
    """``pip wheel`` of ``source`` into ``out``; (wheel path or None, pip's output)."""
    python = pip_python(out.parent)
    command = [python, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(out), str(source)]
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env, check=False)
    except subprocess.TimeoutExpired as error:
        return None, f"pip wheel did not finish within {timeout} s\n{error.stdout or ''}{error.stderr or ''}"
    wheels = sorted(out.glob("*.whl"))
    output = f"$ {' '.join(command)}\n{run.stdout}{run.stderr}"
    return (wheels[0] if run.returncode == 0 and len(wheels) == 1 else None), output


def check_metadata(wheel, manifest, problems):
    """Compare the wheel's METADATA, WHEEL and top_level.txt with the manifest."""
    version = manifest["version"]
    expected_name = re.compile(rf"^odoo_addon_{ADDON}-{re.escape(version)}(\.99\.dev\d+|\.dev\d+)?-py3-none-any\.whl$")
    if not expected_name.match(wheel.name):
        problems.append(f"wheel file name {wheel.name} is not odoo_addon_{ADDON}-{version}-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        dist_info = sorted({name.split("/")[0] for name in names if name.split("/")[0].endswith(".dist-info")})
        if len(dist_info) != 1:
            problems.append(f"expected one .dist-info folder, found {dist_info}")
            return {}
        # whool writes a non-ASCII value (the summary) as an RFC 2047 encoded word: decoded here
        meta = email.parser.HeaderParser(policy=email.policy.default).parsestr(
            archive.read(f"{dist_info[0]}/METADATA").decode()
        )
        wheel_meta = email.parser.HeaderParser().parsestr(archive.read(f"{dist_info[0]}/WHEEL").decode())
        top_level = archive.read(f"{dist_info[0]}/top_level.txt").decode().split()
    requires = meta.get_all("Requires-Dist") or []
    expect = {
        "Name": f"odoo-addon-{ADDON}",
        "Summary": manifest["summary"],
        "License": manifest["license"],
        "Home-page": manifest["website"],
    }
    for key, value in expect.items():
        if meta.get(key) != value:
            problems.append(f"METADATA {key} is {meta.get(key)!r}, expected {value!r}")
    if not (meta.get("Version") or "").startswith(version):
        problems.append(f"METADATA Version {meta.get('Version')!r} does not start with the manifest's {version}")
    odoo_series = ".".join(version.split(".")[:2])
    if f"odoo=={odoo_series}.*" not in requires:
        problems.append(f"Requires-Dist lacks odoo=={odoo_series}.*: {requires}")
    for dependency in manifest.get("external_dependencies", {}).get("python", []):
        if not any(re.match(rf"^{re.escape(dependency)}\b", requirement) for requirement in requires):
            problems.append(f"Requires-Dist lacks {dependency} (external dependency of the manifest): {requires}")
    if not meta.get("Requires-Python"):
        problems.append("METADATA has no Requires-Python")
    if f"Framework :: Odoo :: {odoo_series}" not in (meta.get_all("Classifier") or []):
        problems.append(f"METADATA lacks the classifier Framework :: Odoo :: {odoo_series}")
    if wheel_meta.get("Tag") != "py3-none-any":
        problems.append(f"WHEEL Tag is {wheel_meta.get('Tag')!r}, expected py3-none-any")
    if top_level != ["odoo"]:
        problems.append(f"top_level.txt is {top_level}, expected ['odoo']")
    return {"names": names, "meta": meta, "requires": requires}


def check_files(names, staged, manifest, problems):
    """The wheel holds exactly the staged files (but pyproject.toml), including what the manifest needs."""
    outside = [name for name in names if not name.startswith(PREFIX) and ".dist-info/" not in name]
    if outside:
        problems.append(f"files outside {PREFIX} and the .dist-info folder: {outside[:5]}")
    inside = {name[len(PREFIX) :] for name in names if name.startswith(PREFIX)}
    forbidden = sorted(name for name in inside if any(fnmatch.fnmatch(name, pattern) for pattern in FORBIDDEN))
    if forbidden:
        problems.append(f"by-products of the repository in the wheel: {forbidden[:10]}")
    expected = {name for name in staged if not any(fnmatch.fnmatch(name, pattern) for pattern in FORBIDDEN)}
    missing = sorted(expected - inside)
    if missing:
        problems.append(f"packaged files missing from the wheel: {missing[:10]}")
    extra = sorted(inside - expected - set(forbidden))
    if extra:
        problems.append(f"files in the wheel that git would not package: {extra[:10]}")
    for required in ("__init__.py", "__manifest__.py", "static/description/icon.png"):
        if required not in inside:
            problems.append(f"{required} is missing")
    for folder in REQUIRED_FOLDERS:
        if not any(name.startswith(folder + "/") for name in inside):
            problems.append(f"no file of {folder}/ in the wheel")
    for name in manifest.get("data", []) + manifest.get("demo", []):
        if name not in inside:
            problems.append(f"{name} (a data file of the manifest) is missing")
    for bundle, patterns in manifest.get("assets", {}).items():
        for entry in patterns:
            pattern = entry[1] if isinstance(entry, (list, tuple)) else entry
            relative = pattern.split("/", 1)[1] if pattern.startswith(ADDON + "/") else None
            # "**/" of an asset glob also matches no folder at all
            variants = {relative, relative.replace("**/", "")} if relative else set()
            if relative and not any(fnmatch.fnmatch(name, variant) for name in inside for variant in variants):
                problems.append(f"no file of the asset {pattern} ({bundle}) in the wheel")
    for python_file in glob.glob("models/*.py", root_dir=ROOT):
        if python_file in expected and python_file not in inside:
            problems.append(f"{python_file} is missing")
    return inside


def check_odoo_finds_it(wheel, odoo_python, odoo_src, tmp, problems):
    """Install the wheel (without its dependencies) into a folder on Odoo's Python path, as
    pip would into Odoo's environment, and ask Odoo, whose addons path lacks this
    repository, where the addon is: it must be found in that folder, with its manifest."""
    target = Path(tmp) / "site"
    install = subprocess.run(
        [pip_python(tmp), "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        capture_output=True,
        text=True,
        check=False,
    )
    if install.returncode:
        problems.append(f"pip could not install the wheel: {install.stderr.strip()[-500:]}")
        return None
    probe = (
        "import odoo; from odoo.tools import config;"
        f"config.parse_config(['--addons-path={odoo_src}/odoo/addons']);"
        "import odoo.modules.module as m; m.initialize_sys_path();"
        f"print(m.get_module_path('{ADDON}')); print(m.get_manifest('{ADDON}')['version'])"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(target), odoo_src]))
    found = subprocess.run([odoo_python, "-c", probe], capture_output=True, text=True, env=env, cwd=tmp, check=False)
    lines = found.stdout.split()
    if found.returncode or len(lines) != 2 or lines[0] != str(target / "odoo" / "addons" / ADDON):
        output = f"{found.stdout.strip()} {found.stderr.strip()[-500:]}"
        problems.append(f"Odoo does not find the addon of the installed wheel: {output}")
        return None
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dist", default=str(ROOT / ".build" / "dist"), help="where to copy the wheel")
    parser.add_argument("--pip-timeout", type=int, default=300)
    parser.add_argument("--odoo-src", help="with --odoo-python: check that this Odoo finds the installed wheel")
    parser.add_argument("--odoo-python", help="the Python that runs Odoo (its virtualenv's)")
    args = parser.parse_args()
    manifest = ast.literal_eval((ROOT / "__manifest__.py").read_text(encoding="utf-8"))
    problems = []
    with tempfile.TemporaryDirectory(prefix="pos_dukkango_wheel_") as tmp:
        source, out = Path(tmp) / ADDON, Path(tmp) / "dist"
        staged = stage(source)
        print(f"staged {len(staged)} files of {ROOT} in {source}")
        wheel, output = build(source, out, args.pip_timeout)
        if wheel is None:
            print(output.rstrip())
            problems.append("pip could not build the wheel (see pip's output above; it needs whool from the index)")
        else:
            found = check_metadata(wheel, manifest, problems)
            if found:
                inside = check_files(found["names"], staged, manifest, problems)
                dist = Path(args.dist)
                dist.mkdir(parents=True, exist_ok=True)
                for old in dist.glob(f"odoo_addon_{ADDON}-*.whl"):
                    old.unlink()
                shutil.copy2(wheel, dist / wheel.name)
                if args.odoo_src and args.odoo_python and not problems:
                    found_at = check_odoo_finds_it(wheel, args.odoo_python, args.odoo_src, tmp, problems)
                    if found_at:
                        print(f"installed with pip --target: Odoo finds {ADDON} {found_at[1]} in {found_at[0]}")
                folders = sorted({name.split("/")[0] for name in inside if "/" in name})
                print(
                    f"built {dist / wheel.name} ({wheel.stat().st_size // 1024} KiB): {found['meta']['Name']} "
                    f"{found['meta']['Version']}, requires {', '.join(found['requires'])}; "
                    f"{len(inside)} files in {PREFIX} ({', '.join(folders)})"
                )
    for problem in problems:
        print(f"FAIL: {problem}")
    print(f"wheel: {0 if problems else 1} passed, {1 if problems else 0} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
