#!/usr/bin/env bash
# Questions in staff's own words: run the shared runner on the dev set with this checkout's
# venv and fail below the threshold (the runner itself always exits 0).
# Usage: .ci/ask_check.sh [QUESTIONS_FILE] [MIN_PERCENT]; ASK_SHARED overrides ../shared.
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${ASK_SHARED:-../shared}"
runner="$shared/questions/ask_eval.py"
questions="${1:-$shared/questions/dev.tsv}"
min="${2:-90}"
python="$(pwd)/.venv/bin/python"
for needed in "$runner" "$questions" "$python"; do
    if [ ! -e "$needed" ]; then
        echo "ask check: $needed is missing (the runner and dev set live in $shared/questions/)" >&2
        exit 1
    fi
done
output="$("$python" "$runner" "$questions" --python "$python")" || {
    echo "ask check: the runner failed" >&2
    echo "$output" >&2
    exit 1
}
echo "$output"
last="$(printf '%s\n' "$output" | tail -n 1)"
if [[ ! "$last" =~ ^answered\ ([0-9]+)/([0-9]+)\ \(([0-9]+)%\) ]]; then
    echo "ask check: cannot read the runner's last line: $last" >&2
    exit 1
fi
answered="${BASH_REMATCH[1]}"
total="${BASH_REMATCH[2]}"
if [ "$total" -eq 0 ]; then
    echo "ask check: no graded questions in $questions" >&2
    exit 1
fi
# Integer arithmetic: answered/total >= min/100.
if [ $((answered * 100)) -lt $((min * total)) ]; then
    echo "ask check: $answered/$total answered at the first reply, below ${min}%" >&2
    exit 1
fi
echo "ask check: $answered/$total answered at the first reply (threshold ${min}%)"
