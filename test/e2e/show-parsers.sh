#!/usr/bin/env bash
# The parsers network engineers use must read what our routers print. Runs every library
# scenario of scenarios/ with `show crypto ipsec sa detail` and `show crypto session detail`
# typed on every router at the end of the run, parses both outputs with the public
# ntc-templates TextFSM templates (test/data/ntc-templates/, unmodified) and asserts that the
# records carry what the text printed (read here independently, line by line) and what
# results.json knows about the router's SAs, peers and ISAKMP SAs.
#
# The templates read IOS 15.x forms only: a router that prints 12.4 (`version 12.x` in its
# configuration, or the scenario's "ios": "12.4") is reported as skipped for the templates,
# with the line they stop at; its own text is still checked against results.json.
#
# usage: show-parsers.sh BUILD_DIR [SCENARIO...]   (default: every folder of scenarios/)
# Prerequisites (else exit 77, a skip for CTest): /usr/bin/python3 with TextFSM
# (Debian: python3-textfsm).
set -euo pipefail
build=$(cd "$1" && pwd)
shift
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
templates="$src/test/data/ntc-templates"
skip() {
    echo "SKIP: $*"
    exit 77
}
[ -x /usr/bin/python3 ] || skip "/usr/bin/python3 is missing"
/usr/bin/python3 -c 'import textfsm' 2>/dev/null || skip "TextFSM is missing (python3-textfsm)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
scenarios=("$@")
if [ ${#scenarios[@]} -eq 0 ]; then
    for d in "$src"/scenarios/*/; do scenarios+=("$(basename "$d")"); done
fi

# A copy of each scenario (its configurations beside it) with the two commands appended for
# every router at the end of the run. A scenario that needs what a plain run cannot have is
# left out here with its reason; a sweep runs once, as its base scenario.
for s in "${scenarios[@]}"; do cp -r "$src/scenarios/$s" "$work/$s"; done
/usr/bin/python3 - "$work" "${scenarios[@]}" <<'PY'
import json, os, re, sys

work, names = sys.argv[1], sys.argv[2:]
COMMANDS = ["show crypto ipsec sa detail", "show crypto session detail"]


def era(node, folder):
    """The IOS release family a router prints, as ios/ chooses it (doc/show-output.md)."""
    key = str(node.get("ios", ""))
    if key:
        return "12.4" if key.startswith("12") else "15"
    config = node.get("config", [])
    lines = config if isinstance(config, list) else open(os.path.join(folder, config)).read().splitlines()
    return "12.4" if any(re.match(r"\s*version\s+12\.", l) for l in lines) else "15"


for name in names:
    folder = os.path.join(work, name)
    path = os.path.join(folder, "scenario.json")
    scenario = json.load(open(path))
    nodes = scenario["nodes"]
    plan = {"skip": None, "notes": [], "routers": {}}
    if any(n.get("kind") == "external" for n in nodes):
        plan["skip"] = ("it needs a real IKE peer in a network namespace (root, netns, TUN, "
                        "strongSwan); test/e2e/strongswan-interop.sh runs it")
    if "sweep" in scenario:
        del scenario["sweep"]
        plan["notes"].append("its sweep left out: the base scenario runs once")
    commands = COMMANDS + (["show crypto pki certificates"] if scenario.get("certificate-authorities") else [])
    plan["pki"] = len(commands) > len(COMMANDS)
    for node in nodes:
        if node.get("kind", "router") != "router":
            continue
        plan["routers"][node["name"]] = era(node, folder)
        for command in commands:
            scenario.setdefault("events", []).append(
                {"at": scenario["duration"], "node": node["name"], "exec": command})
    json.dump(scenario, open(path, "w"), indent=1)
    json.dump(plan, open(os.path.join(work, name + ".plan.json"), "w"))
PY

start=$(date +%s)
for s in "${scenarios[@]}"; do
    reason=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["skip"] or "")' \
        "$work/$s.plan.json")
    [ -z "$reason" ] || continue
    t0=$(date +%s.%N)
    if ! "$build/ipsec-sim" "$work/$s/scenario.json" --out "$work/out/$s" --quiet --no-pcaps \
        --no-plots >"$work/$s.log" 2>&1; then
        echo "FAIL $s: ipsec-sim exited non-zero"
        cat "$work/$s.log"
    fi
    printf '%s %.1f\n' "$s" "$(echo "$(date +%s.%N) - $t0" | bc)" >>"$work/times"
done
echo "ran ${#scenarios[@]} scenarios in $(($(date +%s) - start)) s; the longest (s):" \
    $(sort -k2 -rn "$work/times" 2>/dev/null | head -3 | tr '\n' ' ')

/usr/bin/python3 - "$work" "$templates" "${scenarios[@]}" <<'PY'
import json, os, re, subprocess, sys
import textfsm

work, templates, names = sys.argv[1], sys.argv[2], sys.argv[3:]
SA_TEMPLATE = os.path.join(templates, "cisco_ios_show_crypto_ipsec_sa_detail.textfsm")
SESSION_TEMPLATE = os.path.join(templates, "cisco_ios_show_crypto_session_detail.textfsm")
PKI_TEMPLATE = os.path.join(templates, "cisco_ios_show_crypto_pki_certificates.textfsm")
PROTOCOL_PREFIX = {"esp": "esp-", "ah": "ah-", "pcp": "comp-"}


def command_output(text, command):
    """What the router printed for the last `command` of show/ROUTER.txt (entries are
    '! T s', then 'HOST#command', then the output up to the next entry)."""
    entries = re.split(r"^! \d+\.\d{3} s\n", text, flags=re.M)
    found = None
    for entry in entries:
        head, _, body = entry.partition("\n")
        if re.fullmatch(r"\S+#" + re.escape(command), head.strip()):
            found = body
    return found


def parse(template, text):
    with open(template) as f:
        fsm = textfsm.TextFSM(f)
    rows = fsm.ParseText(text)
    return [dict(zip(fsm.header, row)) for row in rows]


# --- an independent reading of our own text, era-agnostic, line by line -----------------------

def read_ipsec_sa(text):
    """Blocks (interface, flow, peer) with their counters and SAs, as the text prints them."""
    blocks, block, sa, section = [], None, None, None
    interface = tag = local = None
    for line in text.splitlines():
        s = line.strip()
        m = re.match(r"interface: (\S+)$", s)
        if m:
            interface = m.group(1)
            continue
        m = re.match(r"Crypto map tag: (\S+), local addr\.? (\S+)$", s)
        if m:
            tag, local = m.groups()
            continue
        m = re.match(r"local\s+ident \(addr/mask/prot/port\): \((.*)/(.*)/(\d+)/(\d+)\)$", s)
        if m:
            block = {"interface": interface, "tag": tag, "local_addr": local, "local_ident": m.groups(),
                     "counters": {}, "sas": [], "lines": set()}
            blocks.append(block)
            section = None
            continue
        if block is None:
            continue
        m = re.match(r"remote ident \(addr/mask/prot/port\): \((.*)/(.*)/(\d+)/(\d+)\)$", s)
        if m:
            block["remote_ident"] = m.groups()
            continue
        m = re.match(r"current_peer:? (\S+?)(?::(\d+)| port (\d+))$", s)
        if m:
            block["peer"], block["port"] = m.group(1), m.group(2) or m.group(3)
            continue
        if s.startswith("#"):
            for name, value in re.findall(r"#+pkts ([a-z. ()]+?):? (\d+)", s):
                block["counters"][name.strip()] = int(value)
            continue
        m = re.match(r"local crypto endpt\.: (\S+), remote crypto endpt\.: (\S+)$", s)
        if m:
            block["endpoints"] = m.groups()
            continue
        m = re.match(r"current outbound spi: (?:0x)?([0-9A-Fa-f]+)(?:\((\d+)\))?$", s)
        if m:
            block["outbound_spi"] = m.groups()
            continue
        m = re.match(r"(inbound|outbound) (esp|ah|pcp) sas:$", s)
        if m:
            section = m.groups()
            continue
        m = re.match(r"spi: 0x([0-9A-Fa-f]+)\((\d+)\)$", s)
        if m and section:
            sa = {"direction": section[0], "protocol": section[1], "hex": m.group(1), "dec": m.group(2)}
            block["sas"].append(sa)
            continue
        if sa is not None and section:
            m = re.match(r"transform: (.*?)\s*,$", s)
            if m:
                sa["transform"] = m.group(1)
            m = re.search(r"crypto map: (\S+)$", s)
            if m:
                sa["map"] = m.group(1)
            m = re.match(r"in use settings =\{(.*?),?\s*\}$", s)
            if m:
                sa["settings"] = m.group(1)
            m = re.match(r"Status: (\S+)$", s)
            if m:
                sa["status"] = m.group(1)
    return blocks


def read_session(text):
    """One entry per 'Interface:' block of show crypto session detail."""
    sessions = []
    for chunk in re.split(r"^Interface: ", text, flags=re.M)[1:]:
        lines = chunk.splitlines()
        session = {"interface": lines[0].strip(), "flows": [], "ike": None}
        for line in lines[1:]:
            s = line.strip()
            m = re.match(r"Session status: (\S+)", s)
            if m:
                session["status"] = m.group(1)
            m = re.match(r"Peer: (\S+) port (\d+)", s)
            if m:
                session["peer"], session["port"] = m.groups()
            m = re.match(r"IKE(?:v1)? SA: local (\S+)/(\d+) remote (\S+)/(\d+) (\S+)", s)
            if m:
                session["ike"] = m.groups()
            m = re.match(r"Active SAs: (\d+), origin: (.+)$", s)
            if m:
                session["flows"].append((int(m.group(1)), m.group(2).strip()))
        sessions.append(session)
    return sessions


# --- the checks --------------------------------------------------------------------------------

class Router:
    def __init__(self, scenario, name):
        self.label = f"{scenario} {name}"
        self.problems = []

    def expect(self, cond, what):
        if not cond:
            self.problems.append(what)
        return cond


def spi_of(results_sa):
    return int(results_sa["spi"], 16)


# Template fields compared with the independent reading of the same block.
COUNTER_FIELDS = {
    "PKTS_ENCAPS": "encaps", "PKTS_ENCRYPT": "encrypt", "PKTS_DIGEST": "digest",
    "PKTS_DECAPS": "decaps", "PKTS_DECRYPT": "decrypt", "PKTS_VERIFY": "verify",
    "PKTS_COMPRESSED": "compressed", "PKTS_DECOMPRESSED": "decompressed",
    "PKTS_NOT_COMPRESSED": "not compressed", "PKTS_COMPRESS_FAILED": "compr. failed",
    "PKTS_NOT_DECOMPRESSED": "not decompressed", "PKTS_DECOMPRESS_FAILED": "decompress failed",
    "PKTS_NO_SA": "no sa (send)", "PKTS_INVALID_SA": "invalid sa (rcv)",
    "PKTS_ENCAPS_FAILED": "encaps failed (send)", "PKTS_DECAPS_FAILED": "decaps failed (rcv)",
    "PKTS_INVALID_PROT": "invalid prot (recv)", "PKTS_VERIFY_FAILED": "verify failed",
    "PKTS_REPLAY_FAILED": "replay failed (rcv)",
}


def check_sa_records(r, records, blocks, sas):
    """Every SA printed is one template record carrying its block's facts; the records are the
    router's SAs of results.json, with their peers, maps, modes and at least their packets."""
    printed = [(b, sa) for b in blocks for sa in b["sas"]]
    r.expect(len(records) == len(printed),
             f"ipsec sa: {len(records)} template records for the {len(printed)} SAs printed")
    r.expect(len(printed) == len(sas),
             f"ipsec sa: {len(printed)} SAs printed, results.json has {len(sas)}")
    by_spi = {(x["direction"], x["protocol"], spi_of(x)): x for x in sas}
    for rec, (block, sa) in zip(records, printed):
        where = f"ipsec sa: SA {rec['SA_SPI_HEX']}"
        r.expect(rec["SA_SPI_HEX"].lower() == "0x" + sa["hex"].lower() and rec["SA_SPI_DEC"] == sa["dec"],
                 f"{where}: parsed spi {rec['SA_SPI_HEX']}({rec['SA_SPI_DEC']}), printed 0x{sa['hex']}({sa['dec']})")
        r.expect(int(rec["SA_SPI_HEX"], 16) == int(rec["SA_SPI_DEC"] or -1),
                 f"{where}: hex and decimal SPI disagree ({rec['SA_SPI_HEX']} vs {rec['SA_SPI_DEC']})")
        r.expect((rec["SA_ORIENTATION"], rec["SA_TYPE"]) == (sa["direction"], sa["protocol"]),
                 f"{where}: parsed as {rec['SA_ORIENTATION']} {rec['SA_TYPE']}, printed under {sa['direction']} {sa['protocol']}")
        want = {"INTERFACE": block["interface"], "CRYPTO_MAP_TAG": block["tag"], "LOCAL_ADDR": block["local_addr"],
                "CURRENT_PEER": block.get("peer"), "PORT": block.get("port"),
                "LOCAL_IDENT_ADDR": block["local_ident"][0], "REMOTE_IDENT_ADDR": block.get("remote_ident", ("?",))[0],
                "SA_STATUS": sa.get("status"), "SA_CRYPTO_MAP": sa.get("map"),
                "LOCAL_CRYPTO_ENDPT": block.get("endpoints", (None,))[0],
                "REMOTE_CRYPTO_ENDPT": block.get("endpoints", (None, None))[1]}
        for field, name in COUNTER_FIELDS.items():
            if name in block["counters"]:
                want[field] = str(block["counters"][name])
        for field in ("PKTS_ENCAPS", "PKTS_DECAPS"):
            r.expect(field in want, f"{where}: no #pkts {COUNTER_FIELDS[field]} line in its block")
        for field, value in want.items():
            r.expect(value is not None and rec[field] == value,
                     f"{where}: {field} parsed {rec[field]!r}, printed {value!r}")
        out = block.get("outbound_spi")
        parsed = f"{rec['CURRENT_OUTBOUND_SPI_HEX']}({rec['CURRENT_OUTBOUND_SPI_DEC']})"
        r.expect(out is not None and rec["CURRENT_OUTBOUND_SPI_HEX"].lower() == "0x" + out[0].lower()
                 and rec["CURRENT_OUTBOUND_SPI_DEC"] == (out[1] or ""),
                 f"{where}: current outbound spi parsed {parsed}, printed {out}")
        r.expect(out is not None and int(out[0], 16) == int(rec["CURRENT_OUTBOUND_SPI_DEC"] or -1),
                 f"{where}: current outbound spi {parsed}: hex and decimal disagree")
        words = [w for w in rec["SA_TRANSFORM"].split() if not w.isdigit()]
        r.expect(words and all(w.startswith(PROTOCOL_PREFIX[sa["protocol"]]) for w in words),
                 f"{where}: transform {rec['SA_TRANSFORM']!r} is not that of one {sa['protocol']} SA")
        known = by_spi.get((sa["direction"], sa["protocol"], int(sa["hex"], 16)))
        if not r.expect(known is not None, f"{where}: not an SA of results.json"):
            continue
        r.expect(rec["CURRENT_PEER"] == known["peer"] and rec["LOCAL_ADDR"] == known["local"]
                 and rec["SA_CRYPTO_MAP"] == known["map"],
                 f"{where}: peer/local/map {rec['CURRENT_PEER']}/{rec['LOCAL_ADDR']}/{rec['SA_CRYPTO_MAP']}, "
                 f"results.json {known['peer']}/{known['local']}/{known['map']}")
        r.expect(known["mode"].lower() in rec["SA_IN_USE_SETTINGS"].lower(),
                 f"{where}: in use settings {rec['SA_IN_USE_SETTINGS']!r}, results.json mode {known['mode']}")
    check_block_counters(r, blocks, by_spi)


def check_block_counters(r, blocks, by_spi):
    """A block's #pkts encaps (decaps) counts at least what its outbound (inbound) SAs of each
    protocol carried: its SAs in results.json, rekeyed generations added up."""
    for block in blocks:
        for direction, counter in (("outbound", "encaps"), ("inbound", "decaps")):
            for protocol in ("esp", "ah"):
                carried = [by_spi[k]["packets"] for sa in block["sas"]
                           for k in [(direction, protocol, int(sa["hex"], 16))]
                           if sa["direction"] == direction and sa["protocol"] == protocol and k in by_spi]
                if carried and counter in block["counters"]:
                    r.expect(block["counters"][counter] >= sum(carried),
                             f"ipsec sa: {block['interface']} peer {block.get('peer')}: #pkts {counter} "
                             f"{block['counters'][counter]}, its {direction} {protocol} SAs carried {sum(carried)}")


def check_session_records(r, records, sessions, blocks, sas, isakmp, nat_peers):
    """One record per peer, as printed; every peer with SAs or an ISAKMP SA up; Active SAs the
    SAs results.json holds for that peer; the port that show crypto ipsec sa gives the peer,
    4500 with a peer whose main mode found NAT."""
    r.expect(len(records) == len(sessions),
             f"session: {len(records)} template records for the {len(sessions)} Interface blocks printed")
    peers = [rec["PEER"] for rec in records]
    r.expect(len(peers) == len(set(peers)), f"session: a peer in more than one record: {peers}")
    for rec, session in zip(records, sessions):
        where = f"session: peer {rec['PEER']}"
        want = {"INTERFACE": session["interface"], "SESSION_STATUS": session.get("status"),
                "PEER": session.get("peer"), "PORT": session.get("port")}
        if session["flows"]:
            want["ACTIVE_SA"], want["ORIGIN"] = str(session["flows"][-1][0]), session["flows"][-1][1]
        if session["ike"]:
            want.update(zip(("LOCAL_IP", "LOCAL_PORT", "REMOTE_IP", "REMOTE_PORT", "IKEV1_STATUS"), session["ike"]))
        for field, value in want.items():
            r.expect(value is not None and rec[field] == value,
                     f"{where}: {field} parsed {rec[field]!r}, printed {value!r}")
        held = [x for x in sas if x["peer"] == session.get("peer")]
        total = sum(n for n, _ in session["flows"])
        r.expect(total == len(held), f"{where}: Active SAs add up to {total}, results.json has {len(held)} SAs")
        if held:
            r.expect(rec["SESSION_STATUS"].startswith("UP"), f"{where}: status {rec['SESSION_STATUS']} with SAs up")
        ports = {b.get("port") for b in blocks if b.get("peer") == rec["PEER"]}
        r.expect(not ports or ports == {rec["PORT"]},
                 f"{where}: port {rec['PORT']}, show crypto ipsec sa says {sorted(p or '?' for p in ports)}")
        if rec["PEER"] in nat_peers:
            r.expect(rec["PORT"] == "4500" and ports <= {"4500"},
                     f"{where}: NAT-T with this peer (results.json), but port {rec['PORT']} "
                     f"(show crypto ipsec sa: {sorted(p or '?' for p in ports)})")
    for peer in sorted({x["peer"] for x in sas} | {x["peer"] for x in isakmp}):
        r.expect(peer in peers, f"session: no record for peer {peer}, which has "
                 + ("SAs" if any(x["peer"] == peer for x in sas) else "an ISAKMP SA"))


def template_error(template, text):
    try:
        return None, parse(template, text)
    except textfsm.TextFSMError as e:
        return str(e).strip(), []


FLOW_START = re.compile(r"\s*(protected vrf:|local\s+ident )")


def one_flow_per_interface(text):
    """IOS prints `interface:` and `Crypto map tag:` once for all the flows of an interface;
    the template leaves its SA state only at an `interface:` line, so it stops at a second
    flow of any real router (two peers on one crypto map interface). Repeating the header
    before each further flow is what its user has to do; the records are the same."""
    out, header, flows, previous = [], [], 0, ""
    for line in text.splitlines():
        if line.startswith("interface:"):
            header, flows = [line], 0
        elif line.strip().startswith("Crypto map tag:") and len(header) == 1:
            header.append(line)
        elif FLOW_START.match(line) and not (previous.strip().startswith("protected vrf:")):
            flows += 1
            if flows > 1:
                out += header + [""]
        out.append(line)
        previous = line
    return "\n".join(out) + "\n"


NO_REPLAY = re.compile(r"\s*replay detection support: N\s*$")

# Lines of real IOS output that the ipsec-sa template has no rule for, and what its user does
# about each: (the line the template stops at, the text rewritten, the note printed).
SA_TEMPLATE_GAPS = [
    (FLOW_START, one_flow_per_interface,
     "the template reads one flow per interface: header repeated for the others"),
    (NO_REPLAY, lambda text: "\n".join(l for l in text.splitlines() if not NO_REPLAY.match(l)) + "\n",
     "the template has no rule for 'replay detection support: N' (no window size, a manual SA): line left out"),
]


def parse_ipsec_sa(text):
    """The template's records, with a note for each known gap of the template worked around."""
    notes = []
    error, records = template_error(SA_TEMPLATE, text)
    while error:
        stopped_at = error.split("Input Line:", 1)[-1]
        gap = next((g for g in SA_TEMPLATE_GAPS if g[0].match(stopped_at) and g[2] not in notes), None)
        if gap is None:
            break
        text = gap[1](text)
        notes.append(gap[2])
        error, records = template_error(SA_TEMPLATE, text)
    return error, records, "; ".join(notes) or None


FLOW_WITH_PORT = re.compile(r"\s*IPSEC FLOW: permit \S+ .* port \d+ ")
PORT_IN_FLOW = re.compile(r" port \d+(?= )")


def parse_session(text):
    """The session template's records. Its two IPSEC FLOW rules have no room for a port after
    the source (`permit 17 10.2.2.0/255.255.255.0 port 5000 10.1.1.0/255.255.255.0`, how IOS
    writes a flow of one port), and stop there; the ports are left out then, as its user has
    to, and a note says so. (A port after the destination needs nothing: the rules end
    before it.)"""
    error, records = template_error(SESSION_TEMPLATE, text)
    stopped_at = (error or "").split("Input Line:", 1)[-1]
    if not error or not FLOW_WITH_PORT.match(stopped_at):
        return error, records, None
    text = "\n".join(PORT_IN_FLOW.sub("", l) if l.strip().startswith("IPSEC FLOW:") else l
                     for l in text.splitlines()) + "\n"
    error, records = template_error(SESSION_TEMPLATE, text)
    return error, records, "the session template has no rule for a flow with a source port: ports left out"


ADDRESS_IN_SUBJECT = re.compile(r"\s*(IP Address:|ipaddress=)")


def parse_pki(text):
    """The pki template's records. It has no rule for the `IP Address:` and `ipaddress=` lines
    that a certificate enrolled with `ip-address` shows in its Subject; they are left out then,
    as its user has to, and a note says so."""
    error, records = template_error(PKI_TEMPLATE, text)
    if error and ADDRESS_IN_SUBJECT.match(error.split("Input Line:", 1)[-1]):
        kept = "\n".join(l for l in text.splitlines() if not ADDRESS_IN_SUBJECT.match(l)) + "\n"
        error, records = template_error(PKI_TEMPLATE, kept)
        return error, records, None if error else "the pki template has no rule for IP Address: lines"
    return error, records, None


def ca_serial(out, ca):
    """The serial number of a CA's certificate, as openssl reads its PEM (pki/CA.pem)."""
    pem = os.path.join(out, "pki", ca + ".pem")
    run = subprocess.run(["openssl", "x509", "-in", pem, "-noout", "-serial"], capture_output=True, text=True)
    return int(run.stdout.strip().split("=", 1)[1], 16) if run.returncode == 0 else None


def check_pki(r, text, records, results, router, out):
    """One record per certificate printed, with its serial; the router's own certificate and its
    CA's are those of results.json and the CA's PEM."""
    printed = re.findall(r"^\s*Certificate Serial Number \(hex\): (\S+)", text, flags=re.M)
    parsed = [rec["SERIAL_NUMBER"] for rec in records]
    r.expect([p.upper() for p in parsed] == [p.upper() for p in printed],
             f"pki: serials parsed {parsed}, printed {printed}")
    for ca, info in results.get("pki", {}).items():
        for cert in info["issued"]:
            if cert["node"] == router and not cert["revoked"]:
                r.expect(int(cert["serial"], 16) in {int(p, 16) for p in parsed if p},
                         f"pki: the router's certificate from {ca}, serial {cert['serial']}, is not in the records")
        serial = ca_serial(out, ca)
        held = {int(rec["SERIAL_NUMBER"], 16) for rec in records if rec["CERTIFICATE_TYPE"].startswith("CA")}
        if any(c["node"] == router for c in info["issued"]):
            r.expect(serial in held, f"pki: CA certificate of {ca} (serial {serial:X}) not in the records")


def check_router(name, router, release, results, out):
    """Checks one router's two outputs; returns "ok", "FAIL" or "skip" with the lines to print."""
    r = Router(name, router)
    report = results["nodes"][router]["report"]
    sas, isakmp = report.get("sas", []), report.get("ike", {}).get("isakmp_sas", [])
    nat_peers = {e["peer"] for e in results.get("ike", []) if e["node"] == router
                 and e["exchange"] in ("main", "aggressive") and e["result"] == "ok"
                 and "NAT" in e.get("detail", "")}
    path = os.path.join(out, "show", router + ".txt")
    show = open(path).read() if os.path.exists(path) else ""
    sa_text = command_output(show, "show crypto ipsec sa detail")
    session_text = command_output(show, "show crypto session detail")
    if sa_text is None or session_text is None:
        return "FAIL", [f"FAIL {r.label}: show/{router}.txt lacks the two commands' output"]
    blocks, sessions = read_ipsec_sa(sa_text), read_session(session_text)
    sa_error, sa_records, sa_note = parse_ipsec_sa(sa_text)
    session_error, session_records, session_note = parse_session(session_text)
    if release == "12.4" and (sa_error or session_error):
        # Text of the 12.4 era, which the templates (15.x forms) do not read: check our text
        # against results.json only.
        printed = sum(len(b["sas"]) for b in blocks)
        if printed != len(sas):
            return "FAIL", [f"FAIL {r.label} (12.4): {printed} SAs printed, results.json has {len(sas)}"]
        return "skip", [f"skip {r.label}: IOS 12.4 output, which the templates (15.x forms) do not read:",
                        f"     ipsec sa: {sa_error or f'{len(sa_records)} records'}",
                        f"     session: {session_error or f'{len(session_records)} records'}"]
    r.expect(sa_error is None, f"ipsec sa template: {sa_error}")
    r.expect(session_error is None, f"session template: {session_error}")
    if sa_error is None:
        check_sa_records(r, sa_records, blocks, sas)
    if session_error is None:
        check_session_records(r, session_records, sessions, blocks, sas, isakmp, nat_peers)
    pki_note = None
    pki_text = command_output(show, "show crypto pki certificates")
    if pki_text is not None:
        pki_error, pki_records, pki_note = parse_pki(pki_text)
        if r.expect(pki_error is None, f"pki template: {pki_error}"):
            check_pki(r, pki_text, pki_records, results, router, out)
    note = [f"     note: {n}" for n in (sa_note, session_note, pki_note) if n]
    if r.problems:
        more = [f"     ... and {len(r.problems) - 8} more"] if len(r.problems) > 8 else []
        return "FAIL", ([f"FAIL {r.label}: {len(r.problems)} problems"]
                        + [f"     {p}" for p in r.problems[:8]] + more + note)
    era = " (12.4 output)" if release == "12.4" else ""
    return "ok", [f"ok   {r.label}: {len(sa_records)} SAs, {len(session_records)} sessions parsed{era}"] + note


count = {"ok": 0, "FAIL": 0, "skip": 0}
for name in names:
    plan = json.load(open(os.path.join(work, name + ".plan.json")))
    if plan["skip"]:
        print(f"skip {name}: {plan['skip']}")
        count["skip"] += 1
        continue
    for note in plan["notes"]:
        print(f"note {name}: {note}")
    out = os.path.join(work, "out", name)
    if not os.path.exists(os.path.join(out, "results.json")):
        print(f"FAIL {name}: the run wrote no results.json")
        count["FAIL"] += len(plan["routers"])
        continue
    results = json.load(open(os.path.join(out, "results.json")))
    for router, release in plan["routers"].items():
        try:
            status, lines = check_router(name, router, release, results, out)
        except Exception as e:  # a crash of the checker is a failure of this router, not of all
            status, lines = "FAIL", [f"FAIL {name} {router}: the check crashed: {type(e).__name__}: {e}"]
        count[status] += 1
        print("\n".join(lines))
print(f"{count['skip']} skipped")
print(f"{count['ok']} passed, {count['FAIL']} failed")
sys.exit(1 if count["FAIL"] else 0)
PY
