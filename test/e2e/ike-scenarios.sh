#!/usr/bin/env bash
# Runs the IKE scenarios of scenarios/ike-*/ and asserts what each README says it shows: the
# exchanges in results.json ("ike"), the flows and drop counters, and tshark's view of every
# capture. For every scenario, tshark given all the run's keys (esp_sa.uat and
# ikev1_decryption_table.uat) must find no malformed frame and no expert warning in any pcap,
# decrypt every encrypted ISAKMP frame (wrong-PSK: none can be, and none is) and verify the ICV
# of every ESP frame.
# usage: ike-scenarios.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v tshark >/dev/null || { echo "tshark is not installed"; exit 1; }
scenarios=(ike-spec-example ike-figure32-case1 ike-figure32-case2 ike-figure32-case3
           ike-figure32-case4 ike-rekey-time ike-rekey-volume ike-pfs ike-dynamic-hub
           ike-failover ike-wrong-psk ike-transform-mismatch ike-nat-t ike-per-host)
fail=0
for s in "${scenarios[@]}"; do
    if ! "$build/ipsec-sim" "$src/scenarios/$s/scenario.json" --out "$work/$s" --quiet >"$work/$s.log" 2>&1; then
        echo "FAIL $s: ipsec-sim exited non-zero"; cat "$work/$s.log"; fail=1
    fi
done
[ $fail -eq 0 ] || exit 1

/usr/bin/python3 - "$work" "$src" "${scenarios[@]}" <<'PY' || fail=1
import json, os, subprocess, sys
from concurrent.futures import ThreadPoolExecutor

work, src, scenarios = sys.argv[1], sys.argv[2], sys.argv[3:]
failures = []

def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)

def results(s):
    return json.load(open(f"{work}/{s}/results.json"))

def lines(path):
    return [l for l in open(path).read().splitlines() if l.strip()] if os.path.exists(path) else []

def keys(s):
    opts = ["-o", "esp.enable_encryption_decode:TRUE", "-o", "esp.enable_authentication_check:TRUE"]
    for row in lines(f"{work}/{s}/esp_sa.uat"):
        opts += ["-o", "uat:esp_sa:" + row]
    for row in lines(f"{work}/{s}/ikev1_decryption_table.uat"):
        opts += ["-o", "uat:ikev1_decryption_table:" + row]
    return opts

def tshark(s, pcap, display, fields):
    """Rows of fields (every occurrence, joined by '|') of the frames display selects."""
    out = subprocess.run(["tshark", "-r", f"{work}/{s}/{pcap}", *keys(s), "-Y", display,
                          "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|",
                          *sum([["-e", f] for f in fields], [])],
                         capture_output=True, text=True, check=True).stdout
    return [l.split("\t") for l in out.splitlines() if l.strip()]

def true(v):
    return v in ("1", "True")

def ike(r, node=None, exchange=None, role=None, peer=None):
    return [e for e in r["ike"] if (node is None or e["node"] == node)
            and (exchange is None or e["exchange"] == exchange)
            and (role is None or e["role"] == role) and (peer is None or e["peer"] == peer)]

def drops(r, node, reason="no-sa"):
    return r["nodes"][node]["report"].get("drops", {}).get(reason, 0)

def routers(r):
    return [n for n, v in r["nodes"].items() if v["kind"] == "router"]

def flow(r, frm, to, start=None):
    return next(f for f in r["flows"] if f["from"] == frm and f["to_node"] == to
                and (start is None or f["start_s"] == start))

def qm_up(r, a, b):
    """When the first quick mode between routers a and b had ended on both sides."""
    ends = [e["end_s"] for e in r["ike"] if e["exchange"] == "quick" and e["result"] == "ok"
            and e["node"] in (a, b)]
    return max(sorted(ends)[:2], default=1e9)

