#!/usr/bin/python3
"""The answer key of lab 6 (doc/labs/lab6-ikev1-vs-ikev2.md), computed from a run of
scenarios/ikev1-ikev2-side-by-side.

usage: lab6-answers.py RUN_DIR

RUN_DIR is the --out folder of `ipsec-sim scenarios/ikev1-ikev2-side-by-side/scenario.json`.
The script reads HQ's WAN capture (HQ_Serial0_0.pcap) with tshark, decrypting IKEv1 with
ikev1_decryption_table.uat and IKEv2 with ikev2_decryption_table.uat, and results.json, and
prints the answer key in Markdown: the messages of each protocol (when, which way, how many
bytes, which payloads), the figures asked for and the answers built from them. The lab's test
(test/e2e/lab-ikev1-vs-ikev2.sh) checks that the handout holds exactly this text.
"""
import json
import os
import re
import subprocess
import sys

HQ, BRANCH_A, BRANCH_B = "203.0.113.1", "203.0.113.6", "203.0.113.10"
PCAP = "HQ_Serial0_0.pcap"

# Payload type numbers (RFC 2408 3.1 for IKEv1, RFC 7296 3.2 for IKEv2) and the notifies seen.
V1_PAYLOADS = {1: "SA", 4: "KE", 5: "ID", 6: "CERT", 7: "CR", 8: "HASH", 9: "SIG", 10: "Nonce",
               11: "N", 12: "D", 13: "VID", 20: "NAT-D", 130: "NAT-D"}
V2_PAYLOADS = {33: "SA", 34: "KE", 35: "IDi", 36: "IDr", 37: "CERT", 38: "CERTREQ", 39: "AUTH",
               40: "Nonce", 41: "N", 42: "D", 43: "V", 44: "TSi", 45: "TSr", 47: "CP", 48: "EAP"}
NOTIFIES = {16384: "INITIAL_CONTACT", 16388: "NAT_DETECTION_SOURCE_IP",
            16389: "NAT_DETECTION_DESTINATION_IP", 24578: "INITIAL-CONTACT"}
V1_EXCHANGES = {2: "main mode", 4: "aggressive mode", 5: "informational", 32: "quick mode"}
V2_EXCHANGES = {34: "IKE_SA_INIT", 35: "IKE_AUTH", 36: "CREATE_CHILD_SA", 37: "INFORMATIONAL"}
FIELDS = ["frame.time_epoch", "ip.src", "ip.dst", "ip.len", "isakmp.version",
          "isakmp.exchangetype", "isakmp.typepayload", "isakmp.notify.msgtype", "isakmp.flag_e",
          "esp.spi"]


def lines(path):
    return [l for l in open(path).read().splitlines() if l.strip()] if os.path.exists(path) else []


def capture(run):
    """Every IKE and ESP frame of HQ's WAN line, decrypted, as dicts of FIELDS."""
    opts = []
    for row in lines(f"{run}/ikev1_decryption_table.uat"):
        opts += ["-o", "uat:ikev1_decryption_table:" + row]
    for row in lines(f"{run}/ikev2_decryption_table.uat"):
        opts += ["-o", "uat:ikev2_decryption_table:" + row]
    out = subprocess.run(["tshark", "-r", f"{run}/{PCAP}", *opts, "-Y", "isakmp || esp",
                          "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|",
                          *sum([["-e", f] for f in FIELDS], [])],
                         capture_output=True, text=True, check=True).stdout
    return [dict(zip(FIELDS, l.split("\t"))) for l in out.splitlines() if l.strip()]


def numbers(text):
    return [int(x, 0) for x in text.split("|") if x]


def payloads(frame):
    """The payloads of one message in order, SA with its proposals and transforms counted,
    notifies by name, those inside IKEv2's SK in braces."""
    v2 = frame["isakmp.version"] == "0x20"
    names = V2_PAYLOADS if v2 else V1_PAYLOADS
    notifies = iter(numbers(frame["isakmp.notify.msgtype"]))
    out, sk, proposals, transforms = [], None, 0, 0

    def close_sa():
        nonlocal proposals, transforms
        if out and out[-1] == "SA" and proposals:
            out[-1] = (f"SA ({proposals} proposal{'s' * (proposals > 1)}, "
                       f"{transforms} transform{'s' * (transforms > 1)})")
        proposals = transforms = 0

    for t in numbers(frame["isakmp.typepayload"]):
        if t == 2:
            proposals += 1
            continue
        if t == 3:
            transforms += 1
            continue
        close_sa()
        if v2 and t == 46:
            sk = len(out)
            continue
        name = names.get(t, str(t))
        if name == "N":
            n = next(notifies, None)
            name = f"N({NOTIFIES.get(n, n)})"
        out.append(name)
    close_sa()
    if sk is not None:
        out = out[:sk] + ["SK {" + ", ".join(out[sk:]) + "}"]
    elif not v2 and frame["isakmp.flag_e"] in ("1", "True"):
        out = ["encrypted {" + ", ".join(out) + "}"]
    return ", ".join(out)


