#!/usr/bin/env python3
"""Writes a two-site tunnel scenario: scenario.json, R1.cfg and R2.cfg in one folder.

h1 on site A's LAN sends UDP at a constant rate to h2 on site B's LAN. Each LAN is gigabit
Ethernet behind an IOS router; R1 and R2 are joined by a gigabit WAN line (a point-to-point
serial line by default). Their crypto maps protect site-to-site traffic with ESP negotiated by
IKE (main mode with pre-shared keys, AES-128, SHA-1, group 14).

usage: make-scenario.py [--out DIR] [--traffic T] [--rate R] [--size B] [--cipher aes|gcm]
                        [--crypto fast|real] [--plain] [--wan serial|ethernet]

  --out DIR       folder to write the three files into (default: this script's folder)
  --traffic T     seconds of UDP traffic (default 0.2); it starts at 3 s, after two echo
                  requests from h1 to h2 at 1 s and 2 s (the first starts IKE and is dropped,
                  as IOS drops the packet that triggers a negotiation; the second crosses the
                  tunnel and makes both hosts and routers resolve their neighbours); the run
                  ends half a second after the traffic
  --rate R        UDP rate, h1 to h2 (default 200Mbps)
  --size B        UDP payload bytes (default 1400: the ESP packet, 1496 bytes with AES-CBC and
                  HMAC-SHA1-96, still fits a 1500-byte MTU)
  --cipher C      "aes": esp-aes esp-sha-hmac (AES-128-CBC + HMAC-SHA1-96, default);
                  "gcm": esp-gcm (AES-128-GCM, 16-byte ICV)
  --crypto MODE   "fast": the scenario key "crypto" (sizes and timing kept, nothing encrypted)
  --plain         the same network and configurations without the crypto map lines: the
                  datagrams are routed in the clear (for measuring what IPsec costs)
  --wan W         "serial": a 1 Gbps point-to-point line, 2 ms (default); "ethernet": a
                  gigabit Ethernet segment of the two routers, 1 microsecond (an ns-3 CSMA
                  segment stays busy for its propagation delay, which would cap the rate)
"""
import argparse
import json
import os

ap = argparse.ArgumentParser(description="two-router tunnel scenario generator")
ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
ap.add_argument("--traffic", type=float, default=0.2)
ap.add_argument("--rate", default="200Mbps")
ap.add_argument("--size", type=int, default=1400)
ap.add_argument("--cipher", choices=["aes", "gcm"], default="aes")
ap.add_argument("--crypto", choices=["fast", "real"])
ap.add_argument("--plain", action="store_true")
ap.add_argument("--wan", choices=["serial", "ethernet"], default="serial")
args = ap.parse_args()
if args.traffic <= 0:
    raise SystemExit("make-scenario.py: --traffic must be positive")
if not 1 <= args.size <= 65507:
    raise SystemExit("make-scenario.py: --size must be 1 to 65507")

TRANSFORMS = {"aes": "esp-aes esp-sha-hmac", "gcm": "esp-gcm"}
WAN_IF = {"serial": "Serial0/0/0", "ethernet": "GigabitEthernet0/1"}
SITES = {  # router: (its LAN prefix, its WAN address, the peer's WAN address, the far LAN)
    "R1": ("10.1.1", "172.16.0.1", "172.16.0.2", "10.2.2"),
    "R2": ("10.2.2", "172.16.0.2", "172.16.0.1", "10.1.1"),
}


def router_config(name):
    """One router's IOS configuration; without the crypto lines when --plain."""
    lan, wan, peer, far = SITES[name]
    crypto = not args.plain
    lines = [
        f"! {name}: one end of a site-to-site tunnel"
        + (" (here without its crypto map: traffic is routed in the clear)" if args.plain else "")
        + ". Written by make-scenario.py.",
        f"hostname {name}",
        "!",
        "ip cef",
        "!",
    ]
    if crypto:
        lines += [
            "crypto isakmp policy 10",
            " encryption aes 128",
            " hash sha",
            " authentication pre-share",
            " group 14",
            f"crypto isakmp key tunnel-200-Psk address {peer}",
            "!",
            f"crypto ipsec transform-set site-ts {TRANSFORMS[args.cipher]}",
            " mode tunnel",
            "!",
            f"access-list 101 permit ip {lan}.0 0.0.0.255 {far}.0 0.0.0.255",
            "!",
            "crypto map site-to-site 10 ipsec-isakmp",
            f" set peer {peer}",
            " set transform-set site-ts",
            " match address 101",
            "!",
        ]
    lines += [
        "interface GigabitEthernet0/0",
        f" ip address {lan}.1 255.255.255.0",
        "!",
        f"interface {WAN_IF[args.wan]}",
        f" ip address {wan} 255.255.255.252",
    ]
    if crypto:
        lines.append(" crypto map site-to-site")
    lines += ["!", f"ip route {far}.0 255.255.255.0 {peer}", "end"]
    return "\n".join(lines) + "\n"


def scenario():
    start = 3.0
    stop = start + args.traffic
    lan = {"type": "ethernet", "rate": "1Gbps", "delay": "0.001ms"}
    wan = {"type": args.wan, "rate": "1Gbps",
           "delay": "2ms" if args.wan == "serial" else "0.001ms"}
    mode = "in the clear (no crypto map)" if args.plain else (
        f"through an IPsec tunnel ({TRANSFORMS[args.cipher]}, IKE with pre-shared keys)")
    s = {
        "name": "tunnel-200mbps: two sites, one UDP stream "
                + ("routed in the clear" if args.plain else "through an IPsec tunnel"),
        "comment": f"h1 sends UDP at {args.rate} ({args.size}-byte datagrams) to h2 for "
                   f"{args.traffic:g} s, {mode}. LANs and WAN are gigabit, so nothing queues "
                   "or drops. Generated by make-scenario.py; see README.md.",
        "duration": stop + 0.5,
        "seed": 1,
    }
    if args.crypto:
        s["crypto"] = args.crypto
    s["nodes"] = [
        {"name": "R1", "config": "R1.cfg"},
        {"name": "R2", "config": "R2.cfg"},
        {"name": "h1", "kind": "host", "address": "10.1.1.10/24", "gateway": "10.1.1.1"},
        {"name": "h2", "kind": "host", "address": "10.2.2.10/24", "gateway": "10.2.2.1"},
    ]
    s["links"] = [
        dict({"a": "h1:eth0", "b": "R1:GigabitEthernet0/0"}, **lan),
        dict({"a": f"R1:{WAN_IF[args.wan]}", "b": f"R2:{WAN_IF[args.wan]}"}, **wan),
        dict({"a": "h2:eth0", "b": "R2:GigabitEthernet0/0"}, **lan),
    ]
    s["traffic"] = [
        {"kind": "ping", "from": "h1", "to": "10.2.2.10", "count": 2, "start": 1},
        {"kind": "udp", "from": "h1", "to": "10.2.2.10", "rate": args.rate, "size": args.size,
         "start": start, "stop": stop},
    ]
    return s


os.makedirs(args.out, exist_ok=True)
for name in SITES:
    with open(os.path.join(args.out, f"{name}.cfg"), "w") as f:
        f.write(router_config(name))
with open(os.path.join(args.out, "scenario.json"), "w") as f:
    json.dump(scenario(), f, indent=2)
    f.write("\n")
