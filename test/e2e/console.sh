#!/usr/bin/env bash
# The router prompt (`ipsec-sim console`), scripted through a pipe as a student's session would
# go: show commands with output modifiers, IOS errors with the '^' marker, ping from the router
# (clear and through the tunnel, the first echo lost while IKE negotiates), debug crypto isakmp /
# ipsec as exchanges happen, clear crypto sa and renegotiation, configure terminal with a live
# shutdown, switching routers, and the outputs written at exit.
# usage: console.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$build/ipsec-sim" console "$src/scenarios/ike-spec-example/scenario.json" --out "$work/ike" \
    >"$work/ike.txt" 2>&1 <<'EOF'
show crypto isakmp sa
sh cry ips sax
debug crypto isakmp
debug crypto ipsec
show debugging
ping 10.2.2.5 source Ethernet0
show crypto isakmp sa
show crypto ipsec sa | include pkts
run 2
time
clear crypto sa
run 1
undebug all
ping 172.16.0.2 repeat 3
switch R2
show crypto ipsec sa | include local crypto endpt
configure terminal
interface Serial0
ip adress 1.2.3.4 255.0.0.0
ip address 172.16.0.9 255.255.255.252
shutdown
end
switch R1
ping 10.2.2.5 source Ethernet0 repeat 3
switch R2
configure terminal
interface Serial0
no shutdown
end
switch R1
configure terminal
crypto map toRemoteSite 10
 set transform-set myset1
do show crypto map | include myset
end
run 5
ping 10.2.2.5 source Ethernet0 repeat 4
clear crypto sa
ping 10.2.2.5 source Ethernet0 repeat 2
configure terminal
crypto map toRemoteSite 10
set transform-set myset2
exit
no access-list 101
end
run 10
ping 10.2.2.5 source Ethernet0 repeat 2
show access-lists
configure terminal
access-list 101 permit ip 10.0.0.0 0.0.0.255 10.2.2.0 0.0.0.255
crypto map toRemoteSite 20 ipsec-isakmp
end
run 10
ping 10.2.2.5 source Ethernet0 size 200 repeat 3
run banana
switch h1
exit
EOF
rc=$?

"$build/ipsec-sim" console --out "$work/default" >"$work/default.txt" 2>&1 <<'EOF'
run 3
show crypto ipsec sa | include pkts encaps
ping 10.2.2.5 size 1400 repeat 2
EOF

# IKEv2 (debug crypto ikev2) on the spec example keyed by IKEv2.
"$build/ipsec-sim" console "$src/scenarios/ikev2-spec-example/scenario.json" --out "$work/v2" \
    >"$work/v2.txt" 2>&1 <<'EOF'
debug crypto ikev2
debug crypto isakmp
show debugging
run 2
show crypto ikev2 sa detail
clear crypto ikev2 sa
run 0.1
undebug all
exit
EOF

/usr/bin/python3 - "$work" "$rc" <<'PY'
import json, os, re, sys
work, rc = sys.argv[1], int(sys.argv[2])
t = open(f"{work}/ike.txt").read()
failures = []

def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)

def after(cmd, n=25):
    """The output of the command typed at the prompt (up to the next prompt)."""
    i = t.find("#" + cmd + "\n")
    if i < 0:
        return ""
    rest = t[i + len(cmd) + 2:]
    m = re.search(r"^R\d(\([a-z-]+\))?#", rest, re.M)
    return rest[:m.start()] if m else rest

check(rc == 0, "the session ends with exit status 0")
check(after("show crypto isakmp sa") ==
      "IPv4 Crypto ISAKMP SA\ndst             src             state          conn-id status\n\n"
      "IPv6 Crypto ISAKMP SA\n\n",
      "no ISAKMP SA before any traffic (IOS 15's two empty tables)")
check("R1#sh cry ips sax\n" + " " * 14 + "^\n% Invalid input detected at '^' marker." in t,
      "a typo gets IOS's '^' under the bad word")
check("Crypto ISAKMP debugging is on" in after("show debugging") and
      "Crypto IPSEC debugging is on" in after("show debugging"), "show debugging lists both")
p = after("ping 10.2.2.5 source Ethernet0")
check("Packet sent with a source address of 10.0.0.1\n.!!!!\nSuccess rate is 80 percent (4/5)" in p,
      "ping through the tunnel: the first echo is lost while IKE negotiates (.!!!!)")
check(re.search(r"\*00:00:00\.\d{3}: R1: ISAKMP:\(0\): beginning Main Mode exchange\n", p)
      and re.search(r"R1: ISAKMP:\(1001\):SA has been authenticated with 10\.2\.2\.5\n", p)
      and re.search(r"R1: ISAKMP:\(1001\):Old State = IKE_I_MM6  New State = IKE_P1_COMPLETE\n", p)
      and re.search(r"R2: ISAKMP:\(1001\):Old State = IKE_R_MM5  New State = IKE_P1_COMPLETE\n", p)
      and re.search(r"R2: ISAKMP:\(1001\):Old State = IKE_QM_R_QM2  New State = IKE_QM_PHASE2_COMPLETE\n", p)
      and re.search(r"R1: ISAKMP:\(1001\):beginning Quick Mode exchange, M-ID of -?\d+\n", p)
      and p.count("IPSEC(create_sa)") == 4,
      "debug crypto isakmp / ipsec show main and quick mode in IOS 15's form and the four SAs as they are made")
