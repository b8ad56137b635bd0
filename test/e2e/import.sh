#!/usr/bin/env bash
# `ipsec-sim import`: each network of test/data/import/ (hub and spokes with a dynamic crypto
# map on a shared segment, GRE sites over serial lines, sites behind a provider that is not in
# the folder) is imported and the written scenario is run: every ISAKMP and IPsec SA must be up
# and carrying traffic, every UDP flow delivered in full, and the guesses reported on stderr and
# in the scenario's README.md. Bad folders (empty, a file that is not a configuration, two
# routers with one address, an occupied output folder) must fail with a clear message, exit 2
# and write nothing.
# usage: import.sh BUILD_DIR
set -uo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
sim="$build/ipsec-sim"
[ -x "$sim" ] || { echo "SKIP: $sim not built"; exit 77; }
command -v tshark >/dev/null || { echo "SKIP: tshark not installed"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
ok() { echo "ok   $*"; }

# hub-spokes/hub-running-config.txt is pasted `show running-config` output: the prompt, the
# "Building configuration..." header and the final prompt around the configuration.
# vti-sites: a static virtual tunnel interface and a GRE tunnel with tunnel protection.
networks="hub-spokes gre-sites isp-sites vti-sites"
for n in $networks; do
    in="$src/test/data/import/$n"
    if ! "$sim" import "$in" -o "$work/$n" >"$work/$n.out" 2>"$work/$n.err"; then
        fail "$n: import exited non-zero"; cat "$work/$n.err"; continue
    fi
    grep -q "^wrote $work/$n/" "$work/$n.out" && ok "$n: imported" || fail "$n: no summary line"
    if ! "$sim" "$work/$n" --out "$work/out-$n" --quiet >"$work/$n.run" 2>&1; then
        fail "$n: the written scenario did not run"; cat "$work/$n.run"
    fi
    # Every flow crosses the provider inside ESP or a tunnel: the route check follows it there.
    if grep -q "no route" "$work/$n.run"; then
        fail "$n: the route check warns of a route the flows do not need"; grep "no route" "$work/$n.run"
    else
        ok "$n: no route warnings"
    fi
done
[ $fails -eq 0 ] || exit 1

/usr/bin/python3 - "$work" "$src" <<'PY' || fails=$((fails + 1))
import json, os, re, subprocess, sys
work, src = sys.argv[1], sys.argv[2]
failures = []

def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)

def load(n):
    return (json.load(open(f"{work}/{n}/scenario.json")), json.load(open(f"{work}/out-{n}/results.json")),
            open(f"{work}/{n}.err").read(), open(f"{work}/{n}/README.md").read())

def tunnels_up(n, r, routers):
    """Every router with crypto: each ISAKMP SA in QM_IDLE, no IKE exchange failed, and each
    IPsec SA carried packets in both directions."""
    check(r["ike"] and all(e["result"] == "ok" for e in r["ike"]), f"{n}: every IKE exchange ok ({len(r['ike'])})")
    for name, peers in routers.items():
        rep = r["nodes"][name]["report"]
        isakmp = rep["ike"]["isakmp_sas"]
        up = {s["peer"] for s in isakmp if s["state"] == "QM_IDLE"}
        check(up == set(peers) and all(s["state"] == "QM_IDLE" for s in isakmp),
              f"{n}: {name}'s ISAKMP SAs up with {sorted(peers)} (have {sorted(up)})")
        sas = rep["sas"]
        ins = {s["peer"] for s in sas if s["direction"] == "inbound" and s["packets"] > 0}
        outs = {s["peer"] for s in sas if s["direction"] == "outbound" and s["packets"] > 0}
        check(ins == outs == set(peers) and all(s["packets"] > 0 for s in sas),
              f"{n}: {name}'s IPsec SAs carry packets both ways with every peer ({len(sas)} SAs)")

def flows_delivered(n, s, r, count):
    udp = [f for f in r["flows"] if f["kind"] == "udp"]
    check(len(udp) == count and len([t for t in s["traffic"] if t["kind"] == "udp"]) == count,
          f"{n}: {count} UDP flows inferred")
    bad = [f"{f['from']}->{f['to_node']} {f['received']}/{f['sent']}" for f in udp
           if not (f["sent"] > 0 and f["received"] == f["sent"] and f["payload"]["corrupt"] == 0)]
    check(not bad, f"{n}: every UDP flow delivered in full {bad}")

def shows(n, names):
    for name in names:
        t = open(f"{work}/out-{n}/show/{name}.txt").read()
        check("show crypto isakmp sa" in t and "show crypto ipsec sa" in t and "QM_IDLE" in t,
              f"{n}: {name} showed its SAs at the end")

def reported(n, err, readme, needles):
    for what in needles:
        check(what in err and what in readme, f"{n}: reported on stderr and in README.md: {what!r}")

# (a) hub and spokes on one metro Ethernet segment; the hub has a dynamic map.
n = "hub-spokes"
s, r, err, readme = load(n)
spokes = {"SPOKE1": "192.0.2.11", "SPOKE2": "192.0.2.12", "spoke3": "192.0.2.13"}
check(sorted(x["name"] for x in s["nodes"] if x.get("kind", "router") == "router") == ["HUB", "SPOKE1", "SPOKE2", "spoke3"],
      f"{n}: four routers, spoke3 named after its file (no hostname line)")
