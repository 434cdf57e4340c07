# The bundled claims plugin: its statistics against an independent
# computation from front matter, its warnings, claims suggest and report.
. tests/e2e/lib/common.sh
. tests/e2e/lib/minimal.sh

if python3 -c 'import yaml' 2>/dev/null; then
	python3 tests/e2e/lib/claims_reference.py content-example >"$T/expected.tsv"
	enq claims report content-example --tsv
	sed -n '/^claim\t/,$p' "$T/out.txt" >"$T/got.tsv"
	check "claims report agrees with front matter (independent computation)" \
		diff "$T/expected.tsv" "$T/got.tsv"
	python3 tests/e2e/lib/claims_hitrate.py "$ENQUIRE" content-example >"$T/rate.txt"
	sed 's/^/# /' "$T/rate.txt"
	hits=$(sed -n 's/^top3 \([0-9]*\)\/\([0-9]*\).*/\1/p' "$T/rate.txt")
	total=$(sed -n 's/^top3 \([0-9]*\)\/\([0-9]*\).*/\2/p' "$T/rate.txt")
	check "claims suggest: a declared claim in the top 3 for at least 80% of the case studies" \
		test "$((hits * 100))" -ge "$((total * 80))"
else
	ok "# SKIP python3-yaml missing"
fi

enq claims report content-example
check "claims report prints a table" has "^pedagogy-1 .* Effective pedagogies" "$T/out.txt"
cs=content-example/case-studies/ashmere-scaffolding-eal-maths.md
enq claims suggest --root content-example "$cs"
check "suggest prints FILE<TAB>CLAIM<TAB>SCORE" grep -qP "^$cs\tpedagogy-5\t[0-9.]+$" "$T/out.txt"
check "at most 5 per file" test "$(wc -l <"$T/out.txt")" -le 5
enq claims suggest --root content-example
check "suggest without files is a usage error" test "$rc" -eq 2
enq claims suggest --root content-example "$T/none.md"
check "an unreadable file is an error" test "$rc" -eq 1

enq check content-example
check "content-example has no errors" test "$rc" -eq 0
enq build content-example --out "$T/site"
check "claim pages show the claims often combined with" \
	has 'Often combined with' "$T/site/claims/pedagogy-1/index.html"
check "with the claim most often declared alongside first" \
	grep -A3 'combined-heading' "$T/site/claims/pedagogy-1/index.html" | grep -q 'claims/pedagogy-8/'

# Warnings for authors.
K="$T/kb"
mkdir "$K"
minimal_kb "$K"
echo "plugins: [claims]" >>"$K/site.yaml"
cat >>"$K/claims/pedagogy.yaml" <<'YAML'
  - number: 3
    title: A third claim
YAML
cat >"$K/claims/cpd.yaml" <<'YAML'
id: cpd
title: Great professional development
theme: 2
claims:
  - number: 1
    title: A cpd claim
YAML
sed -i 's/^claim_sets:.*/claim_sets: [pedagogy, cpd]/; s/^title: What makes great pedagogy?/&\ntheme: 1/' "$K/site.yaml" "$K/claims/pedagogy.yaml"
case_study "$K" cited "Cited" "As claim 2 shows, and cpd-1 too." "  - cpd-1"
enq check "$K"
check "a strong claim without evidence is a warning at its line" \
	grep -q "^case-studies/talk-for-writing.md:7: warning: claim 'pedagogy-1' is declared strong but no evidence entry links to it" "$T/out.txt"
check "a claim cited in the text but not declared is a warning at its line" \
	grep -q "^case-studies/cited.md:12: warning: the text cites 'claim 2' (pedagogy-2)" "$T/out.txt"
check "a declared claim cited by id is no warning" lacks "cites 'cpd-1'" "$T/out.txt"
check "a claim of another framework than the theme is a note" \
	grep -q "^case-studies/cited.md:[0-9]*: note: claim 'cpd-1' is from the 'cpd' framework" "$T/out.txt"
check "claims no case study covers: one summary line" \
	grep -q "^site.yaml: warning: 2 claims no case study covers yet: pedagogy-2, pedagogy-3 \[claims\]" "$T/out.txt"
check "warnings are not errors" test "$rc" -eq 0

done_testing
