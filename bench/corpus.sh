# Sourced by the benchmark scripts: the synthetic corpus of
# shared/bench/gen-corpus.py, made once and cached. Needs $cases, $shared
# and $work; sets $kb (the git repository) and $hugo_site (the same pages
# as a Hugo site).
kb=$work/kb-$cases
hugo_site=$work/hugo-$cases
if [ ! -d "$kb/.git" ] || [ ! -d "$hugo_site" ]; then
	echo "generating a $cases-case corpus in $work ..." >&2
	mkdir -p "$work"
	python3 "$shared/bench/gen-corpus.py" --cases "$cases" --commits 200 \
		--out "$kb" --hugo "$hugo_site" >&2
fi
