# The strongSwan interoperation tests' traffic in the namespace (strongswan-lib.bash, ss_traffic):
# pings (raw ICMP sockets) and UDP senders and receivers on a timeline that starts at the epoch
# time t0; writes what happened as JSON.
# usage: strongswan_traffic.py PLAN.json OUT.json
import json, os, select, socket, struct, sys, threading, time

plan = json.load(open(sys.argv[1]))
t0 = plan["t0"]
end = plan["end"]
out = {"pings": {}, "udp_send": {}, "udp_recv": {}}

def now():
    return time.time() - t0

def sleep_until(t):
    d = t - now()
    if d > 0:
        time.sleep(d)

def checksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF

def send(s, data, to):
    """sendto; a packet the namespace cannot route (no tunnel up yet: charon's routes to the
    protected networks come with its SAs) counts as sent and lost, as on a wire. Returns
    whether the namespace could send it."""
    try:
        s.sendto(data, to)
        return True
    except OSError:
        return False

def unpaused(p, t):
    """t, or the end of the plan entry's pause when t falls inside it."""
    a, b = p.get("pause", (0, 0))
    return b if a <= t < b else t

def pinger(p, ident):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    s.bind((p["src"], 0))
    sent = {}
    rtt = {}
    routed = {}
    seq = 0
    t = p["start"]
    while True:
        wait = t - now()
        if t < p["stop"] and wait <= 0:
            seq += 1
            body = struct.pack("!d", time.time()) + b"interop" * 6
            hdr = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
            pkt = struct.pack("!BBHHH", 8, 0, checksum(hdr + body), ident, seq) + body
            sent[seq] = now()
            routed[seq] = send(s, pkt, (p["dst"], 0))
            t = unpaused(p, t + p["interval"])
            continue
        if now() > min(p["stop"] + 2, end):
            break
        r, _, _ = select.select([s], [], [], max(0.0, min(wait if t < p["stop"] else 0.2, 0.2)))
        if r:
            data, addr = s.recvfrom(2048)
            ihl = (data[0] & 15) * 4
            typ, code, _, rid, rseq = struct.unpack("!BBHHH", data[ihl:ihl + 8])
            if typ == 0 and rid == ident and rseq in sent and addr[0] == p["dst"]:
                rtt.setdefault(rseq, now() - sent[rseq])
    # [sequence, time sent, round trip or None, whether the namespace had a route for it]
    out["pings"][p["name"]] = [[q, round(sent[q], 4), rtt.get(q), routed[q]] for q in sorted(sent)]

def udp_sender(u):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((u["src"], 0))
    rows = []
    seq = 0
    t = u["start"]
    while t < u["stop"]:
        sleep_until(t)
        seq += 1
        send(s, struct.pack("!I", seq) + b"u" * (u["size"] - 4), (u["dst"], u["port"]))
        rows.append([seq, round(now(), 4)])
        t = unpaused(u, t + u["interval"])
    out["udp_send"][u["name"]] = rows

def udp_receiver(u):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((u["addr"], u["port"]))
    rows = []
    while now() < end:
        r, _, _ = select.select([s], [], [], 0.2)
        if r:
            data, addr = s.recvfrom(4096)
            rows.append([round(now(), 4), addr[0], len(data)])
    out["udp_recv"][u["name"]] = rows

threads = []
for i, p in enumerate(plan.get("pings", [])):
    threads.append(threading.Thread(target=pinger, args=(p, (os.getpid() + i) & 0xFFFF)))
for u in plan.get("udp_send", []):
    threads.append(threading.Thread(target=udp_sender, args=(u,)))
for u in plan.get("udp_recv", []):
    threads.append(threading.Thread(target=udp_receiver, args=(u,)))
for t in threads:
    t.start()
for t in threads:
    t.join()
json.dump(out, open(sys.argv[2], "w"))