def lost_after(s, r, f, t):
    """Datagrams of flow f that left the sending host at or after t and never reached the
    receiving host (matched by IP identification in the two hosts' captures)."""
    src_ip = r["nodes"][f["from"]]["address"].split("/")[0]
    sel = f"udp.dstport == {f['port']} && ip.src == {src_ip}"
    sent = tshark(s, f"{f['from']}_eth0.pcap", sel, ["frame.time_epoch", "ip.id"])
    got = {row[0] for row in tshark(s, f"{f['to_node']}_eth0.pcap", sel, ["ip.id"])}
    after = [row[1] for row in sent if float(row[0]) >= t]
    return len(after), [i for i in after if i not in got]

# ---------------------------------------------------------------- every scenario, every pcap

def captures(s):
    r = results(s)
    out = []
    for pcap in r["pcaps"]:
        bad = tshark(s, pcap, '_ws.malformed || _ws.expert.severity >= "warning"', ["frame.number"])
        rows = tshark(s, pcap, "esp || isakmp", ["esp.spi", "esp.icv_good", "isakmp.flag_e",
                                                 "isakmp.typepayload"])
        out.append((pcap, bad, rows))
    return s, out

with ThreadPoolExecutor(max_workers=2) as pool:
    dissected = dict(pool.map(captures, scenarios))

for s in scenarios:
    wrong_psk = s == "ike-wrong-psk"
    esp = isakmp = enc = decrypted = 0
    clean = True
    icv = True
    for pcap, bad, rows in dissected[s]:
        if bad:
            clean = False
            print(f"     {s}/{pcap}: tshark flags frames {[b[0] for b in bad][:10]}")
        for spi, good, flag_e, payloads in rows:
            if spi:
                esp += 1
                icv &= true(good)
            if flag_e:
                isakmp += 1
                if true(flag_e):
                    enc += 1
                    decrypted += bool(payloads)
    check(clean, f"{s}: no malformed frame, no expert warning in any pcap")
    check(isakmp > 0, f"{s}: {isakmp} ISAKMP frames on the wire")
    if wrong_psk:
        check(enc > 0 and decrypted == 0,
              f"{s}: {enc} encrypted ISAKMP frames, none readable (no key, as no phase 1 completed)")
    else:
        check(enc > 0 and decrypted == enc, f"{s}: {decrypted} of {enc} encrypted ISAKMP frames decrypted")
    if s not in ("ike-figure32-case4", "ike-wrong-psk", "ike-transform-mismatch"):
        check(esp > 0 and icv, f"{s}: all {esp} ESP frames decrypt with a good ICV")
    else:
        check(esp == 0, f"{s}: no ESP frame (no SA was ever made)")

# ---------------------------------------------------------------- the spec's example

s = "ike-spec-example"
r = results(s)
check(len([e for e in r["ike"] if e["exchange"] in ("main", "quick") and e["result"] == "ok"]) == 4
      and len(r["ike"]) == 4, f"{s}: main mode and quick mode, both ends ok, nothing else")
lost = sum(f["lost"] for f in r["flows"])
check(lost == drops(r, "R1") and all(f["received"] > 0 for f in r["flows"]),
      f"{s}: every flow delivered but the {lost} packets dropped (no-sa) during negotiation")

# ---------------------------------------------------------------- Figure 32

for c in ("1", "2"):
    s = f"ike-figure32-case{c}"
    r = results(s)
    qi = ike(r, exchange="quick", role="initiator")
    check([e["node"] for e in qi] == ["M", "N"] and all(e["result"] == "ok" for e in qi)
          and qi[0]["start_s"] < 2 and qi[1]["start_s"] > 16,
          f"{s}: M initiates the first quick mode, N the one after the clear; both ok")
    check(all(e["result"] == "ok" for e in ike(r, exchange="quick", role="responder"))
          and len(ike(r, exchange="main")) == 2,
          f"{s}: both responders accept; one main mode (the ISAKMP SA survives clear crypto sa)")
    check(any(e["reason"] == "peer deleted IPsec SAs" for e in ike(r, "N", "informational")),
          f"{s}: M's delete notify removes N's SAs at 15 s")
    lost = sum(f["lost"] for f in r["flows"])
    check(lost == drops(r, "M") + drops(r, "N") and lost <= 2
          and all(f["received"] > 0 for f in r["flows"]),
          f"{s}: all flows delivered but {lost} packets dropped while the SAs were negotiated")
    ids = tshark(s, "M_Serial0.pcap", "isakmp.exchangetype == 32 && isakmp.id.type",
                 ["isakmp.id.type", "isakmp.id.data.ipv4_addr"])
    want = ({"4|4"}, {"10.1.1.0|10.2.2.0", "10.2.2.0|10.1.1.0"}) if c == "1" else \
           ({"1|1"}, {"10.1.1.10|10.2.2.10", "10.2.2.10|10.1.1.10"})
    check(len(ids) == 4 and {i[0] for i in ids} == want[0] and {i[1] for i in ids} == want[1],
          f"{s}: quick mode proxy identities are " + ("subnets" if c == "1" else "host addresses"))
