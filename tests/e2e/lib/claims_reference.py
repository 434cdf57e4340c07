#!/usr/bin/env python3
"""The claims statistics of a knowledge base, computed from front matter
alone (independently of enquire), in the format of
`enquire claims report --tsv`. Usage: claims_reference.py ROOT"""
import glob, os, sys
import yaml

root = sys.argv[1]

def front(path):
    text = open(path, encoding="utf-8").read()
    if not text.startswith("---"):
        return {}
    return yaml.safe_load(text.split("\n---", 1)[0][3:]) or {}

def docs(kind):
    out = []
    for p in sorted(glob.glob(os.path.join(root, kind, "**", "*.md"), recursive=True)):
        f = front(p)
        if f.get("status") == "draft" or f.get("visibility") == "internal":
            continue
        out.append(f)
    return out

def refs(f):
    for c in f.get("claims") or []:
        yield (c, "supporting") if isinstance(c, str) else (c["id"], c.get("strength", "supporting"))

site = yaml.safe_load(open(os.path.join(root, "site.yaml")))
claims = []
for s in site.get("claim_sets") or []:
    cs = yaml.safe_load(open(os.path.join(root, "claims", s + ".yaml")))
    claims += ["%s-%d" % (cs["id"], c["number"]) for c in cs["claims"]]
order = {c: i for i, c in enumerate(claims)}
stat = {c: dict(strong=0, supporting=0, enquiries=0, dissemination=0,
                evidence=0, with_={}) for c in claims}
for f in docs("case-studies"):
    ids = [i for i, _ in refs(f)]
    for i, strength in refs(f):
        stat[i][strength] += 1
        for j in ids:
            if j != i:
                stat[i]["with_"][j] = stat[i]["with_"].get(j, 0) + 1
    for e in f.get("evidence") or []:
        for i in set(e.get("claims") or []):
            stat[i]["evidence"] += 1
for f in docs("enquiries"):
    for i, _ in refs(f):
        stat[i]["enquiries"] += 1
    for e in f.get("evidence") or []:
        for i in set(e.get("claims") or []):
            stat[i]["evidence"] += 1
for f in docs("dissemination"):
    for i, _ in refs(f):
        stat[i]["dissemination"] += 1

print("claim\tstrong\tsupporting\tenquiries\tdissemination\tevidence\tcombined_with")
for c in claims:
    s = stat[c]
    w = sorted(s["with_"].items(), key=lambda kv: (-kv[1], order[kv[0]]))
    print("%s\t%d\t%d\t%d\t%d\t%d\t%s" % (c, s["strong"], s["supporting"],
          s["enquiries"], s["dissemination"], s["evidence"],
          ",".join("%s:%d" % kv for kv in w)))