seg = [l for l in s["links"] if l["a"].endswith("0/1") and "lan" not in l["a"]]
check(len(seg) == 3 and len({l["a"] for l in seg}) == 1, f"{n}: one shared segment of four WAN interfaces")
check(sum(1 for x in s["nodes"] if x.get("kind") == "host") == 4, f"{n}: a host on each LAN")
check(open(f"{work}/{n}/HUB.cfg", "rb").read() == open(f"{src}/test/data/import/{n}/hub-running-config.txt", "rb").read()
      and open(f"{work}/{n}/SPOKE2.cfg", "rb").read().count(b"\r\n") > 20,
      f"{n}: the configurations copied as exported (the pasted show running-config, the CRLF file)")
tunnels_up(n, r, {"HUB": list(spokes.values()), **{k: ["192.0.2.1"] for k in spokes}})
flows_delivered(n, s, r, 6)
shows(n, ["HUB", "SPOKE1", "SPOKE2", "spoke3"])
reported(n, err, readme, ["spoke3-confg has no hostname line", "shared Ethernet segment on 192.0.2.0/24",
                          "host HUB-lan 10.0.0.10/24"])
check("ISP" not in json.dumps(s), f"{n}: no provider invented (every next hop is a router of the folder)")

# (b) GRE tunnels from R1 to R2 and R3, crypto maps protecting the GRE packets.
n = "gre-sites"
s, r, err, readme = load(n)
check(sorted(l["a"] + " " + l["b"] for l in s["links"] if "Serial" in l["a"]) ==
      ["R1:Serial0/0 R2:Serial0/0", "R1:Serial0/1 R3:Serial0/0"], f"{n}: two serial lines inferred")
tunnels_up(n, r, {"R1": ["172.16.12.2", "172.16.13.2"], "R2": ["172.16.12.1"], "R3": ["172.16.13.1"]})
flows_delivered(n, s, r, 4)
gre = {g["interface"]: g for g in r["nodes"]["R1"]["report"].get("gre", [])}
check(set(gre) == {"Tunnel12", "Tunnel13"} and all(g["encapsulated"] > 0 and g["decapsulated"] > 0 for g in gre.values()),
      f"{n}: both of R1's GRE tunnels carried the flows")
reported(n, err, readme, ["R1 Tunnel12 (to R2 172.16.12.2) carries 10.2.0.0/24", "R1 Tunnel13 (to R3 172.16.13.2) carries 10.3.0.0/24"])
shows(n, ["R1", "R2", "R3"])

# (c) three sites whose default routes lead to a provider that is not in the folder.
n = "isp-sites"
s, r, err, readme = load(n)
isp = [x for x in s["nodes"] if x["name"] == "ISP"]
check(len(isp) == 1 and os.path.exists(f"{work}/{n}/ISP.cfg"), f"{n}: a provider router ISP invented, with its configuration")
ispcfg = open(f"{work}/{n}/ISP.cfg").read()
check(" ip address 198.51.100.1 255.255.255.248" in ispcfg and " ip address 203.0.113.1 255.255.255.252" in ispcfg
      and " ip address 100.64.0.5 255.255.255.252" in ispcfg and "crypto" not in ispcfg,
      f"{n}: the provider owns the next hops 198.51.100.1 and 203.0.113.1, takes 100.64.0.5, has no crypto")
check(sorted(l["a"] + " " + l["b"] for l in s["links"] if "ISP" in l["b"]) ==
      ["BERLIN:Serial0 ISP:Serial0/0", "MADRID:Serial0/0 ISP:Serial0/1", "PARIS:FastEthernet1/0 ISP:FastEthernet0/0"],
      f"{n}: each site joined to the provider by the medium of its WAN interface")
sites = {"PARIS": "198.51.100.2", "BERLIN": "203.0.113.2", "MADRID": "100.64.0.6"}
tunnels_up(n, r, {k: [a for o, a in sites.items() if o != k] for k in sites})
flows_delivered(n, s, r, 10)
check(r["nodes"]["ISP"]["report"]["encapsulated"] == 0 and not r["nodes"]["ISP"]["report"]["sas"],
      f"{n}: the provider only forwards")
reported(n, err, readme, ["next hop 198.51.100.1 of PARIS's `ip route 0.0.0.0 0.0.0.0 198.51.100.1` belongs to no router in the folder",
                          "MADRID's `ip route 0.0.0.0 0.0.0.0 Serial0/0` leads out of Serial0/0",
                          "host PARIS-lan2 10.10.1.10/24"])
shows(n, ["PARIS", "BERLIN", "MADRID"])

# What the provider carries, as tshark decrypts it with the exported keys: nothing in clear
# between the LANs, every ESP frame's ICV good, and inside them the LAN-to-LAN UDP.
uat = []
for row in open(f"{work}/out-{n}/esp_sa.uat").read().splitlines():
    uat += ["-o", "uat:esp_sa:" + row]