r = results("ike-figure32-case1")
check(flow(r, "C", "B")["received"] == 5 and len(ike(r, exchange="quick")) == 4,
      "ike-figure32-case1: host C's pings use the subnet SAs (no extra quick mode)")

s = "ike-figure32-case3"
r = results(s)
check([(e["node"], e["role"], e["result"]) for e in ike(r, exchange="quick")]
      == [("M", "initiator", "ok"), ("N", "responder", "ok")],
      f"{s}: M proposes host A / host B, N accepts (within its subnet permit)")
check(all(x["flow"] == "ip host 10.2.2.10 host 10.1.1.10" for x in r["nodes"]["N"]["report"]["sas"]),
      f"{s}: N's SAs are for the hosts M proposed")
check(all(f["received"] > 0 for f in r["flows"]) and sum(f["lost"] for f in r["flows"]) == drops(r, "M"),
      f"{s}: both directions delivered")

s = "ike-figure32-case4"
r = results(s)
check(all(e["result"] == "ok" for e in ike(r, exchange="main")) and len(ike(r, exchange="main")) == 2,
      f"{s}: main mode succeeds")
qi, qr = ike(r, "N", "quick", "initiator"), ike(r, "M", "quick", "responder")
check(len(qi) >= 4 and len(qi) == len(qr) and not ike(r, "M", "quick", "initiator"),
      f"{s}: N tries {len(qi)} times (5 s apart), M never initiates")
check(all(e["result"] == "failed" and "INVALID-ID-INFORMATION" in e["reason"] for e in qi),
      f"{s}: N's quick modes fail: peer reported INVALID-ID-INFORMATION")
check(all(e["result"] == "failed" and "proxy identities ip 10.2.2.0 0.0.0.255 10.1.1.0 0.0.0.255"
          in e["reason"] and "not accepted" in e["reason"] for e in qr),
      f"{s}: M refuses the proxy identities (subnet Y / subnet X is not within its permit)")
f = r["flows"][0]
check(f["received"] == 0 and drops(r, "N") == f["sent"] and not r["nodes"]["N"]["report"]["sas"]
      and not r["nodes"]["M"]["report"]["sas"], f"{s}: no SA; all {f['sent']} of B's packets dropped (no-sa)")
notify = tshark(s, "N_Serial0.pcap", "isakmp.exchangetype == 5 && ip.src == 172.16.0.1",
                ["isakmp.notify.msgtype"])
check(len(notify) == len(qi) and all(n[0] == "18" for n in notify),
      f"{s}: tshark decrypts M's {len(notify)} INVALID-ID-INFORMATION notifies")

# ---------------------------------------------------------------- rekeying

def zero_loss(s, r):
    up = qm_up(r, "R1", "R2")
    lost = sum(f["lost"] for f in r["flows"])
    check(lost == drops(r, "R1") + drops(r, "R2"),
          f"{s}: every lost packet ({lost}) is a no-sa drop")
    # what each flow can have sent before the SAs were up: one datagram at its start, then one
    # per 8 * size / rate seconds
    budget = sum(int((up - f["start_s"]) * f["rate_bps"] / 8 / f["size"]) + 1
                 for f in r["flows"] if f["start_s"] < up)
    check(lost <= budget, f"{s}: no more lost than sent before the first SAs were up at {up:.3f} s ({budget})")
    for f in r["flows"]:
        n, missing = lost_after(s, r, f, up + 0.001)
        check(n > 0 and not missing,
              f"{s}: {f['from']} -> {f['to_node']}: all {n} datagrams sent after {up:.3f} s arrived")

