#!/usr/bin/env bash
# Whole-process benchmark of `candor build` / `candor check` on synthetic sites (see benches/README.md).
#   benches/build.sh [--n "1000 10000"] [--runs 5] [--no-wait]   env: SIZES, RUNS, GEN, CANDOR_BENCH_DIR
# Not part of CI's test run.
set -euo pipefail
export LC_ALL=C # '.' as decimal separator in $EPOCHREALTIME, awk and printf

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GEN=${GEN:-$ROOT/../shared/bench/gen_sites.py}
BENCH_DIR=${CANDOR_BENCH_DIR:-/tmp/candor-bench}
SIZES=${SIZES:-1000 10000 100000}
RUNS=${RUNS:-5}
RUN_DIR=$BENCH_DIR/runs # every output of one invocation: nothing is deleted until the end
STAMP=$BENCH_DIR/last-cleanup
# ext4 without a journal (this machine's disk) skips inodes freed in the last 60 s, or 360 s while
# their inode table is unwritten (fs/ext4/ialloc.c, recently_deleted): file creation right after a
# big `rm -rf` scans past them and is several times slower. Timed runs never follow a deletion.
QUIET=360
WAIT=1
NOW=2025-12-01T00:00:00Z # the generator's end date
CSTATE_REF=([1000]=5.4 [10000]=646) # cState on Hugo, wall s, /work/shared/bench/README.md

usage() { sed -n '2,4s/^# \{0,1\}//p' "$0"; exit "${1:-0}"; }
die() { echo "build.sh: $*" >&2; exit 2; }
while (($#)); do
  case $1 in
    --n) SIZES=${2:?--n needs a value}; shift 2 ;;
    --runs) RUNS=${2:?--runs needs a value}; shift 2 ;;
    --no-wait) WAIT=; shift ;;
    -h|--help) usage 0 ;;
    *) echo "build.sh: unknown argument $1" >&2; usage 2 ;;
  esac
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, got '$RUNS'"
for n in $SIZES; do [[ $n =~ ^[1-9][0-9]*$ ]] || die "sizes must be positive integers, got '$n'"; done
((RUNS >= 5)) || echo "build.sh: note: RUNS=$RUNS (< 5): not enough runs for reportable figures" >&2

# --- tools: GNU time (for CPU and peak RSS), python3 (for the generator), cargo ---
if ! /usr/bin/time -f %e true >/dev/null 2>&1; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "build.sh: installing GNU time (apt-get install -y time)" >&2
    apt-get install -y -q time >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q time >/dev/null; }
  else
    die "needs GNU time at /usr/bin/time: run 'sudo apt-get install -y time'"
  fi
fi
command -v python3 >/dev/null || die "needs python3 for the site generator"
[[ -f $GEN ]] || die "site generator not found at $GEN (set GEN=/path/to/gen_sites.py)"

echo "== cargo build --release" >&2
(cd "$ROOT" && cargo build --release --quiet) || die "cargo build --release failed (is an edit in src/ half-way?)"
TMP=$(mktemp -d)
# cleanup: remove this run's outputs, and note when (and how many files) for the next run's wait.
cleanup() {
  rm -rf "$TMP"
  if [[ -d $RUN_DIR ]]; then
    local count; count=$(find "$RUN_DIR" | wc -l)
    echo "== removing the outputs of this run ($(commas "$count") entries in $RUN_DIR)" >&2
    rm -rf "$RUN_DIR" && echo "$count" >"$STAMP"
  fi
}
trap cleanup EXIT
BIN=$TMP/candor # a copy, so that someone's `cargo build --release` meanwhile does not swap it mid-run
cp "$ROOT/target/release/candor" "$BIN"

