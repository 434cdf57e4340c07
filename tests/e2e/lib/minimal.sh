# A minimal knowledge base, written by each test that needs one.
# minimal_kb DIR: site.yaml, one claim set, one alliance, one case study.
minimal_kb() {
	mkdir -p "$1/claims" "$1/alliances" "$1/case-studies" "$1/static"
	cat >"$1/site.yaml" <<'YAML'
title: Test Alliance Network
base_url: https://test.example.org/kb/
claim_sets: [pedagogy]
YAML
	cat >"$1/claims/pedagogy.yaml" <<'YAML'
id: pedagogy
title: What makes great pedagogy?
claims:
  - number: 1
    title: Effective pedagogies give serious consideration to pupil voice
  - number: 2
    title: Effective pedagogies build on prior learning
YAML
	cat >"$1/alliances/north-tsa.yaml" <<'YAML'
name: North Test Alliance
schools:
  - {name: North Primary, phase: primary, role: lead}
YAML
	case_study "$1" talk-for-writing "Talk for writing" "COMMITTED-TEXT"
}

# case_study DIR SLUG TITLE BODYWORD [extra front matter lines]
case_study() {
	cat >"$1/case-studies/$2.md" <<MD
---
title: $3
alliance: north-tsa
theme: pedagogy
research_questions: [How can talk improve writing?]
claims:
  - id: pedagogy-1
    strength: strong
${5:-}
---
## Implementation
$4 implementation text.
## Innovation
Trials.
## Impact
| Measure | Before | After |
|---|---:|---:|
| Writing | 40% | 60% |
## Conclusions
Done.
MD
}
