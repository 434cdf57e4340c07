#!/usr/bin/env python3
"""How often `enquire claims suggest` puts one of a case study's declared
claims in its top 3 (and first). Usage: claims_hitrate.py ENQUIRE ROOT
Prints one line per case study, then "top3 HITS/N top1 HITS/N"."""
import collections, glob, os, subprocess, sys
import yaml

enquire, root = sys.argv[1], sys.argv[2]
files = sorted(glob.glob(os.path.join(root, "case-studies", "**", "*.md"), recursive=True))
out = subprocess.run([enquire, "claims", "suggest", "--root", root] + files,
                     capture_output=True, text=True, check=True).stdout
ranked = collections.defaultdict(list)
for line in out.splitlines():
    f, claim, _ = line.split("\t")
    ranked[f].append(claim)
top3 = top1 = 0
for f in files:
    fm = yaml.safe_load(open(f, encoding="utf-8").read().split("\n---", 1)[0][3:])
    declared = {c if isinstance(c, str) else c["id"] for c in fm["claims"]}
    hit3 = bool(declared & set(ranked[f][:3]))
    hit1 = bool(ranked[f][:1]) and ranked[f][0] in declared
    top3 += hit3
    top1 += hit1
    print("%s %s top3=%s declared=%s" % ("hit " if hit3 else "miss",
          os.path.basename(f), ",".join(ranked[f][:3]), ",".join(sorted(declared))))
print("top3 %d/%d top1 %d/%d" % (top3, len(files), top1, len(files)))
