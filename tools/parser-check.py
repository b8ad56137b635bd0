#!/usr/bin/env python3
"""Check a run's show output with the parsers network engineers use.

usage: tools/parser-check.py [--templates DIR] [--json] OUT/show/ROUTER.txt [...]

Splits each show/ROUTER.txt into its commands (`! T s`, `HOST#command`, output) and hands
each output of a command below to every parser for it that this machine has:

- genieparser (pyATS's `genie.libs.parser`, `pip install "pyats[library]"`): its IOS and IOS-XE parsers
  for show crypto ipsec sa [detail], show crypto isakmp sa [detail], show crypto session
  [detail], show crypto map and show crypto pki certificates, run as genie's own unit tests
  run them (a device whose execute() returns the text, then parse(), which checks the schema);
- TextFSM (Debian: python3-textfsm) with the ntc-templates templates the project carries in
  test/data/ntc-templates/ (or --templates DIR, e.g. an installed ntc_templates/templates).

Prints one line per command and parser: `ok` with what it read, `FAIL` with the exception (a
TextFSM template names the line it stopped at), `part` when its result lacks SPIs or peers the
output printed, or `empty` when it read nothing of an output that lists SAs or peers (an
output without any, read as nothing, is `ok`). Exit status 1 if any parser failed, lost facts
or read nothing; 2 if neither genieparser nor TextFSM is installed. doc/show-output.md
("Parsers") says which parse in which release and why.
"""
import argparse
import importlib
import json
import os
import re
import sys
from unittest.mock import Mock

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_TEMPLATES = os.path.join(HERE, "..", "test", "data", "ntc-templates")

# command -> genieparser (os, module, class) that parse it
GENIE = {
    "show crypto ipsec sa": [("iosxe", "show_crypto", "ShowCryptoIpsecSa")],
    "show crypto ipsec sa detail": [("iosxe", "show_crypto", "ShowCryptoIpsecSaDetail")],
    "show crypto isakmp sa": [("iosxe", "show_crypto", "ShowCryptoIsakmpSa")],
    "show crypto isakmp sa detail": [("iosxe", "show_crypto", "ShowCryptoIsakmpSaDetail")],
    "show crypto session": [("ios", "show_crypto_session", "ShowCryptoSession"),
                            ("iosxe", "show_crypto", "ShowCryptoSession")],
    "show crypto session detail": [("ios", "show_crypto_session", "ShowCryptoSessionDetail"),
                                   ("iosxe", "show_crypto", "ShowCryptoSessionDetail")],
    "show crypto map": [("iosxe", "show_crypto", "ShowCryptoMap")],
    "show crypto pki certificates": [("ios", "show_crypto", "ShowCryptoPkiCertificates")],
}
# command -> ntc-templates template (as ntc_templates' index maps them for cisco_ios)
TEXTFSM = {
    "show crypto ipsec sa detail": "cisco_ios_show_crypto_ipsec_sa_detail.textfsm",
    "show crypto session detail": "cisco_ios_show_crypto_session_detail.textfsm",
    "show crypto pki certificates": "cisco_ios_show_crypto_pki_certificates.textfsm",
}


def entries(text):
    """(time, command, output) of each entry of a show/ROUTER.txt."""
    parts = re.split(r"^! (\d+\.\d{3}) s\n", text, flags=re.M)
    for time, body in zip(parts[1::2], parts[2::2]):
        head, _, output = body.partition("\n")
        m = re.fullmatch(r"\S+?#(.*)", head.strip())
        if m:
            yield time, " ".join(m.group(1).split()), output


def leaves(value):
    if isinstance(value, dict):
        return sum(leaves(v) for v in value.values())
    if isinstance(value, list):
        return sum(leaves(v) for v in value)
    return 1


def spis(value, found=None):
    """The SPIs a genie result holds (keys or values named like one)."""
    found = set() if found is None else found
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(k, str) and re.fullmatch(r"0x[0-9A-Fa-f]+(\(\d+\))?", k):
                found.add(k.split("(")[0].lower())
            spis(v, found)
    elif isinstance(value, list):
        for v in value:
            spis(v, found)
    return found


def peers(value, found=None):
    """The peers a genie session result holds (the keys under each "peer")."""
    found = set() if found is None else found
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "peer" and isinstance(v, dict):
                found.update(v)
            peers(v, found)
    return found


def summary(result):
    """What a parser read, in the terms a user checks: records or fields, SPIs, peers."""
    if isinstance(result, list):
        read = f"{len(result)} records"
        found_spis = sorted({r.get("SA_SPI_HEX", "").lower() for r in result} - {""})
        found_peers = sorted({r.get("PEER", "") for r in result} - {""})
    else:
        read = f"{leaves(result)} fields"
        found_spis, found_peers = sorted(spis(result)), sorted(peers(result))
    if found_spis:
        read += ", SPIs " + " ".join(found_spis)
    if found_peers:
        read += ", peers " + " ".join(found_peers)
    return read, found_spis, found_peers