# timed REC CMD...: run CMD once under GNU time; append "wall_s cpu_s rss_kib user_s sys_s" to REC.
# Wall comes from bash's microsecond clock (GNU time's %e has only 10 ms resolution).
timed() {
  local rec=$1 t0 t1; shift
  t0=$EPOCHREALTIME
  if ! /usr/bin/time -o "$TMP/time" -f '%U %S %M' "$@" >"$TMP/stdout" 2>"$TMP/stderr"; then
    cat "$TMP/stderr" >&2; die "failed: $*"
  fi
  t1=$EPOCHREALTIME
  awk -v w="$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')" '{printf "%.6f %.2f %d %.2f %.2f\n", w, $1+$2, $3, $1, $2}' \
    "$TMP/time" >>"$rec"
}
# bench NAME CMD...: one untimed warm-up, then RUNS timed runs, each after a `sync` (so the
# writeback of one run does not land in the next). `{fresh}` in CMD becomes a new folder each run.
bench() {
  local name=$1 i; shift
  : >"$TMP/$name"; : >"$TMP/$name.out"
  for ((i = 0; i <= RUNS; i++)); do
    local args=("${@//\{fresh\}/$RUN_DIR/$n-$name-$i}")
    sync
    if ((i == 0)); then timed "$TMP/warmup" "${args[@]}"; continue; fi
    timed "$TMP/$name" "${args[@]}"; cat "$TMP/stdout" >>"$TMP/$name.out"
  done
}
# settle: wait out the kernel's memory of the last run's deletions (see QUIET above).
settle() {
  [[ -f $STAMP ]] || return 0
  local age=$(($(date +%s) - $(stat -c %Y "$STAMP"))) count; count=$(cat "$STAMP")
  ((age < QUIET && count > 5000)) || return 0
  if [[ -z $WAIT ]]; then
    echo "build.sh: warning: $(commas "$count") files were deleted ${age} s ago; clean builds and cp -r may be slow (--no-wait)" >&2
    return 0
  fi
  echo "== waiting $((QUIET - age)) s: the last run deleted $(commas "$count") files ${age} s ago, and ext4 without a" \
    "journal makes new files slow for up to ${QUIET} s after a deletion (--no-wait skips this)" >&2
  sleep $((QUIET - age))
}
# med: numbers on stdin -> "median min max"
med() { sort -g | awk '{v[NR]=$1} END{printf "%.6f %.6f %.6f\n", NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2, v[1], v[NR]}'; }
# stats NAME -> "wall_median wall_min wall_max cpu_median rss_max_kib user_median sys_median"
stats() {
  echo "$(cut -d' ' -f1 "$TMP/$1" | med) $(cut -d' ' -f2 "$TMP/$1" | med | cut -d' ' -f1)" \
    "$(cut -d' ' -f3 "$TMP/$1" | sort -g | tail -1)" \
    "$(cut -d' ' -f4 "$TMP/$1" | med | cut -d' ' -f1) $(cut -d' ' -f5 "$TMP/$1" | med | cut -d' ' -f1)"
}
commas() { sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$1"; }
fmt_s() { awk -v x="$1" 'BEGIN{ if (x < 1) printf "%.0f ms", x*1000; else printf "%.2f s", x }'; }
calc() { awk "BEGIN{printf \"%.2f\", $1}"; }
row() { # row LABEL NAME
  local m lo hi cpu rss us sy; read -r m lo hi cpu rss us sy < <(stats "$2")
  printf '| %s | %s (%s–%s) | %.2f (%.2f + %.2f) | %s | %.1f MiB |\n' "$1" "$(fmt_s "$m")" "$(fmt_s "$lo")" \
    "$(fmt_s "$hi")" "$cpu" "$us" "$sy" "$(calc "$cpu / ($m > 0 ? $m : 1)")" "$(calc "$rss / 1024")"
}
declare -A R # results per N, for the summary
if [[ -d $RUN_DIR ]]; then # left by a run that was killed
  echo "== removing $RUN_DIR, left by an earlier run" >&2
  rm -rf "$RUN_DIR" && echo 1000000 >"$STAMP"
fi
# Free space: every timed run keeps its output (about 16 KB a incident), until the end.
need_kb=0
for n in $SIZES; do need_kb=$((need_kb + n * 16 * (2 * RUNS + 2))); done
mkdir -p "$BENCH_DIR"
avail_kb=$(df -Pk "$BENCH_DIR" | awk 'NR==2{print $4}')
((avail_kb > need_kb)) || die "needs about $((need_kb / 1048576 + 1)) GiB free in $BENCH_DIR for the outputs, has $((avail_kb / 1048576)) GiB"
settle
mkdir -p "$RUN_DIR"

for n in $SIZES; do
  site=$BENCH_DIR/site-$n out=$RUN_DIR/$n-clean-$RUNS # the last clean build's output
  if [[ ! -f $site/status.yaml ]]; then # generate once, into a temporary folder, then move in place
    echo "== generating $n incidents into $site" >&2
    mkdir -p "$BENCH_DIR" && rm -rf "$site" "$site.partial"
    python3 "$GEN" --format candor --n "$n" --out "$site.partial" >&2 && mv "$site.partial" "$site"
  fi
  load=$(cut -d' ' -f1 /proc/loadavg)
  echo "== $n incidents: clean build, rebuild, check, cp -r ($RUNS runs each + 1 warm-up)" >&2
  bench clean "$BIN" build --root "$site" --output "{fresh}" --now "$NOW"
  bench rebuild "$BIN" build --root "$site" --output "$out" --now "$NOW"
  (($(grep -c ': 0 files written' "$TMP/rebuild.out") == RUNS)) ||
    die "a rebuild of $n with nothing changed rewrote files: $(cat "$TMP/rebuild.out")"
  rebuild_line=$(tail -1 "$TMP/rebuild.out")
  bench check "$BIN" check --root "$site" --now "$NOW"
  files=$(find "$out" -type f | wc -l) bytes=$(du -sb "$out" | cut -f1)
  # The output opens and links: every incident reachable through the history pages' links.
  reach=$(python3 "$ROOT/benches/reachable.py" "$out") || die "$n: the history does not reach every incident: $reach"
  bench copy cp -r "$out" "{fresh}"

  read -r cm _ _ ccpu crss _ < <(stats clean); read -r rm_ _ _ _ _ < <(stats rebuild)
  read -r km _ _ _ _ < <(stats check); read -r pm _ _ _ _ < <(stats copy)
  R[$n]="$cm $ccpu $crss $rm_ $km $pm"
  printf '\n### %s incidents (runs: %s, median (min–max), warm cache; load average before: %s, after: %s)\n\n' \
    "$(commas "$n")" "$RUNS" "$load" "$(cut -d' ' -f1 /proc/loadavg)"
  echo '| step | wall | CPU s (user + sys) | CPU/wall (cores busy) | peak RSS |'
  echo '|---|---|---|---|---|'
  row "clean build" clean; row "rebuild, nothing changed" rebuild; row "check" check; row "cp -r of the output" copy
  printf '\noutput: %s files, %s bytes (%.1f MB); rebuild says "%s"\n%s\n' "$(commas "$files")" "$(commas "$bytes")" "$(calc "$bytes / 1e6")" "$rebuild_line" "$reach"
  printf 'build / cp -r = %s×; rebuild / check = %s×; clean build per incident = %s µs\n' \
    "$(calc "$cm / $pm")" "$(calc "$rm_ / $km")" "$(calc "$cm / $n * 1e6")"
done

# --- summary of the targets (issue: 2-core machine) ---
verdict() { awk "BEGIN{exit !($1)}" && echo PASS || echo FAIL; }
printf '\n### Targets\n\n| target | measured | verdict |\n|---|---|---|\n'
for n in $SIZES; do
  read -r cm ccpu _ rm_ km pm <<<"${R[$n]}"
  printf '| rebuild ≤ 1.5× check (%s) | %s× | %s |\n' "$n" "$(calc "$rm_ / $km")" "$(verdict "$rm_ <= 1.5 * $km")"
  printf '| both cores busy: clean build CPU/wall (%s) | %s | %s |\n' "$n" "$(calc "$ccpu / $cm")" \
    "$(verdict "$ccpu / $cm >= 1.5")"
  if [[ -n ${CSTATE_REF[$n]:-} ]]; then
    want=$((n == 1000 ? 25 : 500)) sp=$(calc "${CSTATE_REF[$n]} / $cm")
    printf '| ≥ %s× faster than cState on Hugo (%s s, reference run) at %s | %s× | %s |\n' \
      "$want" "${CSTATE_REF[$n]}" "$n" "$sp" "$(verdict "$sp >= $want")"
  fi
done
if [[ -n ${R[10000]:-} ]]; then
  read -r cm _ _ _ _ pm <<<"${R[10000]}"
  printf '| clean build ≤ 3× cp -r at 10000 | %s× | %s |\n' "$(calc "$cm / $pm")" "$(verdict "$cm <= 3 * $pm")"
fi
if [[ -n ${R[100000]:-} ]]; then
  read -r cm100 _ rss _ _ _ <<<"${R[100000]}"
  printf '| peak RSS < 1 GiB at 100000 | %.0f MiB | %s |\n' "$(calc "$rss / 1024")" "$(verdict "$rss < 1048576")"
  if [[ -n ${R[10000]:-} ]]; then
    read -r cm10 _ <<<"${R[10000]}"
    printf '| per-incident time at 100000 ≤ 1.5× at 10000 | %s× | %s |\n' \
      "$(calc "($cm100 / 100000) / ($cm10 / 10000)")" "$(verdict "$cm100 / 100000 <= 1.5 * $cm10 / 10000")"
  fi
fi
printf '\ncState figures are from another run (/work/shared/bench/README.md); machine speed drifts, so read those as rough ratios.\n'
printf 'Other processes (load average above 0.5) skew wall times, kernel (sys) time above all: rerun on an idle machine.\n'