def rekeys(s, r):
    qi = ike(r, "R1", "quick", "initiator")
    check(all(e["result"] == "ok" for e in ike(r, exchange="quick")) and len(ike(r, exchange="main")) == 2
          and not ike(r, "R2", "quick", "initiator"),
          f"{s}: one main mode; every quick mode ok, all initiated by R1")
    spis = {row[0] for row in tshark(s, "R1_Serial0.pcap", "esp", ["esp.spi"])}
    uat = lines(f"{work}/{s}/esp_sa.uat")
    check(len(spis) == 2 * len(qi) == len(uat),
          f"{s}: {len(spis)} SPIs on the line, two per quick mode, all in esp_sa.uat")
    return qi

s = "ike-rekey-time"
r = results(s)
qi = rekeys(s, r)
gaps = [b["start_s"] - a["end_s"] for a, b in zip(qi, qi[1:])]
check(len(qi) >= 3 and all(89.5 < g < 90.5 for g in gaps),
      f"{s}: {len(qi) - 1} rekeys, each 90 s (120 s lifetime - 30 s) after the previous SA: {gaps}")
zero_loss(s, r)

s = "ike-rekey-volume"
r = results(s)
qi = rekeys(s, r)
gaps = [b["start_s"] - a["end_s"] for a, b in zip(qi, qi[1:])]
check(len(qi) >= 3 and all(g < 60 for g in gaps),
      f"{s}: {len(qi) - 1} rekeys, {[round(g, 1) for g in gaps]} s apart (time lifetime: 3600 s)")
out = sorted((x for x in r["nodes"]["R1"]["report"]["sas"] if x["direction"] == "outbound"),
             key=lambda x: -x["bytes"])
check(all(2304 * 1024 <= x["bytes"] < 2560 * 1024 for x in out[:len(qi) - 1]),
      f"{s}: each replaced outbound SA carried 2304 KB (2560 - 256) before its rekey: {[x['bytes'] for x in out]}")
zero_loss(s, r)

# ---------------------------------------------------------------- PFS

s = "ike-pfs"
r = results(s)
check(all(e["result"] == "ok" for e in r["ike"]) and len(ike(r, "R1", "quick", "initiator")) == 3,
      f"{s}: three main and quick modes, all ok")
check(all(f["received"] > 0 for f in r["flows"]) and all(f["received"] == f["sent"] for f in r["flows"] if f["kind"] == "ping"),
      f"{s}: all three tunnels carry traffic")
for pcap, pfs, what in (("R1_Serial0.pcap", True, "both ends"), ("R1_Serial1.pcap", False, "neither end"),
                        ("R1_Serial2.pcap", True, "initiator only")):
    qm = tshark(s, pcap, "isakmp.exchangetype == 32", ["isakmp.typepayload", "isakmp.key_exchange.data"])
    has = [bool(q[1]) for q in qm]
    check(len(qm) == 3 and has == ([True, True, False] if pfs else [False, False, False]),
          f"{s}: {pcap} (PFS {what}): KE payload in quick mode messages 1 and 2: {pfs}")

# ---------------------------------------------------------------- dynamic hub

s = "ike-dynamic-hub"
r = results(s)
hub = open(f"{src}/scenarios/{s}/HUB.cfg").read()
check("198.51.100" not in hub and "203.0.113" not in hub, f"{s}: the hub's configuration names no spoke")
for spoke, addr in (("SPOKE1", "198.51.100.2"), ("SPOKE2", "203.0.113.2")):
    init = [(e["exchange"], e["result"]) for e in ike(r, spoke) if e["exchange"] != "informational"]
    resp = [(e["exchange"], e["result"]) for e in ike(r, "HUB", peer=addr)]
    check(init[:2] == [("main", "ok"), ("quick", "ok")] and resp[:2] == init[:2]
          and not ike(r, "HUB", role="initiator"),
          f"{s}: {spoke} initiates main and quick mode, the hub (responder only) accepts")
