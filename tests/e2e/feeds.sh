#!/bin/sh
# Atom feeds: well-formed, required elements, unique ids, RFC 3339 dates,
# linked from pages.
. tests/e2e/lib/common.sh
. tests/e2e/lib/minimal.sh

R=$T/repo
new_repo "$R"
minimal_kb "$R"
case_study "$R" oracy "Oracy & <talk>" "ORACY" "tags: [Oracy, Year 5, oracy]"
GIT_AUTHOR_DATE="2022-01-01T10:00:00+02:00" commit_all "$R" "content"
mkdir -p "$T/out"
enq build "$R" --out "$T/out/site"
check "builds" test "$rc" -eq 0
S=$T/out/site
feeds="$S/feed.xml $S/claims/pedagogy-1/feed.xml $S/claims/pedagogy-2/feed.xml $S/alliances/north-tsa/feed.xml $S/tags/oracy/feed.xml $S/tags/year-5/feed.xml"
# Without the default namespace, so xpath needs no prefixes.
ns() { sed 's/ xmlns="http:\/\/www.w3.org\/2005\/Atom"//' "$1"; }
xp() { xmllint --xpath "$1" "$2" 2>/dev/null; }
has_el() { ns "$2" | xmllint --xpath "$1" - >/dev/null 2>&1; }
for f in $feeds; do
	name=${f#$S/}
	check "$name exists" test -f "$f"
	check "$name is well-formed XML" xmllint --noout "$f"
	for el in /feed/id /feed/title /feed/updated /feed/author/name '/feed/link[@rel="self"]/@href'; do
		check "$name has $el" has_el "$el" "$f"
	done
done
F=$T/site-feed.xml
ns "$S/feed.xml" >"$F"
check "the site feed has both case studies" test "$(xp 'count(/feed/entry)' "$F")" = 2
check "every entry has id, title, updated, link" test "$(xp 'count(/feed/entry[id and title and updated and link[@rel="alternate"]])' "$F")" = 2
ids=$(xp '/feed/entry/id/text()' "$F" | sort)
check "entry ids are unique" test "$(echo "$ids" | sort -u | wc -l)" = "$(echo "$ids" | wc -l)"
check "entry id is the page URL" has '<id>https://test.example.org/kb/case-studies/oracy/</id>' "$S/feed.xml"
bad=$(grep -o '<\(updated\|published\)>[^<]*<' "$S"/feed.xml "$S"/claims/*/feed.xml "$S"/tags/*/feed.xml | sed 's/.*>\([^<]*\)<$/\1/' | grep -vE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})$' || true)
check "all dates are RFC 3339" test -z "$bad"
check "dates come from the commit" has '<updated>2022-01-01T10:00:00+02:00</updated>' "$S/feed.xml"
check "titles are escaped" has '<title>Oracy &amp; &lt;talk&gt;</title>' "$S/feed.xml"
check "the claim feed lists its case studies only" test "$(ns "$S/claims/pedagogy-2/feed.xml" | xmllint --xpath 'count(/feed/entry)' - 2>/dev/null)" = 0
check "the tag feed lists the tagged one, once (two tags, one slug)" test "$(ns "$S/tags/oracy/feed.xml" | xmllint --xpath 'count(/feed/entry)' - 2>/dev/null)" = 1
check "pages link the site feed" has '<link rel="alternate" type="application/atom+xml" title="Test Alliance Network: case studies" href="../../feed.xml">' "$S/case-studies/oracy/index.html"
check "claim pages link their feed" has 'href="../../claims/pedagogy-1/feed.xml"' "$S/claims/pedagogy-1/index.html"
check "alliance pages link their feed" has 'href="../../alliances/north-tsa/feed.xml"' "$S/alliances/north-tsa/index.html"
check "feeds are not in the sitemap" lacks 'feed.xml' "$S/sitemap.xml"

done_testing