def exchange_name(frame):
    x = int(frame["isakmp.exchangetype"])
    if frame["isakmp.version"] == "0x20":
        return V2_EXCHANGES.get(x, str(x))
    return V1_EXCHANGES.get(x, str(x))


def protocol(frames, branch, start):
    """The messages between HQ and @p branch and the first ESP packet HQ sent it."""
    ike = [f for f in frames if f["isakmp.version"] and branch in (f["ip.src"], f["ip.dst"])]
    esp = [f for f in frames if f["esp.spi"] and f["ip.src"] == HQ and f["ip.dst"] == branch]
    first_esp = float(esp[0]["frame.time_epoch"]) if esp else None
    rows = []
    for n, f in enumerate(ike, 1):
        t = float(f["frame.time_epoch"])
        rows.append({"n": n, "ms": (t - start) * 1000, "out": f["ip.src"] == HQ,
                     "exchange": exchange_name(f), "bytes": int(f["ip.len"]),
                     "payloads": payloads(f), "before_esp": first_esp is None or t <= first_esp})
    return rows, first_esp


def table(rows, peer):
    out = ["| # | at (ms) | direction | exchange | IP bytes | payloads |",
           "| --- | ---: | --- | --- | ---: | --- |"]
    for r in rows:
        way = f"HQ -> {peer}" if r["out"] else f"{peer} -> HQ"
        out.append(f"| {r['n']} | {r['ms']:.1f} | {way} | {r['exchange']} | {r['bytes']} | "
                   f"{r['payloads']} |")
    return "\n".join(out)


def figures(rows, first_esp, flow, start, drops):
    sent = [r for r in rows if r["before_esp"]]
    return {
        "messages": len(rows),
        "before_esp": len(sent),
        "bytes": sum(r["bytes"] for r in rows),
        "bytes_out": sum(r["bytes"] for r in rows if r["out"]),
        "bytes_in": sum(r["bytes"] for r in rows if not r["out"]),
        "esp_ms": (first_esp - start) * 1000 - rows[0]["ms"],
        "delivered_ms": (flow["first_rx_s"] - flow["first_tx_s"]) * 1000,
        "lost": flow["sent"] - flow["received"],
        "drops": drops,
        "exchanges": sorted({r["exchange"] for r in rows}, key=[x["exchange"] for x in rows].index),
    }