for spoke, h in (("SPOKE1", "h1"), ("SPOKE2", "h2")):
    up = flow(r, h, "h0")
    check(up["received"] > 0 and up["lost"] == drops(r, spoke), f"{s}: {h} -> hub LAN delivered")
    down = flow(r, "h0", h)
    check(down["sent"] > 0 and down["received"] == down["sent"],
          f"{s}: hub LAN -> {h} delivered through the SAs the spoke negotiated ({down['received']}/{down['sent']})")
    ping = next(f for f in r["flows"] if f["kind"] == "ping" and f["from"] == h)
    check(ping["received"] == ping["sent"], f"{s}: {h} pings the hub LAN ({ping['received']}/{ping['sent']})")
later = [e for e in ike(r, exchange="quick") if e["start_s"] > 100]
check(not later and not r["nodes"]["HUB"]["report"]["sas"],
      f"{s}: no rekey of idle SAs; the hub's SAs are gone at the end (expired)")
show = open(f"{work}/{s}/show/HUB.txt").read().split("! 220.000 s")[1]
session = show.split("show crypto isakmp sa")[0]
check(session.count("Session status: UP-IDLE") == 2 and "IPSEC FLOW" not in session
      and "UP-ACTIVE" not in session,
      f"{s}: show crypto session at 220 s: both spokes UP-IDLE (ISAKMP SAs, no IPsec SA left)")

# ---------------------------------------------------------------- failover

s = "ike-failover"
r = results(s)
P1, P2 = "198.51.100.2", "203.0.113.2"
site = [e for e in ike(r, "SITE")]
first = [(e["exchange"], e["peer"], e["result"]) for e in site[:2]]
check(first == [("main", P1, "ok"), ("quick", P1, "ok")], f"{s}: SITE's tunnel starts with P1")
dead = [e for e in site if e["exchange"] == "informational" and e["reason"].startswith("peer dead")]
check(len(dead) == 1 and dead[0]["peer"] == P1 and 30 < dead[0]["end_s"] < 60,
      f"{s}: DPD declares P1 dead at {dead[0]['end_s'] if dead else float('nan'):.1f} s (line cut at 30 s)")
rut = [e for e in site if e["exchange"] == "informational" and "R-U-THERE" in e["reason"]
       and not e["reason"].startswith("peer dead")]
check(len(rut) == 5 and all(e["peer"] == P1 and 30 < e["start_s"] <= dead[0]["end_s"] for e in rut),
      f"{s}: five R-U-THERE to P1 went unanswered")
after = [(e["exchange"], e["peer"], e["result"]) for e in site if dead and e["start_s"] >= dead[0]["end_s"]
         and e["exchange"] != "informational"]
check(after == [("main", P2, "ok"), ("quick", P2, "ok")], f"{s}: then main mode and quick mode with P2")
check([(e["exchange"], e["role"], e["result"]) for e in ike(r, "P2")]
      == [("main", "responder", "ok"), ("quick", "responder", "ok")], f"{s}: P2 answers as responder")
dpd = tshark(s, "SITE_Serial0.pcap", "isakmp.exchangetype == 5", ["ip.src", "ip.dst", "isakmp.notify.msgtype"])
check(dpd == [["192.0.2.1", P1, "36136"]] * 5, f"{s}: tshark decrypts the five R-U-THERE notifies to P1, no answer")
t = max([e["end_s"] for e in r["ike"] if e["exchange"] == "quick" and e["result"] == "ok"
         and (e["node"] == "P2" or e["peer"] == P2)], default=1e9)
