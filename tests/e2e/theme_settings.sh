# site.yaml's theme settings: primary_colour (checked for contrast with
# white) and logo (a static file), and what the default theme makes of
# them; hashed asset names and citation files.
. tests/e2e/lib/common.sh
. tests/e2e/lib/minimal.sh

K="$T/kb"
mkdir "$K"
minimal_kb "$K"
mkdir -p "$K/static"
printf '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>' >"$K/static/logo.svg"
cp "$K/site.yaml" "$T/site.yaml.orig"

with_settings() { cp "$T/site.yaml.orig" "$K/site.yaml"; printf '%s\n' "$@" >>"$K/site.yaml"; }

with_settings 'primary_colour: "#1d70b8"' 'logo: static/logo.svg'
enq build "$K" --out "$T/site"
check "a dark primary colour and a logo build" test "$rc" -eq 0
check "the colour is applied" grep -q -- '--accent: #1d70b8' "$T/site/index.html"
check "the logo is shown" grep -q 'src="logo.svg"' "$T/site/index.html"
check "the logo is published" test -s "$T/site/logo.svg"
css=$(cd "$T/site" && ls assets/style.*.css)
check "the stylesheet name has a content hash" sh -c "echo '$css' | grep -qE '^assets/style\.[0-9a-f]{10}\.css$'"
check "pages link the hashed stylesheet" grep -q "href=\"$css\"" "$T/site/index.html"
check "no unhashed stylesheet is left" test ! -e "$T/site/assets/style.css"

with_settings 'primary_colour: "#ffdd00"'
enq check "$K"
check "a light primary colour is an error" test "$rc" -eq 1
check "the error gives the contrast and the minimum" grep -qE 'site.yaml:[0-9]+:[0-9]+: error: .primary_colour. #ffdd00 has a contrast of 1\.[0-9]+:1 with white; .*4\.5:1' "$T/out.txt"

with_settings 'primary_colour: blue'
enq check "$K"
check "a colour that is not hex is an error" grep -q "error: 'primary_colour' must be a hex colour" "$T/out.txt"

with_settings 'logo: static/missing.png'
enq check "$K"
check "a missing logo is an error" grep -q "error: 'logo' file 'static/missing.png' is not in the" "$T/out.txt"

with_settings 'logo: ../etc/passwd'
enq check "$K"
check "a logo outside static/ is an error" test "$rc" -eq 1

done_testing