def main():
    run = sys.argv[1]
    results = json.load(open(f"{run}/results.json"))
    frames = capture(run)
    flows = {f["to"]: f for f in results["flows"] if f["from"] == "hq"}
    fa, fb = flows["10.1.0.10"], flows["10.2.0.10"]
    # Time zero: the instant hq's first datagram reached HQ's WAN line as HQ's first IKE
    # message; both flows start together, and the capture's clock is the simulation's.
    start = min(float(f["frame.time_epoch"]) for f in frames)
    v1, esp1 = protocol(frames, BRANCH_A, start)
    v2, esp2 = protocol(frames, BRANCH_B, start)
    drops = results["nodes"]["HQ"]["report"]["drops"].get("no-sa", 0)
    a = figures(v1, esp1, fa, start, drops)
    b = figures(v2, esp2, fb, start, drops)
    rtt = 2 * (v1[1]["ms"] - v1[0]["ms"]) / 2  # message 1 out and message 2 back: one round trip

    print("#### IKEv1: HQ and branch A (main mode, then quick mode)\n")
    print(table(v1, "A") + "\n")
    print("#### IKEv2: HQ and branch B (IKE_SA_INIT, then IKE_AUTH)\n")
    print(table(v2, "B") + "\n")
    print("#### The figures\n")
    print("| | IKEv1 (branch A) | IKEv2 (branch B) |")
    print("| --- | ---: | ---: |")
    print(f"| messages exchanged | {a['messages']} | {b['messages']} |")
    print(f"| of them before HQ's first ESP packet to the branch | {a['before_esp']} | "
          f"{b['before_esp']} |")
    print(f"| IKE bytes on the line (IP packets), both ways | {a['bytes']} | {b['bytes']} |")
    print(f"| of them from HQ / to HQ | {a['bytes_out']} / {a['bytes_in']} | "
          f"{b['bytes_out']} / {b['bytes_in']} |")
    print(f"| first ESP packet, ms after the first IKE message | {a['esp_ms']:.1f} | "
          f"{b['esp_ms']:.1f} |")
    print(f"| first datagram delivered, ms after hq sent its first | {a['delivered_ms']:.1f} | "
          f"{b['delivered_ms']:.1f} |")
    print(f"| datagrams of the flow lost (dropped by HQ while it negotiated) | {a['lost']} | "
          f"{b['lost']} |")
    print()
    fewer = a["messages"] - b["messages"]
    print("#### Answers\n")
    print(f"1. IKEv1 exchanged {a['messages']} messages with branch A ({a['before_esp']} of "
          f"them before HQ's first ESP packet): 6 of main mode and 3 of quick mode. IKEv2 "
          f"exchanged {b['messages']} with branch B: 2 of IKE_SA_INIT and 2 of IKE_AUTH, "
          f"{fewer} fewer. The last quick mode message (a HASH alone) only tells the "
          f"responder that the initiator has its SAs; HQ does not wait for anything after it.")
    print(f"2. One round trip on this path (HQ's message 1 to A out, A's message 2 back) took "
          f"{rtt:.1f} ms. HQ sent its first ESP packet to A {a['esp_ms']:.1f} ms after its "
          f"first IKE message to A, and to B {b['esp_ms']:.1f} ms after its first to B: IKEv1 "
          f"needs 3 round trips of main mode and 1 of quick mode before the initiator has its "
          f"IPsec SAs ({4 * rtt:.0f} ms at {rtt:.1f} ms each), IKEv2 2 round trips, "
          f"IKE_SA_INIT and IKE_AUTH ({2 * rtt:.0f} ms). The first datagram reached ha "
          f"{a['delivered_ms']:.1f} ms and hb {b['delivered_ms']:.1f} ms after hq sent it; "
          f"meanwhile HQ dropped {a['lost']} datagrams to A and {b['lost']} to B (no SA yet, "
          f"`no-sa`: {a['drops']} in all).")
    header = 20 + 8 + 28  # IPv4, UDP and ISAKMP/IKE headers of every message
    print(f"3. IKEv1: {a['bytes']} bytes of IP packets ({a['bytes_out']} from HQ, "
          f"{a['bytes_in']} to it); IKEv2: {b['bytes']} ({b['bytes_out']} / {b['bytes_in']}). "
          f"IKEv2 used {a['bytes'] - b['bytes']} bytes fewer, "
          f"{100 * (a['bytes'] - b['bytes']) / a['bytes']:.0f} % less. Each message has "
          f"{header} bytes of IP, UDP and IKE headers: {a['messages'] * header} bytes for "
          f"IKEv1's {a['messages']} messages, {b['messages'] * header} for IKEv2's "
          f"{b['messages']}, so {(a['messages'] - b['messages']) * header} of the difference is "
          f"the messages IKEv2 does not send. The two KE payloads (256 bytes of Diffie-Hellman "
          f"value each, group 14's 2048 bits) are the same in both.")
    v1_ids = [r["n"] for r in v1
              if r["exchange"] == "main mode" and re.search(r"\bID\b", r["payloads"])]
    v2_auth = [r["n"] for r in v2 if "AUTH" in r["payloads"]]
    print(f"4. IKEv1 main mode messages 1-2 agree on the IKE SA's suite (SA), 3-4 exchange "
          f"the Diffie-Hellman values and nonces (KE, Nonce, NAT-D), 5-6 carry the identities "
          f"and the proof of the key (ID, HASH), encrypted (the ID payloads of main mode are in "
          f"messages {' and '.join(map(str, v1_ids))}). "
          f"Quick mode (7-9, encrypted, each with a HASH) agrees on the IPsec SA and its "
          f"proxy identities (SA, Nonce, ID). IKEv2's IKE_SA_INIT (messages 1-2) does the work "
          f"of main mode 1-4 in one round trip: SA, KE, Nonce and the NAT detection notifies "
          f"together. IKE_AUTH (messages {', '.join(map(str, v2_auth))}) does that of main mode "
          f"5-6 and the whole quick mode: in one SK payload the identity, the AUTH, the child "
          f"SA's proposal and its traffic selectors (TSi, TSr).")


if __name__ == "__main__":
    main()
