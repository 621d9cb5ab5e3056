#!/usr/bin/env python3
"""Plays the Dockerfile's steps without Docker (no image registry is reachable from CI).

What it does, as `docker build --build-arg CANDOR_COMMIT=… .` would:
- makes the build context from the repository folder, leaving out what .dockerignore names;
- runs the builder stage's RUN commands verbatim (`sh -c`) in a copy of that context, with the
  stage's ARG and ENV values, WORKDIR mapped to a folder of its own;
- checks each runtime stage COPY --from source exists, copies it, and runs the binary as the
  image's ENTRYPOINT would: `--version` names the commit passed in, and `init` + `build` work
  from WORKDIR; checks that its shared libraries are the C library's only (the runtime image has
  no others) and that the runtime stage's apt packages exist in Debian bookworm (apt-cache).

What it cannot check: the base images themselves (rust:1-slim-bookworm, debian:bookworm-slim)
and the runtime stage's RUN (apt-get inside the image). To keep CI short, the release profile is
played at opt-level 0 (CARGO_PROFILE_RELEASE_OPT_LEVEL=0): the same command, files and flags,
without the optimiser's minutes.

Usage: .ci/dockerfile.py REPO WORKDIR   (WORKDIR: an empty scratch folder, kept for speed)
"""

import fnmatch
import json
import os
import re
import shlex
import shutil
import subprocess
import sys

