# enquire mustache TEMPLATE DATA.yaml [--partials DIR] renders to stdout.
. tests/e2e/lib/common.sh

mkdir "$T/p"
printf 'Hello {{name}}! {{#items}}<{{.}}>{{/items}} {{> sig}}' >"$T/t.mustache"
printf 'name: "A & B"\nitems: [1, two]\n' >"$T/d.yaml"
printf -- '-- {{name}}' >"$T/p/sig.mustache"
$ENQUIRE_WRAP "$ENQUIRE" mustache "$T/t.mustache" "$T/d.yaml" --partials "$T/p" >"$T/o.txt" 2>"$T/e.txt"
check "renders with data and partials" test "$(cat "$T/o.txt")" = "Hello A &amp; B! <1><two> -- A &amp; B"

printf 'name: [unclosed\n' >"$T/bad.yaml"
enq mustache "$T/t.mustache" "$T/bad.yaml"
check "bad data fails" test "$rc" -eq 1
check "bad data names the file and line" has "bad.yaml:[0-9]*:[0-9]*: error:" "$T/out.txt"

printf '{{#a}}x' >"$T/bad.mustache"
enq mustache "$T/bad.mustache" "$T/d.yaml"
check "bad template fails" test "$rc" -eq 1
check "bad template names the file and line" has "bad.mustache:1:[0-9]*: error:" "$T/out.txt"

done_testing