check(re.search(r"R1: IPSEC\(sa_request\): ,\n  \(key eng\. msg\.\) OUTBOUND local= 172\.16\.0\.1:0, remote= 10\.2\.2\.5:0,\n"
                r"    local_proxy= 10\.0\.0\.0/255\.255\.255\.0/256/0,", p)
      and re.search(r"R2: IPSEC\(validate_proposal_request\): proposal part #1,\n  \(key eng\. msg\.\) INBOUND", p)
      and p.count("IPSEC(initialize_sas)") == 4
      and p.count("sa_trans= esp-3des esp-md5-hmac , sa_conn_id=") == 4
      and sorted(re.findall(r"sa_conn_id= (\d+)", p)) == ["2001", "2001", "2002", "2002"],
      "debug crypto ipsec (15.x) shows the request, the validated proposal and the SAs' parameters"
      " with their conn ids")
stamps = re.findall(r"^\*(\d\d):(\d\d):(\d\d)\.(\d{3}):", p, re.M)
secs = [int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000 for h, m, s, ms in stamps]
check(secs == sorted(secs) and len(secs) >= 8, f"debug lines in time order ({len(secs)})")
check("QM_IDLE" in after("show crypto isakmp sa\nR1#show crypto isakmp sa") or
      t.count("QM_IDLE") >= 1, "the ISAKMP SA shows QM_IDLE after the ping")
check(re.search(r"#pkts encaps: [1-9]", after("show crypto ipsec sa | include pkts"))
      and "interface:" not in after("show crypto ipsec sa | include pkts"),
      "| include keeps only the matching lines")
c = after("run 1")
check(re.search(r"R1: ISAKMP:\(1001\):purging node -?\d+\n", c)
      and re.search(r"R2: ISAKMP:\(1001\):processing DELETE payload\. message ID = -?\d+\n", c)
      and "IPSEC(delete_sa)" in c and "beginning Quick Mode exchange" in c,
      "clear crypto sa: deletes sent, SAs removed, new quick mode when traffic flows")
check("Simulated time 4.0" in after("time"), "time tells the simulated time (the first echo waited its 2 s)")
check("!!!\nSuccess rate is 100 percent (3/3)" in after("ping 172.16.0.2 repeat 3"),
      "ping to the peer's address goes in the clear and is answered")
check("local crypto endpt.: 10.2.2.5" in after("show crypto ipsec sa | include local crypto endpt")
      or "local crypto endpt." in after("show crypto ipsec sa | include local crypto endpt"),
      "switch R2: the prompt and commands are R2's")
check("R2(config)#interface Serial0\nR2(config-if)#" in t, "configure terminal: config and config-if prompts")
check(re.search(r"R2\(config-if\)#ip adress 1\.2\.3\.4 255\.0\.0\.0\n {17}\^\n% Invalid input", t),
      "a configuration typo is marked with '^' as IOS does")
check("% The address of Serial0 cannot change on a running router" in
      after("ip address 172.16.0.9 255.255.255.252"),
      "a valid line the simulation cannot apply to a running router says so")
check("changed state to administratively down" in after("shutdown"), "shutdown takes the interface down")
check("Success rate is 0 percent (0/3)" in after("ping 10.2.2.5 source Ethernet0 repeat 3"),
      "with R2's Serial0 down the tunnel carries nothing")
check("changed state to up" in after("no shutdown"), "no shutdown brings it back")
check("R1(config)#crypto map toRemoteSite 10\nR1(config-crypto-map)#" in t,
      "a crypto map entry opens the config-crypto-map prompt")
check(after("do show crypto map | include myset").strip() == "myset1:  { esp-des esp-sha-hmac  } ,",
      "do runs an EXEC command in configuration mode; the entry now names myset1")
check("!!!!\nSuccess rate is 100 percent (4/4)" in after("ping 10.2.2.5 source Ethernet0 repeat 4"),
      "a changed transform set leaves the SAs in force alone (spec: new settings for new SAs)")
check("..\nSuccess rate is 0 percent (0/2)" in after("ping 10.2.2.5 source Ethernet0 repeat 2"),
      "after clear crypto sa R1 offers myset1 (esp-des), which R2 does not accept")
check(re.search(r"R1\(config-crypto-map\)#exit\nR1\(config\)#no access-list 101\nR1\(config\)#end", t),
      "exit leaves the entry for global configuration mode")
acl = after("show access-lists")
check("access-list 101" not in acl and "Extended IP access list 101" not in acl,
      "no access-list 101 removes the list")
check(t.count("..\nSuccess rate is 0 percent (0/2)") == 2,
      "without its access list the entry protects nothing: R1 sends in the clear and R2 drops "
      "what should have come protected")
