"""Run detect_quality's main with corroborated-route groups printed."""
import sys
import numpy as np
from coordgraph.analytics import corroborated, bursts

orig_assess = corroborated.assess
def assess(*a, **k):
    out = orig_assess(*a, **k)
    for g in out:
        acc = g.accounts
        strong = acc.get("strong_flag")
        print(f"GROUP size={len(g.members)} confirmed={int(acc['confirmed'].sum())} reason={g.reason!r} "
              f"timing p={g.test.p_value:.3g} low={g.test.effect_low:.2f} identity={ {k: v for k, v in g.identity.items()} } "
              f"linked={int(acc['linked'].sum())} "
              f"linked_among_confirmed={int((acc['linked'] & acc['confirmed']).sum())}", flush=True)
    return out
corroborated.assess = assess
import coordgraph.analytics.cluster_testing as ct
if hasattr(ct, "corroborated"):
    ct.corroborated.assess = assess
sys.argv = ["detect_quality.py"] + sys.argv[1:]
sys.path.insert(0, ".")
import runpy
runpy.run_path("benchmarks/detect_quality.py", run_name="__main__")