rows = tshark(s, "h2_eth0.pcap", "udp && ip.src == 10.1.1.10", ["frame.time_epoch"])
late = [float(x[0]) for x in rows if float(x[0]) > t]
rate = flow(r, "h1", "h2")["rate_bps"] / 8 / flow(r, "h1", "h2")["size"]
check(len(late) >= int((72 - t) * rate) - 1, f"{s}: h2 receives h1's datagrams again after {t:.1f} s ({len(late)})")
ping = next(f for f in r["flows"] if f["kind"] == "ping")
check(ping["received"] >= 28 + int(70 - t) - 2, f"{s}: pings answered again through P2 ({ping['received']}/{ping['sent']})")
esp_p1 = tshark(s, "SITE_Serial0.pcap", f"esp && ip.dst == {P1}", ["frame.time_epoch"])
check(bool(dead) and max(float(x[0]) for x in esp_p1) < dead[0]["end_s"] < 60,
      f"{s}: no ESP to P1 after it was declared dead")

# ---------------------------------------------------------------- failures

s = "ike-wrong-psk"
r = results(s)
mi, mr = ike(r, "R1", "main", "initiator"), ike(r, "R2", "main", "responder")
check(len(mi) >= 5 and all(e["result"] == "failed" and "AUTHENTICATION-FAILED" in e["reason"] for e in mi),
      f"{s}: R1's {len(mi)} main modes fail (peer reported AUTHENTICATION-FAILED)")
check(len(mr) == len(mi) and all(e["result"] == "failed" and "cannot be decrypted" in e["reason"]
                                 and "pre-shared keys" in e["reason"] for e in mr),
      f"{s}: R2 cannot decrypt message 5: the pre-shared keys differ")
check(not ike(r, exchange="quick"), f"{s}: no quick mode")
check(all(not r["nodes"][n]["report"]["sas"] and not r["nodes"][n]["report"]["ike"]["isakmp_sas"]
          for n in ("R1", "R2")), f"{s}: no ISAKMP SA, no IPsec SA at the end")
f = r["flows"][0]
check(f["received"] == 0 and drops(r, "R1") == f["sent"], f"{s}: all {f['sent']} packets dropped (no-sa)")
check(not lines(f"{work}/{s}/ikev1_decryption_table.uat"), f"{s}: no phase-1 key to give tshark")
m5 = tshark(s, "R1_Serial0.pcap", "isakmp.exchangetype == 2 && isakmp.flag_e == 1", ["ip.src", "isakmp.typepayload"])
check(len(m5) == len(mi) and all(x == ["172.16.0.1", ""] for x in m5),
      f"{s}: tshark shows each message 5 only as encrypted data")
nt = tshark(s, "R1_Serial0.pcap", "isakmp.exchangetype == 5", ["ip.src", "isakmp.flag_e", "isakmp.notify.msgtype"])
check(len(nt) == len(mi) and all(x == ["172.16.0.2", "0", "24"] for x in nt),
      f"{s}: R2 answers each with a cleartext AUTHENTICATION-FAILED notify")

s = "ike-transform-mismatch"
r = results(s)
check([(e["node"], e["result"]) for e in ike(r, exchange="main")] == [("R1", "ok"), ("R2", "ok")],
      f"{s}: main mode succeeds")
qi, qr = ike(r, "R1", "quick", "initiator"), ike(r, "R2", "quick", "responder")
check(len(qi) >= 3 and all(e["result"] == "failed" and "NO-PROPOSAL-CHOSEN" in e["reason"] for e in qi),
      f"{s}: R1's {len(qi)} quick modes fail: peer reported NO-PROPOSAL-CHOSEN")
check(len(qr) == len(qi) and all(e["result"] == "failed" and "offered esp-3des esp-md5-hmac" in e["reason"]
                                 for e in qr),
      f"{s}: R2's reason names what was offered (esp-3des esp-md5-hmac)")
check(all(not r["nodes"][n]["report"]["sas"] and len(r["nodes"][n]["report"]["ike"]["isakmp_sas"]) == 1
          for n in ("R1", "R2")), f"{s}: the ISAKMP SA stays, no IPsec SA")
