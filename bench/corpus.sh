# Sourced by the benchmark scripts (with their arguments: CASES RUNS):
# their common settings ($cases, $runs, $top, $shared, $work, $enquire),
# and `corpus`, which makes the synthetic corpus of
# shared/bench/gen-corpus.py once and caches it: $kb (the git
# repository) and $hugo_site (the same pages as a Hugo site).
cases=${1:-10000}
runs=${2:-3}
top=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$top/../shared}
work=${BENCH_DIR:-/tmp/enquire-bench}
enquire=${ENQUIRE:-$top/enquire}
kb=$work/kb-$cases
hugo_site=$work/hugo-$cases
corpus() {
	if [ ! -d "$kb/.git" ] || [ ! -d "$hugo_site" ]; then
		echo "generating a $cases-case corpus in $work ..." >&2
		mkdir -p "$work"
		python3 "$shared/bench/gen-corpus.py" --cases "$cases" --commits 200 \
			--out "$kb" --hugo "$hugo_site" >&2
	fi
}
