#!/bin/sh
# Benchmark (not a test): full build against Hugo, a rebuild after a
# one-file commit, the history walk's share, and raw cmark-gfm over the
# same Markdown as the floor.
#
#   sh bench/incremental.sh [CASES] [RUNS]     (defaults: 10000, 3)
#
# Uses the corpus of bench/run.sh (BENCH_DIR, default /tmp/enquire-bench);
# commits go to a clone of it, never to the corpus. Needs hugo, GNU time,
# and cmark-gfm (apt-get install cmark-gfm) for the floor.
set -eu
. "$(dirname "$0")/corpus.sh"
out=${BENCH_OUT:-/dev/shm/enquire-bench-incr}
corpus
rm -rf "$out" && mkdir -p "$out"
clone=$out/kb
git clone -q "$kb" "$clone"
export ENQUIRE_CACHE_DIR="$out/cache"

# t CMD...: wall seconds of one run
t() { /usr/bin/time -f %e -o "$out/t" "$@" >/dev/null 2>&1 || { echo "bench: failed: $*" >&2; exit 1; }; cat "$out/t"; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

: >"$out/full"; : >"$out/hugo"; : >"$out/incr"; : >"$out/hist"; : >"$out/cmark"
for i in $(seq "$runs"); do
	rm -rf "$out/site" "$out/cache"
	t "$enquire" build "$clone" --out "$out/site" --quiet >>"$out/full"
	rm -rf "$out/hugo-out"
	t hugo --quiet -s "$hugo_site" -d "$out/hugo-out" >>"$out/hugo"
	# one-file commit, then rebuild on the warm cache
	f=$(ls "$clone/case-studies" | sed -n "$((i * 37))p")
	printf '\nEdited in run %s.\n' "$i" >>"$clone/case-studies/$f"
	git -C "$clone" commit -q -am "bench edit $i"
	t "$enquire" build "$clone" --out "$out/site" --quiet >>"$out/incr"
	# the history walk alone, from scratch
	rm -rf "$out/cache"
	ENQUIRE_TIMING=1 "$enquire" build "$clone" --out "$out/site" --quiet --no-cache 2>&1 |
		awk '/timing: history/ {print $4}' >>"$out/hist"
	if command -v cmark-gfm >/dev/null; then
		t sh -c "cat '$clone'/case-studies/*.md '$clone'/enquiries/*.md '$clone'/dissemination/*.md | cmark-gfm -e table >/dev/null" >>"$out/cmark"
	fi
done
full=$(median <"$out/full"); hugo=$(median <"$out/hugo"); incr=$(median <"$out/incr")
hist=$(median <"$out/hist"); cmark=$(median <"$out/cmark")
echo "Corpus: $cases case studies; $(nproc) cores; median of $runs runs; outputs in $out."
echo
echo "| | wall time | vs full build |"
echo "|---|---:|---:|"
echo "| enquire, full build | $full s | 1.00 |"
awk -v f="$full" -v h="$hugo" -v i="$incr" -v hi="$hist" -v c="${cmark:-0}" 'BEGIN {
	printf "| hugo, full build | %s s | %.2f (enquire/hugo %.2f) |\n", h, h / f, f / h
	printf "| enquire, after a one-file commit | %s s | %.2f |\n", i, i / f
	printf "| history walk, no cache | %s s | %.2f |\n", hi, hi / f
	if (c > 0) printf "| cmark-gfm over the same Markdown (floor) | %s s | %.2f |\n", c, c / f
}'
rm -rf "$out"