f = r["flows"][0]
check(f["received"] == 0 and drops(r, "R1") == f["sent"], f"{s}: all {f['sent']} packets dropped (no-sa)")
nt = tshark(s, "R1_Serial0.pcap", "isakmp.exchangetype == 5", ["ip.src", "isakmp.notify.msgtype"])
check(len(nt) == len(qi) and all(x == ["172.16.0.2", "14"] for x in nt),
      f"{s}: tshark decrypts R2's NO-PROPOSAL-CHOSEN notifies")

# ---------------------------------------------------------------- NAT traversal
s = "ike-nat-t"
r = results(s)
mm = ike(r, "BRANCH", "main")
check(len(mm) == 1 and mm[0]["result"] == "ok" and "NAT here" in mm[0].get("detail", ""),
      f"{s}: BRANCH's NAT-D shows the NAT")
mh = ike(r, "HQ", "main")
check(len(mh) == 1 and mh[0]["peer"] == "203.0.113.1" and "NAT at the peer" in mh[0].get("detail", ""),
      f"{s}: HQ knows BRANCH by its global address and sees the NAT at the peer")
check(all(f["received"] >= f["sent"] - drops(r, "BRANCH") and f["received"] > 0 for f in r["flows"]),
      f"{s}: every flow crosses the NAT inside the tunnel")
nat = r["nodes"]["NAT"]["report"]["nat"]
check(nat["translated_out"] > 0 and nat["translated_in"] > 0, f"{s}: the NAT translated both ways")
inside = tshark(s, "NAT_Serial0.pcap", "esp", ["ip.src", "udp.srcport", "esp.icv_good"])
outside = tshark(s, "NAT_Serial1.pcap", "esp", ["ip.src", "ip.dst", "udp.dstport", "esp.icv_good"])
outer = lambda v: v.split("|")[0]  # decrypted frames show the inner headers' fields too
check(len(inside) > 0 and all(outer(x[1]) == "4500" and true(x[2]) for x in inside),
      f"{s}: inside the NAT, ESP in UDP 4500 decrypts")
check(any(outer(x[0]) == "203.0.113.1" for x in outside) and
      any(outer(x[1]) == "203.0.113.1" for x in outside) and
      all(outer(x[2]) == "4500" and true(x[3]) for x in outside),
      f"{s}: outside, BRANCH appears as 203.0.113.1 and the ESP still decrypts")
ka = r["nodes"]["BRANCH"]["report"]["ike"]["nat_keepalives"]["sent"]
check(ka >= 4 and r["nodes"]["HQ"]["report"]["ike"]["nat_keepalives"]["received"] == ka,
      f"{s}: BRANCH, behind the NAT, sends NAT keepalives every 5 s ({ka}) and HQ gets them")
moved = tshark(s, "NAT_Serial1.pcap", "isakmp", ["udp.dstport"])
check(len(moved) >= 6 and moved[0][0] == "500" and moved[-1][0] == "4500",
      f"{s}: IKE starts on port 500 and floats to 4500")

s = "ike-per-host"
r = results(s)
qm = [e for e in ike(r, "R1", "quick", "initiator") if e["result"] == "ok"]
check(len(qm) == 2 and len(ike(r, "R1", "main")) == 1 and abs(qm[0]["start_s"] - 1) < 0.2
      and abs(qm[1]["start_s"] - 3) < 0.1,
      f"{s}: one main mode, then a quick mode per host pair when each starts "
      f"({[round(e['start_s'], 2) for e in qm]} s)")
show = open(f"{work}/{s}/show/R1.txt").read().split("R1#show crypto isakmp sa")[0]
idents = sorted(set(l.split("(")[2].split("/")[0] for l in show.splitlines() if "local  ident" in l))
check(idents == ["10.0.0.10", "10.0.0.11"] and show.count("/255.255.255.255/0/0") >= 4,
      f"{s}: show crypto ipsec sa has a /32 flow for each host: {idents}")
check(drops(r, "R1") <= 3 and all(f["received"] >= f["sent"] - 2 for f in r["flows"]),
      f"{s}: only the first packets of each pair are lost while negotiating ({drops(r, 'R1')} no-sa)")

print(f"{len(failures)} failed" if failures else "all passed")
sys.exit(1 if failures else 0)
PY
exit $fail
