#!/usr/bin/env bash
# Makes the report of finished runs with ipsec-report (doc/report.md) and checks it: the PNG
# plots, a self-contained report.html (nothing to fetch, every picture a data: URI, strings from
# results.json escaped), the gnuplot scripts alone without gnuplot, and, rendered by a headless
# Chromium, a ladder diagram with one arrow per IKE message of the run and the SA tables with the
# run's SPIs. A capacity point (timed hardware) adds the crypto engine plot.
# usage: run-report.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start=$(date +%s)

for exe in ipsec-sim ipsec-report; do
    if [ ! -x "$build/$exe" ]; then
        echo "FAIL $build/$exe is not built"; exit 1
    fi
done
if ! command -v gnuplot >/dev/null 2>&1; then
    echo "skip: gnuplot is not installed (apt-get install gnuplot-nox)"; exit 77
fi

run() { # NAME COMMAND...: run, keep the output, fail loudly
    local name=$1; shift
    if ! "$@" >"$work/$name.out" 2>"$work/$name.err"; then
        echo "FAIL $name: $* exited non-zero"; cat "$work/$name.err"; exit 1
    fi
}

# An IKE run with rekeys, then its report.
run sim "$build/ipsec-sim" "$src/scenarios/ike-rekey-time/scenario.json" --out "$work/x" --quiet
run report "$build/ipsec-report" "$work/x"
# Failures, notifications in the clear, dead peer detection and failover: more ladders.
run sim-w "$build/ipsec-sim" "$src/scenarios/ike-wrong-psk/scenario.json" --out "$work/w" --quiet
run report-w "$build/ipsec-report" "$work/w"
run sim-f "$build/ipsec-sim" "$src/scenarios/ike-failover/scenario.json" --out "$work/f" --quiet
run report-f "$build/ipsec-report" "$work/f"

# A capacity point on timed hardware (a card and the CPU per router), then its report.
run sweep "$build/ipsec-sim" "$src/scenarios/capacity/scenario.json" \
    --configuration "1750 + MOD1700-VPN" --size 1400 --out "$work/c" --quiet