def lost_facts(command, output, found_spis, found_peers):
    """SPIs or peers the output printed that the parser's result does not hold."""
    printed_spis = {m.lower() for m in re.findall(r"^\s*spi: (0x[0-9A-Fa-f]+)", output, flags=re.M)}
    printed_peers = set(re.findall(r"^Peer: (\S+)", output, flags=re.M))
    lost = []
    if "ipsec sa" in command and printed_spis - set(found_spis):
        lost.append("SPIs " + " ".join(sorted(printed_spis - set(found_spis))))
    if "session" in command and printed_peers - set(found_peers):
        lost.append("peers " + " ".join(sorted(printed_peers - set(found_peers))))
    return "; ".join(lost)


def run_genie(parser, output):
    os_name, module, cls = parser
    klass = getattr(importlib.import_module(f"genie.libs.parser.{os_name}.{module}"), cls)
    device = Mock(**{"execute.return_value": output})
    return klass(device=device).parse()


def run_textfsm(path, output):
    import textfsm

    with open(path) as f:
        fsm = textfsm.TextFSM(f)
    return [dict(zip(fsm.header, row)) for row in fsm.ParseText(output)]


def available():
    have = {}
    try:
        importlib.import_module("genie.libs.parser.iosxe.show_crypto")
        have["genie"] = True
    except Exception as e:  # genie absent or broken: say why once
        have["genie"] = False
        have["genie_why"] = f"{type(e).__name__}: {e}"
    try:
        import textfsm  # noqa: F401

        have["textfsm"] = True
    except ImportError:
        have["textfsm"] = False
    return have


def check(path, templates, have, report):
    failed = 0
    text = open(path).read()
    for time, command, output in entries(text):
        jobs = []
        if have["genie"]:
            for p in GENIE.get(command, []):
                jobs.append((f"genie {p[0]} {p[2]}", lambda o, p=p: run_genie(p, o)))
        if have["textfsm"] and command in TEXTFSM:
            t = os.path.join(templates, TEXTFSM[command])
            jobs.append((f"textfsm {TEXTFSM[command]}", lambda o, t=t: run_textfsm(t, o)))
        where = f"{os.path.basename(path)} {time} s '{command}'"
        if jobs and not output.strip():
            print(f"none  {where}: the router printed nothing")
            continue
        for name, job in jobs:
            try:
                result = job(output)
            except Exception as e:
                if type(e).__name__ == "SchemaEmptyParserError" and not lost_facts(command, output, [], []):
                    # genie's way of saying "nothing there", right for an output with no SAs or peers
                    report.append({"file": path, "time": time, "command": command, "parser": name,
                                   "status": "ok", "read": "nothing (SchemaEmptyParserError)"})
                    print(f"ok    {where}: {name}: nothing to read (SchemaEmptyParserError)")
                    continue
                message = " ".join(str(e).split())[:300]
                report.append({"file": path, "time": time, "command": command, "parser": name,
                               "status": "FAIL", "error": f"{type(e).__name__}: {message}"})
                print(f"FAIL  {where}: {name}: {type(e).__name__}: {message}")
                failed += 1
                continue
            if not result and lost_facts(command, output, [], []):
                report.append({"file": path, "time": time, "command": command, "parser": name,
                               "status": "empty"})
                print(f"empty {where}: {name}: read nothing from {len(output.splitlines())} lines")
                failed += 1
                continue
            read, found_spis, found_peers = summary(result)
            lost = lost_facts(command, output, found_spis, found_peers)
            if lost:
                report.append({"file": path, "time": time, "command": command, "parser": name,
                               "status": "partial", "read": read, "lost": lost})
                print(f"part  {where}: {name}: {read}; lost {lost}")
                failed += 1
                continue
            report.append({"file": path, "time": time, "command": command, "parser": name,
                           "status": "ok", "read": read, "spis": found_spis, "peers": found_peers})
            print(f"ok    {where}: {name}: {read}")
    return failed


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="+", help="show/ROUTER.txt of a run")
    ap.add_argument("--templates", default=DEFAULT_TEMPLATES, help="folder of ntc-templates .textfsm files")
    ap.add_argument("--json", action="store_true", help="also print the results as JSON at the end")
    args = ap.parse_args()
    have = available()
    if not have["genie"]:
        print(f"note: genieparser is not importable ({have['genie_why']}); pip install \"pyats[library]\"")
    if not have["textfsm"]:
        print("note: TextFSM is not installed (Debian: python3-textfsm)")
    if not have["genie"] and not have["textfsm"]:
        return 2
    report = []
    failed = sum(check(f, args.templates, have, report) for f in args.files)
    if args.json:
        print(json.dumps(report, indent=1))
    print(f"{sum(r['status'] == 'ok' for r in report)} parsed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