check("NOTE: This new crypto map will remain disabled" in
      after("crypto map toRemoteSite 20 ipsec-isakmp"), "an incomplete new entry gets IOS's note")
check(re.search(r"\.!!\nSuccess rate is 66 percent \(2/3\)",
                after("ping 10.2.2.5 source Ethernet0 size 200 repeat 3")),
      "the list back, myset2 offered: a new quick mode and the tunnel carries the pings again")
check("% run N: seconds to simulate" in after("run banana"), "a bad run argument is refused")
check("% h1 is not a router" in after("switch h1"), "hosts have no prompt")
r = json.load(open(f"{work}/ike/results.json"))
check(r["nodes"]["R1"]["report"]["encapsulated"] > 0 and os.path.exists(f"{work}/ike/show/R1.txt")
      and "show crypto isakmp sa" in open(f"{work}/ike/show/R1.txt").read(),
      "exit writes results.json and the show output of the session")

# debug crypto ikev2: every message of both routers, in time order, as IOS 15 logs it.
v = open(f"{work}/v2.txt").read()
check("R1#debug crypto ikev2\nIKEv2 default debugging is on\n" in v and
      "  IKEv2 default debugging is on\n" in v,
      "debug crypto ikev2 answers and show debugging lists it")
blocks = re.findall(r"^\*(\S+): (R\d): IKEv2:(?:\(SA ID = (\d+)\):)?(Sending|Received) Packet "
                    r"\[(?:To|From) (\S+):500/(?:From|To) (\S+):500/VRF i0:f0\] \n"
                    r"\*\S+: R\d: Initiator SPI : ([0-9A-F]{16}) - Responder SPI : ([0-9A-F]{16}) "
                    r"Message id: (\d+)\n\*\S+: R\d: IKEv2 (\S+) Exchange (REQUEST|RESPONSE) \n"
                    r"\*\S+: R\d: Payload contents: \n\*\S+: R\d: (.*) \n", v, re.M)
summary = [(b[1], b[3], b[9], b[10], b[11].strip()) for b in blocks]
want = [("R1", "Sending", "IKE_SA_INIT", "REQUEST"), ("R2", "Received", "IKE_SA_INIT", "REQUEST"),
        ("R2", "Sending", "IKE_SA_INIT", "RESPONSE"), ("R1", "Received", "IKE_SA_INIT", "RESPONSE"),
        ("R1", "Sending", "IKE_AUTH", "REQUEST"), ("R2", "Received", "IKE_AUTH", "REQUEST"),
        ("R2", "Sending", "IKE_AUTH", "RESPONSE"), ("R1", "Received", "IKE_AUTH", "RESPONSE"),
        ("R1", "Sending", "INFORMATIONAL", "REQUEST"), ("R2", "Received", "INFORMATIONAL", "REQUEST")]
check([x[:4] for x in summary[:10]] == want,
      f"debug crypto ikev2: the exchanges' messages in order on both routers ({len(summary)})")
payloads = {x[:4]: x[4] for x in summary}
check(payloads.get(("R1", "Sending", "IKE_SA_INIT", "REQUEST")) ==
      "SA KE N NOTIFY(NAT_DETECTION_SOURCE_IP) NOTIFY(NAT_DETECTION_DESTINATION_IP)" and
      payloads.get(("R2", "Received", "IKE_AUTH", "REQUEST")) == "IDi AUTH SA TSi TSr" and
      payloads.get(("R1", "Received", "IKE_AUTH", "RESPONSE")) == "IDr AUTH SA TSi TSr" and
      payloads.get(("R2", "Received", "INFORMATIONAL", "REQUEST")) == "DELETE",
      "the payloads, those in SK decrypted with the SA's keys")
stamps = re.findall(r"^\*00:00:(\d\d\.\d{3}): R\d: IKEv2", v, re.M)
check(stamps == sorted(stamps) and len(stamps) > 10, "debug lines in time order")
table = open(f"{work}/v2/ikev2_decryption_table.uat").read().upper()
check(len(blocks) > 3 and blocks[3][6] in table and blocks[3][7] in table and
      blocks[3][7] != "0" * 16, "the SPIs of the debug are those of the exported table")
shown = re.search(r"Local spi: ([0-9A-F]{16})", v)
check(shown is not None and len(blocks) > 0 and shown.group(1) == blocks[0][6],
      "show crypto ikev2 sa detail and the debug name the same SPI")
check("R1: IKEv2:(SA ID = 1):SA created; inserting SA into database" in v and
      "R2: IKEv2:(SA ID = 1):SA created; inserting SA into database" in v,
      "the SA's creation on both routers")
check("ISAKMP" not in v.split("R1#run 2")[1], "debug crypto isakmp prints no IKEv2 exchange")

d = open(f"{work}/default.txt").read()
check("Sending 2, 1400-byte ICMP Echos to 10.2.2.5" in d and "Success rate is 100 percent (2/2)" in d,
      "the default scenario: 1400-byte pings from R1 (no source: they go in the clear)")
check(os.path.exists(f"{work}/default/results.json"), "the end of piped input finishes the run as exit does")
sys.exit(1 if failures else 0)
PY