# the point where the card works hardest, from the sweep's table
point="$work/c/"$(/usr/bin/python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["sweep"]
print(max(s.get("runs") or s["rows"], key=lambda x: x.get("card_percent") or 0)["run"])' "$work/c/results.json")
run point-report "$build/ipsec-report" "$point"

# The sweep's own folder holds a table, not a run: refused.
set +e
"$build/ipsec-report" "$work/c" >"$work/sweep-report.out" 2>&1
sweep_rc=$?
set -e

# The same run with hostile strings, and without gnuplot.
mkdir -p "$work/esc" "$work/nognuplot"
/usr/bin/python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
r = json.load(open(f"{work}/x/results.json"))
r["scenario"]["name"] = 'evil <script>alert(1)</script> & "quoted" \'x\''
r["nodes"]["R1"]["report"]["drops"]["<img src=x onerror=alert(2)>"] = 3
r["warnings"] = ["<a href=\"https://example.com/\">look</a>"]
json.dump(r, open(f"{work}/esc/results.json", "w"))
json.dump(json.load(open(f"{work}/x/results.json")), open(f"{work}/nognuplot/results.json", "w"))
PY
run esc-report "$build/ipsec-report" "$work/esc"
run nognuplot-report env PATH=/nonexistent "$build/ipsec-report" "$work/nognuplot"

# A real browser, to render the page: Debian's chromium, installed when missing and possible.
browser=""
for b in chromium chromium-browser; do
    command -v "$b" >/dev/null 2>&1 && browser=$(command -v "$b") && break
done
if [ -z "$browser" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium (apt-get) ..."
    apt-get install -y chromium >"$work/apt.log" 2>&1 ||
        { apt-get update >>"$work/apt.log" 2>&1 && apt-get install -y chromium >>"$work/apt.log" 2>&1; } ||
        true
    command -v chromium >/dev/null 2>&1 && browser=$(command -v chromium)
fi
if [ -n "$browser" ]; then
    chrome=("$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars)
    for d in x w f "${point#"$work"/}"; do
        out="$work/$(basename "$d")"
        if ! timeout 120 "${chrome[@]}" --dump-dom "file://$work/$d/report.html" >"$out.dom" 2>"$out.dom.err"; then
            echo "FAIL chromium --dump-dom of $d/report.html"; tail -5 "$out.dom.err"; exit 1
        fi
        (cd "$work" && timeout 120 "${chrome[@]}" --window-size=1400,2600 \
            --screenshot="$out.shot.png" "file://$work/$d/report.html" >/dev/null 2>&1) || true
    done
fi

rc=0
/usr/bin/python3 - "$work" "${point#"$work"/}" "$sweep_rc" "$browser" <<'PY' || rc=$?
import base64, json, os, re, sys, zlib
from html.parser import HTMLParser

work, point, sweep_rc, browser = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
failures = []
PNG = b"\x89PNG\r\n\x1a\n"

def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)

def is_png(path):
    return os.path.exists(path) and open(path, "rb").read(8) == PNG

class Page(HTMLParser):
    """Elements of a page as [tag, attributes, text, router section]."""
    VOID = {"img", "meta", "br", "hr", "link", "input", "line", "path", "circle"}
    def __init__(self, text):
        super().__init__()
        self.elements, self.open, self.router = [], [], None
        self.feed(text)
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section" and "router" in (a.get("class") or "").split():
            self.router = a["id"][len("router-"):]
        e = [tag, a, "", self.router]
        self.elements.append(e)
        if tag not in self.VOID:
            self.open.append(e)
    def handle_endtag(self, tag):
        while self.open and self.open.pop()[0] != tag:
            pass
    def handle_data(self, data):
        if self.open:
            self.open[-1][2] += data
    def find(self, tag, cls=None):
        return [e for e in self.elements
                if e[0] == tag and (cls is None or cls in (e[1].get("class") or "").split())]

def remote_refs(html):
    """Anything the page would fetch: src/href/... attributes, CSS url() and @import that are
    not data: URIs or anchors of the page."""
    page = Page(html)
    refs = [v.strip() for e in page.elements for k, v in e[1].items()
            if k in ("src", "href", "xlink:href", "srcset", "poster", "data", "action") and v]
    css = "".join(e[2] for e in page.find("style")) + "".join(e[1].get("style") or "" for e in page.elements)
    refs += re.findall(r"url\(\s*['\"]?([^)'\"]+)", css, re.I)
    refs += re.findall(r"@import\s+['\"]?([^'\";]+)", css, re.I)
    return [u for u in refs if not (u.startswith("data:") or u.startswith("#"))]

def ike_arrows(r):
    """The IKE messages of a run as doc/report.md draws them: (kind, from, to, label)."""
    nodes = {}
    for name, n in r["nodes"].items():
        if "address" in n:
            nodes[n["address"].split("/")[0]] = name
        for sa in n.get("report", {}).get("sas", []):
            nodes[sa["local"]] = name
    for x in r["ike"]:
        nodes[x["local"]] = x["node"]
    groups = []
    for x in r["ike"]:
        peer = nodes.get(x["peer"], x["peer"])
        key = (x["exchange"], x["icookie"], x["message_id"], frozenset((x["node"], peer)))
        g = next((g for g in reversed(groups) if g["key"] == key and
                  all(y["node"] != x["node"] for y in g["records"])), None)
        if g is None:
            g = {"key": key, "records": [], "initiator": None}
            groups.append(g)
        g["records"].append(x)
        if x["role"] == "initiator" or g["initiator"] is None:
            g["initiator"], g["responder"] = (x["node"], peer) if x["role"] == "initiator" else (peer, x["node"])
    arrows, events = [], 0
    names = {"main": "MM", "aggressive": "AM", "quick": "QM"}
    for g in groups:
        kind = g["key"][0]
        top = max(g["records"], key=lambda x: x["messages"])
        n, again = top["messages"], min(top["retransmissions"], top["messages"])
        if kind == "informational":
            n = 0 if any(x["result"] == "failed" for x in g["records"]) else min(n, 1)
            again = 0
        events += n == 0
        for i in range(n):
            if i >= n - again:
                frm = top["node"]
                label = "retransmission"
            else:
                frm = g["initiator"] if i % 2 == 0 else g["responder"]
                label = "INFO" if kind == "informational" and n == 1 else names.get(kind, "INFO") + str(i + 1)
            to = g["responder"] if frm == g["initiator"] else g["initiator"]
            arrows.append((kind, frm, to, label))
    return sorted(arrows), events

# --- the IKE run -------------------------------------------------------------------------
r = json.load(open(f"{work}/x/results.json"))
summary = json.loads(open(f"{work}/report.out").read())
want = ["plot-throughput.png", "plot-latency.png", "plot-sa-timeline.png"]
check(sorted(summary["plots"]) == sorted(want), f"ike-rekey-time: plots {summary['plots']} are {want}")
check(all(is_png(f"{work}/x/{p}") for p in want), "ike-rekey-time: every plot is a PNG")
check(all(os.path.exists(f"{work}/x/{p[:-4]}.plt") for p in want), "ike-rekey-time: each with its gnuplot script")
check(not os.path.exists(f"{work}/x/plot-engines.png") and "note" not in summary,
      "ike-rekey-time: no engine plot (no timed hardware), no note")
def gnuplot_data(path):
    """{dataset title: [(x, y)]} of a gnuplot script with inline data."""
    lines = open(path).read().splitlines()
    i = next(k for k, l in enumerate(lines) if l.startswith("plot "))
    titles, blocks, cur = re.findall(r'title "([^"]*)"', lines[i]), [], []
    for l in lines[i + 1:]:
        if l.strip() == "e":
            blocks.append(cur)
            cur = []
        elif l.strip():
            cur.append(tuple(float(v) for v in l.split()))
    return dict(zip(titles, blocks))

quick_ok = [x for x in r["ike"] if x["exchange"] == "quick" and x["result"] == "ok" and x["node"] == "R1"]
check(len(quick_ok) >= 3, f"ike-rekey-time: R1 rekeyed ({len(quick_ok)} quick modes)")
sat = gnuplot_data(f"{work}/x/plot-sa-timeline.plt")
pairs = [p for t, pts in sat.items() if t.startswith("IPsec SA pair") for p in pts]
starts = sorted(x for x, y in pairs[0::2])
check(all(any(abs(s - x["end_s"]) < 1e-3 for s in starts) for x in quick_ok) and
      len(sat.get("IPsec SA pair (2nd, 4th, ... generation: after a rekey)", [])) > 0,
      "ike-rekey-time: the SA timeline starts a new SA pair at each quick mode, rekeys in another colour")

html = open(f"{work}/x/report.html").read()
check(html.startswith("<!DOCTYPE html>") and "</html>" in html, "report.html: a whole HTML page")
check(remote_refs(html) == [] and "http://" not in html and "https://" not in html,
      f"report.html: nothing to fetch from elsewhere {remote_refs(html)[:3]}")
check(not re.search(r"<script|<link|<iframe", html, re.I), "report.html: no scripts, no linked files")
page = Page(html)
imgs = page.find("img")
check(len(imgs) == len(want) and all(i[1]["src"].startswith("data:image/png;base64,") for i in imgs),
      f"report.html: {len(imgs)} <img>, each a data: URI")
embedded = sorted(base64.b64decode(i[1]["src"].split(",", 1)[1]) for i in imgs)
check(embedded == sorted(open(f"{work}/x/{p}", "rb").read() for p in want),
      "report.html: the embedded pictures are the plots' PNGs")

# --- escaping, and no gnuplot ----------------------------------------------------------------
esc = open(f"{work}/esc/report.html").read()
check("<script>" not in esc and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; &#39;x&#39;" in esc,
      "report.html: the scenario name is escaped")
check("<img src=x" not in esc and "&lt;img src=x onerror=alert(2)&gt;" in esc,
      "report.html: a drop reason is escaped")
check(remote_refs(esc) == [], "report.html: a link in a warning stays text")
ng = json.loads(open(f"{work}/nognuplot-report.out").read())
check(ng["plots"] == [] and "gnuplot is not installed" in ng.get("note", "") and
      sorted(ng["scripts"]) == sorted(p[:-4] + ".plt" for p in want) and
      all(os.path.exists(f"{work}/nognuplot/{p[:-4]}.plt") for p in want) and
      not any(f.endswith(".png") for f in os.listdir(f"{work}/nognuplot")),
      "without gnuplot: the .plt scripts, no PNG, and a note saying so")
check("<img" not in open(f"{work}/nognuplot/report.html").read(), "without gnuplot: report.html has no pictures")

# --- the capacity point --------------------------------------------------------------------
c = json.load(open(f"{work}/{point}/results.json"))
cs = json.loads(open(f"{work}/point-report.out").read())
engines = c["timeseries"]["engines"]
check(len(engines) >= 2 and "plot-engines.png" in cs["plots"] and is_png(f"{work}/{point}/plot-engines.png"),
      f"capacity point: {len(engines)} engines, plot-engines.png drawn")
plt = open(f"{work}/{point}/plot-engines.plt").read()
check(all(f'"{e["node"]} {e["engine"]} utilisation"' in plt and f'"{e["node"]} {e["engine"]} queue"' in plt
          for e in engines), "capacity point: a utilisation and a queue line per engine")
check("plot-sa-timeline.png" not in cs["plots"], "capacity point: no SA timeline (no IKE)")
ch = open(f"{work}/{point}/report.html").read()
cards = [card["name"] for n in c["nodes"].values() for card in n.get("report", {}).get("hardware", {}).get("cards", [])]
check(cards and all(f"<td>{x}</td>" in ch for x in cards) and "<h4>Hardware</h4>" in ch,
      f"capacity point: the hardware section lists the cards {cards}")
check(sweep_rc == 2, f"a sweep's folder is refused (exit {sweep_rc})")

# --- rendered by a browser -------------------------------------------------------------------
if browser:
    dom = Page(open(f"{work}/x.dom").read())
    svgs = [e for e in dom.find("svg", "ladder")]
    check(len(svgs) == 1, "browser: the ladder diagram is in the page")
    def drawn(dom):
        return sorted((next(c for c in e[1]["class"].split() if c not in ("ike-msg", "failed")),
                       e[1]["data-from"], e[1]["data-to"], e[1]["data-label"]) for e in dom.find("g", "ike-msg"))
    expected, _ = ike_arrows(r)
    check(len(drawn(dom)) == len(expected) == 6 + 3 * len(quick_ok),
          f"browser: {len(drawn(dom))} IKE arrows for the run's {len(expected)} IKE messages")
    check(drawn(dom) == expected, "browser: each arrow between the right ends, in the right direction, named")
    for d, name in (("w", "ike-wrong-psk"), ("f", "ike-failover")):
        rd = json.load(open(f"{work}/{d}/results.json"))
        dd = Page(open(f"{work}/{d}.dom").read())
        expected, events = ike_arrows(rd)
        failed = sum(1 for x in rd["ike"] if x["result"] == "failed" and x["exchange"] != "informational")
        check(drawn(dd) == expected and len(dd.find("g", "ike-event")) == events and
              (len([e for e in dd.find("g", "ike-msg") if "failed" in e[1]["class"].split()]) > 0) == (failed > 0),
              f"browser: {name}: {len(expected)} IKE arrows as results.json has them, {events} marks, failures in red")
    flows = [f for f in r["flows"] if f.get("first_tx_s") is not None]
    pk = dom.find("g", "flow-pkt")
    check(sorted((e[1]["data-from"], e[1]["data-to"]) for e in pk) ==
          sorted((f["from"], f["to_node"]) for f in flows), f"browser: the first packet of each of {len(flows)} flows")
    for node, n in r["nodes"].items():
        if "report" not in n:
            continue
        shown = sorted(e[2] for e in dom.find("td", "spi") if e[3] == node)
        have = sorted(sa["spi"] for sa in n["report"]["sas"])
        check(shown == have and len(have) > 0, f"browser: {node}'s SA table lists its SPIs {have}")
    check(all(e[1]["src"].startswith("data:") for e in dom.find("img")), "browser: every <img> a data: URI")
    cd = Page(open(f"{work}/{os.path.basename(point)}.dom").read())
    check(any(e[1].get("alt") == "plot-engines.png" for e in cd.find("img")), "browser: the capacity point shows plot-engines.png")
    shot = f"{work}/x.shot.png"
    ok = is_png(shot) and os.path.getsize(shot) > 0
    if ok:
        # not a blank page: the decompressed pixels take many values
        data, raw = open(shot, "rb").read(), b""
        i = 8
        while i < len(data):
            n = int.from_bytes(data[i:i + 4], "big")
            if data[i + 4:i + 8] == b"IDAT":
                raw += data[i + 8:i + 8 + n]
            i += 12 + n
        ok = len(set(zlib.decompress(raw))) > 32
    check(ok, "browser: --screenshot gives a PNG of a drawn page")

if failures:
    sys.exit(1)
PY
echo "run-report: $(( $(date +%s) - start )) s"
[ $rc -eq 0 ] || exit $rc
if [ -z "$browser" ]; then
    echo "skip: the page was checked but not rendered: no chromium and it could not be installed"
    exit 77
fi
