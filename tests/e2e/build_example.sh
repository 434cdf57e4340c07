# The example knowledge base builds from a real commit into a complete site.
. tests/e2e/lib/common.sh

R="$T/kb"
example_repo "$R"
enq build "$R" --out "$T/site"
if [ "$rc" -eq 0 ]; then ok "content-example builds"; else fail "content-example builds"; cat "$T/out.txt"; fi
S="$T/site"

for f in index.html 404.html sitemap.xml case-studies/index.html claims/index.html \
	alliances/index.html enquiries/index.html evidence/index.html \
	dissemination/index.html search/index.html about/index.html; do
	check "writes $f" test -s "$S/$f"
done

# One page per document, claim and alliance, at the contract's URLs.
for kind in case-studies enquiries dissemination; do
	for md in $(find "$R/$kind" -name '*.md'); do
		slug=$(basename "$md" .md)
		check "writes $kind/$slug/" test -s "$S/$kind/$slug/index.html"
	done
done
for a in "$R"/alliances/*.yaml; do
	check "writes alliances/$(basename "$a" .yaml)/" test -s "$S/alliances/$(basename "$a" .yaml)/index.html"
done
for set in pedagogy cpd; do
	for i in 1 2 3 4 5 6 7 8 9; do
		check "writes claims/$set-$i/" test -s "$S/claims/$set-$i/index.html"
	done
done

# Static files are copied as they are (static/x is published at x).
for f in $(cd "$R/static" && find . -type f); do
	check "copies static/${f#./}" cmp "$R/static/$f" "$S/$f"
done

# Every case study's title is on its page, and the page links its claims.
for md in $(find "$R/case-studies" -name '*.md'); do
	slug=$(basename "$md" .md)
	title=$(sed -n 's/^title: *//p' "$md" | head -1 | sed 's/^"//; s/"$//' |
		sed "s/&/\\&amp;/g; s/'/\\&#39;/g; s/\"/\\&quot;/g; s/</\\&lt;/g")
	check "case study $slug shows its title" grep -qF "$title" "$S/case-studies/$slug/index.html"
done

# Every case study page links its alliance, and the alliance page lists it.
for md in $(find "$R/case-studies" -name '*.md'); do
	slug=$(basename "$md" .md)
	al=$(sed -n 's/^alliance: *//p' "$md" | head -1)
	check "case study $slug links alliance $al" grep -q "alliances/$al/" "$S/case-studies/$slug/index.html"
	check "alliance $al lists case study $slug" grep -q "case-studies/$slug/" "$S/alliances/$al/index.html"
done

# A claim page lists case studies that declare it strongly before those
# that declare it as supporting: compute both from the front matter.
claim=pedagogy-1
strong=""; support=""
for md in $(find "$R/case-studies" -name '*.md'); do
	slug=$(basename "$md" .md)
	if awk '/^claims:/{c=1;next} c&&/^[a-z_]+:/{c=0} c' "$md" | grep -q "id: $claim\$" &&
		awk '/^claims:/{c=1;next} c&&/^[a-z_]+:/{c=0} c' "$md" | grep -A1 "id: $claim\$" | grep -q 'strength: strong'; then
		strong="$strong $slug"
	elif awk '/^claims:/{c=1;next} c&&/^[a-z_]+:/{c=0} c' "$md" | grep -qE "(- |id: )$claim\$"; then
		support="$support $slug"
	fi
done
page="$S/claims/$claim/index.html"
last_strong=0; first_support=999999
for s in $strong; do l=$(grep -n "case-studies/$s/" "$page" | head -1 | cut -d: -f1); [ "${l:-0}" -gt "$last_strong" ] && last_strong=$l; done
for s in $support; do l=$(grep -n "case-studies/$s/" "$page" | head -1 | cut -d: -f1); [ -n "$l" ] && [ "$l" -lt "$first_support" ] && first_support=$l; done
if [ -n "$strong$support" ] && [ "$last_strong" -lt "$first_support" ]; then
	ok "claim $claim lists strong ($strong) before supporting ($support)"
else
	fail "claim $claim lists strong ($strong) before supporting ($support): $last_strong vs $first_support"
fi
for s in $strong $support; do
	check "claim $claim links $s" grep -q "case-studies/$s/" "$page"
done

# The sitemap lists every case study with an absolute URL.
base=$(sed -n 's/^base_url: *//p' "$R/site.yaml")
for md in $(find "$R/case-studies" -name '*.md'); do
	check "sitemap has $(basename "$md" .md)" grep -qF "<loc>${base}case-studies/$(basename "$md" .md)/</loc>" "$S/sitemap.xml"
done

# Pages link with relative URLs, so the site works under any base path.
css=$(cd "$S" && ls assets/style.*.css 2>/dev/null | head -1)
check "writes the stylesheet with a content hash in its name" test -s "$S/$css"
check "case study links the stylesheet relatively" grep -q "href=\"../../$css\"" "$S/case-studies/$(basename "$(find "$R/case-studies" -name '*.md' | head -1)" .md)/index.html"
check "no temporary folders are left" sh -c "! ls -d '$T'/site.tmp-* '$T'/site.old-* 2>/dev/null | grep -q ."

# Case study pages carry citation metadata: Highwire tags and JSON-LD that
# parses and names the page's claims as DefinedTerms.
cs=$(basename "$(find "$R/case-studies" -name '*.md' | head -1)" .md)
check "case study has citation_title" grep -q '<meta name="citation_title"' "$S/case-studies/$cs/index.html"
if command -v python3 >/dev/null; then
	check "case study JSON-LD parses and names its claims" python3 -c '
import json, re, sys
html = open(sys.argv[1]).read()
data = json.loads(re.search(r"<script type=\"application/ld\+json\">(.*?)</script>", html, re.S).group(1))
assert "ScholarlyArticle" in data["@type"]
assert data["about"] and all(t["@type"] == "DefinedTerm" for t in data["about"])
' "$S/case-studies/$cs/index.html"
fi

# Same commit, same bytes.
enq build "$R" --out "$T/site2" -j 1
check "a second build (1 thread) is byte-identical" diff -r "$S" "$T/site2"

done_testing
