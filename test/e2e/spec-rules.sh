#!/usr/bin/env bash
# Runs the scenarios of two spec rules and checks them in the run's own output, the counters of
# `show crypto ipsec sa` against the flows of results.json:
#  - dynamic-map-empty-acl: a dynamic map entry whose access list is undefined drops every packet
#    that reaches it (79 of 79 each way), while the static entry before it protects its flows;
#  - ike-per-line-sas: each permit line of a crypto access list gets SAs of its own, and each
#    line's datagrams are counted on its own SAs.
# With tshark installed, HUB's serial capture is also checked for clear datagrams of the dropped
# flows (there must be none) and for ESP that the exported keys authenticate.
# usage: spec-rules.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for s in dynamic-map-empty-acl ike-per-line-sas; do
    if ! "$build/ipsec-sim" "$src/scenarios/$s/scenario.json" --out "$work/$s" --quiet >"$work/$s.log" 2>&1; then
        echo "FAIL $s: ipsec-sim exited non-zero"; cat "$work/$s.log"; exit 1
    fi
done

/usr/bin/python3 - "$work" <<'PY'
import json, os, re, shutil, subprocess, sys

work = sys.argv[1]
failures = []

def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)

def results(s):
    return json.load(open(f"{work}/{s}/results.json"))

def flow(r, frm, to):
    return next(f for f in r["flows"] if f["from"] == frm and f["to_node"] == to)

def last_show_sa(s, router):
    """The last `show crypto ipsec sa` the run wrote for router (the final one)."""
    text = open(f"{work}/{s}/show/{router}.txt").read()
    at = text.rfind(f"{router}#show crypto ipsec sa\n")
    return text[at:]

def block(show, ident):
    """Counters of the block whose local identity is ident: {encaps, decaps} (None if absent)."""
    head = f"local  ident (addr/mask/prot/port): ({ident})"
    at = show.find(head)
    if at < 0:
        return None
    nxt = show.find("local  ident", at + len(head))
    b = show[at:nxt if nxt >= 0 else None]
    return {k: int(re.search(rf"#pkts {k}: (\d+)", b).group(1)) for k in ("encaps", "decaps")}

# --- a dynamic map entry with an undefined access list drops every packet it sees ----------
s = "dynamic-map-empty-acl"
r = results(s)
hub = r["nodes"]["HUB"]["report"]
out, back = flow(r, "h0", "h2"), flow(r, "h2", "h0")
check(out["sent"] == 79 and out["received"] == 0, f"{s}: h0 -> h2: {out['received']} of {out['sent']} arrive (none of 79)")
check(back["sent"] == 79 and back["received"] == 0, f"{s}: h2 -> h0: {back['received']} of {back['sent']} arrive (none of 79)")
check(hub["drops"].get("no-sa", 0) == out["sent"], f"{s}: HUB drops h0's datagrams for want of an SA ({hub['drops']})")
check(hub["drops"].get("unprotected", 0) == back["sent"], f"{s}: HUB drops h2's clear datagrams as unprotected")
show = last_show_sa(s, "HUB")
b = block(show, "10.0.0.0/255.255.255.0/0/0")
down, up = flow(r, "h0", "h1"), flow(r, "h1", "h0")
check(b is not None and b["encaps"] == down["received"] == down["sent"],
      f"{s}: the static entry protects every h0 -> h1 datagram (encaps {b and b['encaps']}, received {down['received']})")
check(b is not None and b["decaps"] == up["received"] and up["received"] >= up["sent"] - 2,
      f"{s}: and h1 -> h0 (decaps {b and b['decaps']}, received {up['received']} of {up['sent']})")
check(show.count("local  ident") == 1, f"{s}: the dynamic entry has no SAs")
check(len([e for e in r["ike"] if e["node"] == "HUB" and e["exchange"] == "quick" and e["result"] == "ok"]) == 1,
      f"{s}: HUB answers the static entry's quick mode")

# --- one SA set per permit line ----------------------------------------------------------
s = "ike-per-line-sas"
r = results(s)
line1, line2 = flow(r, "h1", "h2"), flow(r, "h3", "h2")
for router, ids in (("R1", ("10.0.0.10/255.255.255.255/0/0", "10.0.0.0/255.255.0.0/0/0")),
                    ("R2", ("10.2.2.10/255.255.255.255/0/0", "10.2.2.0/255.255.255.0/0/0"))):
    qm = [e for e in r["ike"] if e["node"] == router and e["exchange"] == "quick" and e["result"] == "ok"]
    check(len(qm) == 2, f"{s}: {router}: two quick modes, one per permit line ({len(qm)})")
    show = last_show_sa(s, router)
    key = "encaps" if router == "R1" else "decaps"
    for ident, f in zip(ids, (line1, line2)):
        b = block(show, ident)
        check(b is not None and b[key] == f["received"] and f["received"] >= f["sent"] - 2,
              f"{s}: {router}: block {ident} counts exactly {f['from']}'s datagrams "
              f"({key} {b and b[key]}, received {f['received']} of {f['sent']})")

# --- tshark, where it is installed ----------------------------------------------------------
if shutil.which("tshark"):
    s = "dynamic-map-empty-acl"
    opts = ["-o", "esp.enable_encryption_decode:TRUE", "-o", "esp.enable_authentication_check:TRUE"]
    for row in open(f"{work}/{s}/esp_sa.uat").read().splitlines():
        if row.strip():
            opts += ["-o", "uat:esp_sa:" + row]
    def rows(display, *fields):
        out = subprocess.run(["tshark", "-r", f"{work}/{s}/HUB_Serial0.pcap", *opts, "-Y", display,
                              "-T", "fields", *sum([["-e", f] for f in fields], [])],
                             capture_output=True, text=True, check=True).stdout
        return [l for l in out.splitlines() if l.strip()]
    check(rows("udp && !isakmp && ip.src == 10.0.0.10 && ip.dst == 10.1.2.10", "frame.number") == [],
          f"{s}: tshark: none of h0's datagrams to h2 leaves HUB")
    clear_in = rows("udp && !isakmp && ip.src == 10.1.2.10 && ip.dst == 10.0.0.10", "frame.number")
    check(len(clear_in) == 79,
          f"{s}: tshark: h2's {len(clear_in)} clear datagrams reach HUB (and HUB drops them)")
    esp = rows("esp", "esp.icv_good")
    check(esp and all(v in ("1", "True") for v in esp),
          f"{s}: tshark: every ESP frame ({len(esp)}) authenticates with the exported keys")
else:
    print("skip tshark checks: tshark is not installed")

sys.exit(1 if failures else 0)
PY
