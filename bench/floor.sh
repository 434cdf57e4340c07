#!/bin/sh
# Benchmark (not a test): the CPU a full build cannot avoid, against the
# CPU that 1/8 of Hugo's wall time allows on this machine's cores.
#
#   sh bench/floor.sh [CASES] [RUNS]     (defaults: 10000, 3)
#
# Three parts are outside enquire's code, so no design of it can go
# under them: cmark-gfm (a fixed dependency) over the Markdown, reading
# every blob of the commit from git, and creating the site's files
# (the same tree enquire writes, unpacked by tar with the fewest system
# calls: open, write, close, mkdir). Two more are enquire's own, timed
# inside a --no-cache build: the history walk (dates and authors) and
# tokenising the documents for search (libunistring and libstemmer).
# Needs hugo, GNU time and cmark-gfm. Prints a Markdown table.
set -eu
. "$(dirname "$0")/corpus.sh"
out=${BENCH_OUT:-/dev/shm/enquire-bench-floor}
corpus
rm -rf "$out" && mkdir -p "$out"
cores=$(nproc)

# cpu CMD...: user + system seconds of one run of CMD
cpu() { /usr/bin/time -f '%U %S' -o "$out/t" "$@" >/dev/null 2>&1 ||
	{ echo "bench: failed: $*" >&2; exit 1; }; awk '{print $1 + $2}' "$out/t"; }
wall() { /usr/bin/time -f %e -o "$out/t" "$@" >/dev/null 2>&1 ||
	{ echo "bench: failed: $*" >&2; exit 1; }; cat "$out/t"; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

cat "$kb"/case-studies/*.md "$kb"/enquiries/*.md "$kb"/dissemination/*.md >"$out/all.md"
"$enquire" build "$kb" --out "$out/site" --quiet --no-cache >/dev/null 2>&1
tar cf "$out/site.tar" -C "$out/site" .

for f in hugo cmark blobs files hist tokens; do : >"$out/$f"; done
for i in $(seq "$runs"); do
	rm -rf "$out/hugo-out"
	wall hugo --quiet -s "$hugo_site" -d "$out/hugo-out" >>"$out/hugo"
	cpu cmark-gfm -e table "$out/all.md" >>"$out/cmark"
	cpu sh -c "git -C '$kb' ls-tree -r HEAD | awk '{print \$3}' | git -C '$kb' cat-file --batch" >>"$out/blobs"
	rm -rf "$out/untar" && mkdir "$out/untar"
	cpu tar xf "$out/site.tar" -C "$out/untar" --no-same-owner --no-same-permissions -m >>"$out/files"
	ENQUIRE_TIMING=1 "$enquire" build "$kb" --out "$out/site" --quiet --no-cache 2>&1 |
		awk '/timing: history/ {print $4} /timing:   search tokens/ {h = $7; gsub(/\(/, "", h); print h >"/dev/stderr"}' \
		>>"$out/hist" 2>>"$out/tokens"
done
hugo=$(median <"$out/hugo")
echo "Corpus: $cases case studies; $cores cores; median of $runs runs; $(find "$out/site" -type f | wc -l) files, $(du -sm "$out/site" | cut -f1) MB written."
echo
echo "| | CPU seconds |"
echo "|---|---:|"
awk -v h="$hugo" -v n="$cores" -v cm="$(median <"$out/cmark")" \
	-v bl="$(median <"$out/blobs")" -v fi="$(median <"$out/files")" \
	-v hi="$(median <"$out/hist")" -v to="$(median <"$out/tokens")" 'BEGIN {
	printf "| cmark-gfm over the Markdown | %.2f |\n", cm
	printf "| reading every blob from git | %.2f |\n", bl
	printf "| creating the site'"'"'s files | %.2f |\n", fi
	printf "| outside enquire'"'"'s code, in all | %.2f |\n", cm + bl + fi
	printf "| enquire'"'"'s history walk | %.2f |\n", hi
	printf "| enquire'"'"'s search tokenising | %.2f |\n", to
	printf "| all of the above | %.2f |\n", cm + bl + fi + hi + to
	printf "| budget: 1/8 of hugo'"'"'s %.2f s wall on %d cores | %.2f |\n", h, n, h / 8 * n
}'
rm -rf "$out"
