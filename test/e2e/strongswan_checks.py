"""What the strongSwan interoperation tests' checks share (strongswan-interop.sh for IKEv1,
strongswan-ikev2.sh for IKEv2): the verdicts, swanctl's raw output, R1's show crypto ipsec sa,
the namespace's traffic and the scenario's flows, tshark with the run's keys."""
import os, re, subprocess

failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def text(path):
    return open(path).read() if os.path.exists(path) else ""


def lines(path):
    return [l for l in text(path).splitlines() if l.strip()]


def vici_parse(s):
    """swanctl --raw: 'list-sa event {NAME {k=v k {..} k [a b]}}' lines -> list of dicts."""
    events = []
    for line in s.splitlines():
        if not line.startswith("list-sa event"):
            continue
        toks = re.findall(r"\{|\}|\[|\]|[^\s{}\[\]=]+=(?:[^\s{}\[\]]*)|[^\s{}\[\]]+", line[len("list-sa event"):])

        def parse(i):
            d = {}
            while i < len(toks):
                t = toks[i]
                if t == "}":
                    return d, i + 1
                if "=" in t:
                    k, v = t.split("=", 1)
                    d[k] = v
                    i += 1
                elif i + 1 < len(toks) and toks[i + 1] == "{":
                    d[t], i = parse(i + 2)
                elif i + 1 < len(toks) and toks[i + 1] == "[":
                    j = toks.index("]", i + 2)
                    d[t] = toks[i + 2:j]
                    i = j + 1
                else:
                    i += 1
            return d, i
        d, _ = parse(1) if toks and toks[0] == "{" else ({}, 0)
        events.append(d)
    return events


def sas(path):
    """{ike name: ike dict} from one swanctl --list-sas --raw."""
    res = {}
    for ev in vici_parse(text(path)):
        res.update(ev)
    return res


def show_blocks(out, at):
    """R1's show crypto ipsec sa at time 'at' (seconds) in the run folder 'out': {peer: {"port",
    "current", "inbound", "outbound", "transforms", "settings"}} and the text."""
    show = text(f"{out}/show/R1.txt")
    parts = show.split("\n! ")
    blk = next((p for p in parts if p.lstrip("! ").startswith(f"{at:.3f} s\nR1#show crypto ipsec sa")), "")
    res = {}
    cur = None
    direction = None
    for line in blk.splitlines():
        m = re.search(r"current_peer ([\d.]+) port (\d+)", line)
        if m:
            cur = res.setdefault(m.group(1), {"port": m.group(2), "current": None, "inbound": set(),
                                              "outbound": set(), "transforms": set(), "settings": set()})
        m = re.search(r"current outbound spi: 0x([0-9A-F]+)\(", line)
        if m and cur is not None:
            cur["current"] = m.group(1).lower().zfill(8)
        m = re.match(r"\s+(inbound|outbound) esp sas:", line)
        if m:
            direction = m.group(1)
        m = re.match(r"\s+spi: 0x([0-9A-F]+)", line)
        if m and cur is not None:
            cur[direction].add(m.group(1).lower().zfill(8))
        m = re.match(r"\s+transform: (.*?) ?,", line)
        if m and cur is not None:
            cur["transforms"].add(m.group(1).strip())
        m = re.match(r"\s+in use settings =\{(.*)\}", line)
        if m and cur is not None:
            cur["settings"].add(m.group(1))
    return res, blk


def same_spis(children, r1):
    """strongSwan's CHILD SAs (any state) and R1's SAs with that peer: the same pairs."""
    ins = {c.get("spi-in") for c in children}
    outs = {c.get("spi-out") for c in children}
    return bool(children) and r1 is not None and ins == r1["outbound"] and outs == r1["inbound"]


def pings(traffic, name, t1=0, t2=1e9):
    """(sent, answered) of the namespace's pinger 'name' between t1 and t2"""
    rows = [p for p in traffic["pings"][name] if t1 <= p[1] < t2]
    return len(rows), sum(1 for p in rows if p[2] is not None)


def flow(r, frm, to, port=None, kind=None):
    """sent and received summed over the scenario's flows that match"""
    fs = [f for f in r["flows"] if f["from"] == frm and f["to"] == to
          and (port is None or f.get("port") == port) and (kind is None or f["kind"] == kind)]
    return {k: sum(f.get(k) or 0 for f in fs) for k in ("sent", "received")}


def tshark_opts(out, table):
    """tshark's options for the run's esp_sa.uat and its IKE table ('ikev1_decryption_table' or
    'ikev2_decryption_table', read from the .uat file of that name)"""
    opts = ["-o", "esp.enable_encryption_decode:TRUE", "-o", "esp.enable_authentication_check:TRUE"]
    for row in lines(f"{out}/esp_sa.uat"):
        opts += ["-o", "uat:esp_sa:" + row]
    for row in lines(f"{out}/{table}.uat"):
        opts += ["-o", f"uat:{table}:" + row]
    return opts


def tshark(pcap, opts, display, fields):
    res = subprocess.run(["tshark", "-r", pcap, *opts, "-Y", display, "-T", "fields",
                          "-E", "occurrence=a", "-E", "aggregator=|", *sum([["-e", f] for f in fields], [])],
                         capture_output=True, text=True, check=True).stdout
    return [l.split("\t") for l in res.splitlines() if l.strip()]
