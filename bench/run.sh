#!/bin/sh
# Benchmark: enquire against Hugo on the same pages (not a test).
#
#   sh bench/run.sh [CASES] [RUNS]      (defaults: 10000 cases, 3 runs each)
#
# Makes the synthetic corpus with shared/bench/gen-corpus.py (a git
# repository for enquire and a Hugo site over the same Markdown), then
# alternates enquire and hugo runs and reports the median wall time and
# peak memory (max RSS) of each, and their ratios, as a Markdown table.
# Needs: hugo and GNU time (apt-get install hugo time).
set -eu
. "$(dirname "$0")/corpus.sh"
# Outputs go to RAM (tmpfs) by default: on a disk, file creation time
# depends on the file system's history (ext4 slows down sharply after many
# thousands of files were deleted), which would measure the disk, not the
# generators. Set BENCH_OUT to a folder on disk to include it.
out=${BENCH_OUT:-/dev/shm/enquire-bench-out}
mkdir -p "$out"
threads=$(nproc)

for tool in hugo /usr/bin/time python3; do
	command -v "$tool" >/dev/null || { echo "bench: '$tool' is missing (apt-get install hugo time python3)" >&2; exit 1; }
done
[ -x "$enquire" ] || { echo "bench: build enquire first (make enquire)" >&2; exit 1; }
corpus

# measure NAME CMD...: appends "wall_seconds max_rss_kb" to $work/NAME.times
measure() {
	name=$1; shift
	/usr/bin/time -f "%e %M" -o "$work/time.out" "$@" >/dev/null 2>"$work/$name.log" || {
		echo "bench: $name failed:" >&2; tail -5 "$work/$name.log" >&2; exit 1; }
	tail -1 "$work/time.out" >>"$work/$name.times"
}

rm -f "$work"/*.times
for i in $(seq "$runs"); do
	rm -rf "$out/enquire"
	# --no-cache: a full build every time (the cache beside the output
	# would otherwise let each run reuse the last one's history walk).
	# ENQUIRE_TIMING costs nothing measurable; its stage times are shown.
	measure enquire env ENQUIRE_TIMING=1 "$enquire" build "$kb" \
		--out "$out/enquire" --quiet --no-cache
	rm -rf "$out/hugo"
	measure hugo hugo --quiet -s "$hugo_site" -d "$out/hugo"
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
e_wall=$(cut -d' ' -f1 "$work/enquire.times" | median)
e_mem=$(cut -d' ' -f2 "$work/enquire.times" | median)
h_wall=$(cut -d' ' -f1 "$work/hugo.times" | median)
h_mem=$(cut -d' ' -f2 "$work/hugo.times" | median)
e_pages=$(find "$out/enquire" -name '*.html' | wc -l)
h_pages=$(find "$out/hugo" -name '*.html' | wc -l)
rm -rf "$out/enquire" "$out/hugo"

echo
echo "Output written to $out."
echo "Corpus: $cases case studies, $(ls "$kb/enquiries" | wc -l) enquiries, $(ls "$kb/dissemination" | wc -l) dissemination items; $threads cores; median of $runs runs."
echo
echo "| | wall time | peak memory | HTML pages written |"
echo "|---|---:|---:|---:|"
echo "| enquire $("$enquire" --version | cut -d' ' -f2) | ${e_wall} s | $((e_mem / 1024)) MB | $e_pages |"
echo "| hugo $(hugo version | sed -n 's/.*v\([0-9.]*\).*/\1/p') | ${h_wall} s | $((h_mem / 1024)) MB | $h_pages |"
awk -v ew="$e_wall" -v hw="$h_wall" -v em="$e_mem" -v hm="$h_mem" 'BEGIN {
	printf "| enquire / hugo | %.2f | %.2f | |\n", ew / hw, em / hm }'
echo
echo "enquire's stages in the last run (ENQUIRE_TIMING):"
echo
echo "| stage | seconds | peak memory so far |"
echo "|---|---:|---:|"
sed -n 's/^enquire: timing: \([a-z]*\) *\([0-9.]*\) s .*peak \([0-9]*\) MB.*/| \1 | \2 | \3 MB |/p' \
	"$work/enquire.log"