LIBC = {"linux-vdso.so.1", "libc.so.6", "libm.so.6", "libgcc_s.so.1", "libpthread.so.0",
        "libdl.so.2", "librt.so.1", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1"}


def fail(message):
    print(f"dockerfile: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def instructions(text):
    """(line number, INSTRUCTION, arguments), continuation lines joined, comments dropped."""
    out, pending, start = [], "", 0
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if pending and stripped.startswith("#"):
            continue
        if not pending:
            start = number
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        whole = pending + stripped
        pending = ""
        word, _, rest = whole.partition(" ")
        out.append((start, word.upper(), rest.strip()))
    return out


def ignored(patterns, path):
    """Whether .dockerignore's patterns leave `path` (relative, `/`-separated) out: the last
    matching pattern wins, `!` re-includes, a pattern naming a folder leaves out all below it."""
    verdict = False
    for pattern in patterns:
        keep = pattern.startswith("!")
        pattern = pattern.lstrip("!").strip("/")
        regex = fnmatch.translate(pattern).replace(".*", "[^/]*").replace("[^/]*[^/]*", ".*")
        parts = path.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        if any(re.fullmatch(regex, p) for p in prefixes):
            verdict = not keep
    return verdict


def context(repo, into):
    patterns = []
    ignore = os.path.join(repo, ".dockerignore")
    if os.path.exists(ignore):
        for line in open(ignore, encoding="utf-8"):
            line = line.strip()
            if line and not line.startswith("#"):
                patterns.append(line)
    sent = 0
    for folder, dirs, files in os.walk(repo):
        rel_folder = os.path.relpath(folder, repo)
        rel = "" if rel_folder == "." else rel_folder.replace(os.sep, "/") + "/"
        dirs[:] = [d for d in dirs if not ignored(patterns, rel + d)]
        for name in files:
            if ignored(patterns, rel + name):
                continue
            target = os.path.join(into, rel, name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copy2(os.path.join(folder, name), target, follow_symlinks=False)
            sent += 1
    return sent


def expand(value, env):
    return re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: env.get(m.group(1) or m.group(2), ""), value)


def stages(steps):
    """[(name, [(line, INSTRUCTION, args)])] in order."""
    out = []
    for line, word, args in steps:
        if word == "FROM":
            parts = args.split()
            name = parts[2] if len(parts) >= 3 and parts[1].upper() == "AS" else str(len(out))
            out.append((name, parts[0], []))
        elif not out:
            if word != "ARG":
                fail(f"line {line}: {word} before FROM")
        else:
            out[-1][2].append((line, word, args))
    return out


def play(repo, work, commit):
    steps = instructions(open(os.path.join(repo, "Dockerfile"), encoding="utf-8").read())
    played = stages(steps)
    if len(played) < 2:
        fail("expected a builder stage and a runtime stage")
    roots = {}
    final_entrypoint, final_workdir, final_root = None, "/", None
    for index, (name, image, body) in enumerate(played):
        root = os.path.join(work, f"stage-{name}")
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
        roots[name] = root
        env = dict(os.environ)
        workdir = "/"
        print(f"dockerfile: stage {name} (FROM {image}: not checked, no registry here)")
        for line, word, args in body:
            where = lambda p: os.path.join(root, p.lstrip("/"))
            if word == "ARG":
                key, _, default = args.partition("=")
                env[key] = {"CANDOR_COMMIT": commit}.get(key, default.strip('"'))
            elif word == "ENV":
                key, _, value = args.partition("=")
                env[key] = expand(value.strip('"'), env)
            elif word == "WORKDIR":
                workdir = os.path.join(workdir, args)
                os.makedirs(where(workdir), exist_ok=True)
            elif word == "COPY":
                parts = shlex.split(args)
                source_stage = None
                if parts[0].startswith("--from="):
                    source_stage = parts.pop(0)[len("--from="):]
                source, dest = parts[0], parts[1]
                dest = dest if dest.startswith("/") else os.path.join(workdir, dest)
                if source_stage is None:
                    if source != ".":
                        fail(f"line {line}: only `COPY . DEST` is played")
                    sent = context(repo, where(dest))
                    print(f"dockerfile: line {line}: the build context, {sent} files")
                else:
                    origin = os.path.join(roots[source_stage], source.lstrip("/"))
                    if not os.path.exists(origin):
                        fail(f"line {line}: {source} does not exist in stage {source_stage}")
                    os.makedirs(os.path.dirname(where(dest)), exist_ok=True)
                    shutil.copy2(origin, where(dest))
                    print(f"dockerfile: line {line}: {source} from stage {source_stage}")
            elif word == "RUN":
                if index + 1 == len(played):
                    packages = re.findall(r"--no-install-recommends ([a-z0-9 .+-]+)", args)
                    check_packages(line, " ".join(packages).split())
                    continue
                print(f"dockerfile: line {line}: RUN {args}", flush=True)
                # The context has no target/ (.dockerignore), as in Docker; the scratch
                # folder keeps the compiled dependencies between runs of this script.
                target = os.path.join(where(workdir), "target")
                if not os.path.lexists(target):
                    os.makedirs(os.path.join(work, "cargo-target"), exist_ok=True)
                    os.symlink(os.path.join(work, "cargo-target"), target)
                run_env = dict(env, CARGO_PROFILE_RELEASE_OPT_LEVEL="0",
                               CARGO_PROFILE_RELEASE_DEBUG="false")
                if subprocess.run(["sh", "-c", args], cwd=where(workdir), env=run_env).returncode:
                    fail(f"line {line}: RUN {args}")
            elif word == "ENTRYPOINT":
                final_entrypoint = json.loads(args)
            elif word == "CMD":
                json.loads(args)
            else:
                fail(f"line {line}: {word} is not played by this script; teach it")
        final_workdir, final_root = workdir, root
    return final_root, final_entrypoint, final_workdir


def check_packages(line, packages):
    if not shutil.which("apt-cache"):
        print(f"dockerfile: line {line}: apt-cache absent, packages {packages} not checked")
        return
    for package in packages:
        shown = subprocess.run(["apt-cache", "show", package], capture_output=True, text=True)
        if shown.returncode or "Package:" not in shown.stdout:
            fail(f"line {line}: Debian has no package {package} (run apt-get update?)")
    print(f"dockerfile: line {line}: Debian packages exist: {' '.join(packages)}")


def check_image(root, entrypoint, workdir, commit):
    if not entrypoint:
        fail("the runtime stage has no ENTRYPOINT")
    binary = os.path.join(root, "usr/local/bin", entrypoint[0])
    if not os.access(binary, os.X_OK):
        fail(f"the ENTRYPOINT {entrypoint[0]} is not in the image's /usr/local/bin")
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout
    if commit not in version:
        fail(f"`candor --version` says {version!r}, without the commit {commit}")
    print(f"dockerfile: the image's candor --version: {version.strip()}")
    libraries = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    names = {l.split()[0].rsplit("/", 1)[-1] for l in libraries.splitlines() if l.strip()}
    extra = names - LIBC
    if extra:
        fail(f"the binary needs libraries the runtime image lacks: {sorted(extra)}")
    site = os.path.join(root, workdir.lstrip("/"))
    for args in (["init", "."], ["build"]):
        done = subprocess.run([binary, *args], cwd=site, capture_output=True, text=True)
        if done.returncode:
            fail(f"`candor {' '.join(args)}` in WORKDIR: {done.stderr}")
    if not os.path.exists(os.path.join(site, "public/index.html")):
        fail("`candor build` in WORKDIR wrote no public/index.html")
    print(f"dockerfile: `candor init` and `candor build` work in WORKDIR {workdir}")


def main():
    repo, work = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    os.makedirs(work, exist_ok=True)
    commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=repo,
                            capture_output=True, text=True).stdout.strip() or "test-commit"
    root, entrypoint, workdir = play(repo, work, commit)
    check_image(root, entrypoint, workdir, commit)
    print("dockerfile: every step that can be played without Docker passed")


if __name__ == "__main__":
    main()