for pcap in ["ISP_FastEthernet0_0.pcap", "ISP_Serial0_0.pcap", "ISP_Serial0_1.pcap"]:
    out = subprocess.run(["tshark", "-r", f"{work}/out-{n}/{pcap}", "-o", "esp.enable_encryption_decode:TRUE",
                          "-o", "esp.enable_authentication_check:TRUE", *uat, "-T", "fields",
                          "-e", "ip.proto", "-e", "esp.icv_good", "-e", "ip.src", "-e", "udp.dstport"],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    rows = [l.split("\t") for l in out if l.strip()]
    esp = [r for r in rows if r[0].startswith("50")]
    clear = [r for r in rows if not r[0].startswith("50") and r[3] not in ("500", "4500")]
    inner = [r for r in esp if len(r[2].split(",")) == 2 and r[2].split(",")[1].startswith("10.")]
    udp = [r for r in inner if r[0] == "50,17" and r[3].startswith("50")]
    check(esp and all(r[1] == "1" for r in esp) and not clear and len(inner) == len(esp) and len(udp) >= 374,
          f"{n}: {pcap}: {len(esp)} ESP frames, every ICV good, a LAN packet inside each ({len(udp)} of the "
          f"UDP flows), nothing in clear but ISAKMP")

# (d) VTI and GRE with tunnel protection, static routes into the tunnels, behind a provider.
n = "vti-sites"
s, r, err, readme = load(n)
check(any(x["name"] == "ISP" for x in s["nodes"]), f"{n}: the provider invented")
tunnels_up(n, r, {"HQ": ["198.51.100.10", "192.0.2.34"], "BR1": ["203.0.113.2"], "BR2": ["203.0.113.2"]})
flows_delivered(n, s, r, 4)
reported(n, err, readme, ["BR1 Tunnel1 (to HQ 203.0.113.2) carries 10.0.0.0/24",
                          "BR2 Tunnel0 (to HQ 203.0.113.2) carries 10.0.0.0/24"])
shows(n, ["HQ", "BR1", "BR2"])
sys.exit(1 if failures else 0)
PY

# Bad input: a clear message, exit status 2, nothing written (no output folder, no staging).
bad() { # NAME EXPECTED-TEXT DIR [ARGS...]
    local name=$1 expect=$2 dir=$3; shift 3
    "$sim" import "$dir" -o "$work/bad-$name" "$@" >"$work/bad-$name.out" 2>"$work/bad-$name.err"
    local rc=$?
    if [ $rc -eq 2 ] && grep -qF -- "$expect" "$work/bad-$name.err" && [ ! -e "$work/bad-$name" ] &&
        ! ls -a "$work" | grep -q "^bad-$name.import-"; then
        ok "bad input $name: exit 2, '$expect', nothing written"
    else
        fail "bad input $name: exit $rc"; cat "$work/bad-$name.err"
    fi
}
mkdir -p "$work/in/empty" "$work/in/notconfig" "$work/in/binary" "$work/in/dupaddr" "$work/in/typo"
bad empty "no router configuration in the folder" "$work/in/empty"
cp "$src/test/data/import/gre-sites/"* "$work/in/notconfig/"
printf 'Dear team,\nplease find the router configurations attached.\n' >"$work/in/notconfig/notes.txt"
bad notconfig "notes.txt:" "$work/in/notconfig"
grep -q "one router's configuration" "$work/bad-notconfig.err" && ok "bad input notconfig: says what the folder must hold" ||
    fail "bad input notconfig: the message does not say what the folder must hold"
cp "$src/test/data/import/gre-sites/"* "$work/in/binary/"
printf 'PK\003\004\000\000binary' >"$work/in/binary/configs.zip"
bad binary "configs.zip: not a router configuration (binary data" "$work/in/binary"
cp "$src/test/data/import/gre-sites/"* "$work/in/dupaddr/"
sed -i 's/ip address 10.3.0.1 255.255.255.0/ip address 10.1.0.1 255.255.255.0/' "$work/in/dupaddr/R3-setup.txt"
bad dupaddr "has address 10.1.0.1, which R1 FastEthernet0/0" "$work/in/dupaddr"
cp "$src/test/data/import/gre-sites/"* "$work/in/typo/"
sed -i 's/^ set transform-set gre-ts/ set transfrom-set gre-ts/' "$work/in/typo/R2.cfg"
bad typo "R2.cfg:17:" "$work/in/typo"
bad missing "not a folder" "$work/in/nonexistent"
mkdir -p "$work/bad-occupied" && touch "$work/bad-occupied/keep"
"$sim" import "$src/test/data/import/gre-sites" -o "$work/bad-occupied" >/dev/null 2>"$work/occ.err"
rc=$?
[ $rc -eq 2 ] && grep -q "exists and is not an empty folder" "$work/occ.err" && [ "$(ls "$work/bad-occupied")" = keep ] &&
    ok "occupied output folder refused, left as it was" || fail "occupied output folder: exit $rc"

[ $fails -eq 0 ] && echo "import: all passed" || { echo "import: $fails failed"; exit 1; }
