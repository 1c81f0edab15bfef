#!/usr/bin/env bash
# Try this checkout's pre-commit hooks (.pre-commit-hooks.yaml) for real, by hand.
#
#   scripts/try-pre-commit.sh
#
# Not a CI test: it needs PyPI. pre-commit builds each hook's environment by
# pip-installing this checkout with its dependencies (libcst, click, pathspec), and when
# `pre-commit` is not on PATH the script first installs it into a temporary virtualenv.
#
# In a scratch git repository holding a copy of samples/, it runs
#   1. pre-commit try-repo <this checkout> flask-fix-check --all-files   (fails, writes nothing)
#   2. pre-commit try-repo <this checkout> flask-fix --all-files         (fixes; fails: files changed)
#   3. pre-commit try-repo <this checkout> flask-fix-check --all-files   (what fixing left)
#   4. pre-commit try-repo <this checkout> flask-fix --all-files         (changes nothing now)
#   5. pre-commit run --all-files with a .pre-commit-config.yaml shaped like the README's:
#      `repo:` the checkout's absolute path, `rev:` its HEAD commit
# and prints each step's output and exit code. Steps 3 and 4 still fail (exit 1) on the
# findings no default fix takes care of, as `flask-fix` does. try-repo takes the
# checkout's committed state plus its staged files and its changes to tracked files;
# step 5 takes the committed state only.
# Everything is made under one temporary folder, removed at the end (KEEP=1 keeps it).
set -euo pipefail

checkout=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/flask-fix-try-pre-commit.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then
  echo "scratch folder (kept): $scratch"
else
  trap 'rm -rf "$scratch"' EXIT
fi
export PRE_COMMIT_HOME="$scratch/pre-commit-cache"  # fresh hook environments

if command -v pre-commit >/dev/null 2>&1; then
  pre_commit=$(command -v pre-commit)
else
  python3 -m venv "$scratch/venv"
  "$scratch/venv/bin/pip" install --quiet pre-commit
  pre_commit="$scratch/venv/bin/pre-commit"
fi
echo "+ $("$pre_commit" --version)"

repo="$scratch/repo"
mkdir -p "$repo"
# the tracked files of samples/ (no caches), as they are in the work tree
git -C "$checkout" ls-files -z samples | (cd "$checkout" && xargs -0 cp --parents -t "$repo")
cd "$repo"
git init --quiet
git add --all  # pre-commit --all-files runs on the files git tracks
git -c user.name=try-pre-commit -c user.email=try-pre-commit@localhost \
  commit --quiet --message "samples/ as they are"

step() {
  echo
  echo "+ pre-commit try-repo $checkout $*"
  set +e
  "$pre_commit" try-repo "$checkout" "$@"
  local status=$?
  set -e
  echo "exit code: $status"
}

step flask-fix-check --all-files
step flask-fix --all-files
echo
echo "+ git diff --stat (what the flask-fix hook changed in the copy of samples/)"
git --no-pager diff --stat
git add --all  # staged, as a user would before committing again
step flask-fix-check --all-files
step flask-fix --all-files

git reset --quiet --hard  # the samples as they were, for the configured hook
cat > .pre-commit-config.yaml <<CONFIG
repos:
  - repo: $checkout
    rev: $(git -C "$checkout" rev-parse HEAD)
    hooks:
      - id: flask-fix-check
CONFIG
git add .pre-commit-config.yaml  # pre-commit refuses an unstaged configuration
echo
echo "+ pre-commit run --all-files, with this .pre-commit-config.yaml:"
cat .pre-commit-config.yaml
set +e
"$pre_commit" run --all-files
echo "exit code: $?"
set -e
