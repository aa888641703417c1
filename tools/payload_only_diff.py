#!/usr/bin/env python3
"""Reads the "Files A and B differ" lines of tools/compare_outputs.sh (run
with KEEP=1) and tells, for each pair, whether the files differ in payload
bytes only: a pcap or pcapng has the same packets, record headers, IP and
TCP headers and pcapng comments, the TCP checksum and payload aside; a
text, JSON or JSON Lines file is the same once the quoted data of
send/recv/read/write calls and the corrupted-byte counts are masked; a
sweep's CSV the same but its corrupted_bytes columns.
Prints PAYLOAD-ONLY or OTHER (with the first difference) per file; exit
status 1 when any is OTHER.

  KEEP=1 tools/compare_outputs.sh 4f9bb72 2>&1 | tools/payload_only_diff.py
"""
import csv
import json
import re
import struct
import sys

CALL = re.compile(r'((?:send|recv|read|write)\(\d+, )"(?:[^"\\]|\\.)*"(\.\.\.)?')
def mask_text(s):
    s = CALL.sub(r'\1"<data>"', s)
    s = re.sub(r'(corrupted_bytes"?:? *)\d+', r'\1N', s)
    s = re.sub(r'(CORRUPTED[^\n]*?)\d+', r'\1N', s)
    return s

def mask_json(v):
    if isinstance(v, dict):
        return {k: ('N' if k == 'corrupted_bytes' else mask_json(x)) for k, x in v.items()}
    if isinstance(v, list):
        return [mask_json(x) for x in v]
    if isinstance(v, str):
        return mask_text(v)
    return v

def frame_ok(a, b, linktype, why):
    if len(a) != len(b):
        return why + ': frame length'
    off = {1: 14, 101: 0, 228: 0}.get(linktype)
    if off is None:
        return why + ': linktype %d' % linktype
    ip = off
    if (a[ip] >> 4) != 4:
        return None if a == b else why + ': non-IPv4 frame differs'
    ihl = (a[ip] & 15) * 4
    if a[:ip + ihl] != b[:ip + ihl]:
        return why + ': IP header'
    if a[ip + 9] != 6:
        return None if a == b else why + ': non-TCP differs'
    t = ip + ihl
    doff = (a[t + 12] >> 4) * 4
    ha, hb = bytearray(a[t:t + doff]), bytearray(b[t:t + doff])
    ha[16:18] = hb[16:18] = b'\0\0'
    if ha != hb:
        return why + ': TCP header'
    return None

def pcap_records(d):
    end = '<' if d[:4] in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1') else '>'
    linktype = struct.unpack(end + 'I', d[20:24])[0]
    p, out = 24, []
    while p < len(d):
        ts1, ts2, cap, orig = struct.unpack(end + 'IIII', d[p:p + 16])
        out.append(((ts1, ts2, cap, orig), d[p + 16:p + 16 + cap]))
        p += 16 + cap
    return d[:24], linktype, out

def cmp_pcap(fa, fb):
    ga, lt, ra = pcap_records(open(fa, 'rb').read())
    gb, _, rb = pcap_records(open(fb, 'rb').read())
    if ga != gb or len(ra) != len(rb):
        return 'global header or packet count'
    for i, ((ha, a), (hb, b)) in enumerate(zip(ra, rb)):
        if ha != hb:
            return 'record header %d' % i
        e = frame_ok(a, b, lt, 'packet %d' % (i + 1))
        if e:
            return e
    return None

def cmp_pcapng(fa, fb):
    da, db = open(fa, 'rb').read(), open(fb, 'rb').read()
    if len(da) != len(db):
        return 'length'
    p, links, n = 0, [], 0
    while p < len(da):
        btype, blen = struct.unpack('<II', da[p:p + 8])
        if da[p:p + 8] != db[p:p + 8]:
            return 'block header at %d' % p
        if btype == 1:
            links.append(struct.unpack('<H', da[p + 8:p + 10])[0])
        if btype == 6:
            n += 1
            if da[p + 8:p + 28] != db[p + 8:p + 28]:
                return 'EPB header %d' % n
            cap = struct.unpack('<I', da[p + 20:p + 24])[0]
            iface = struct.unpack('<I', da[p + 8:p + 12])[0]
            e = frame_ok(da[p + 28:p + 28 + cap], db[p + 28:p + 28 + cap], links[iface], 'packet %d' % n)
            if e:
                return e
            opt = p + 28 + ((cap + 3) & ~3)
            if da[opt:p + blen] != db[opt:p + blen]:
                return 'EPB options (comments) %d' % n
        elif da[p:p + blen] != db[p:p + blen]:
            return 'block type %d at %d' % (btype, p)
        p += blen
    return None

def cmp_csv(fa, fb):
    ra, rb = list(csv.reader(open(fa))), list(csv.reader(open(fb)))
    if len(ra) != len(rb) or ra[0] != rb[0]:
        return 'rows or header'
    keep = [i for i, h in enumerate(ra[0]) if not h.startswith('corrupted_bytes')]
    for n, (x, y) in enumerate(zip(ra, rb)):
        if [x[i] for i in keep] != [y[i] for i in keep]:
            return 'row %d beyond corrupted_bytes' % n
    return None

def cmp_file(fa, fb):
    if fa.endswith('.csv'):
        return cmp_csv(fa, fb)
    if fa.endswith('.pcap'):
        return cmp_pcap(fa, fb)
    if fa.endswith('.pcapng'):
        return cmp_pcapng(fa, fb)
    if fa.endswith('.json'):
        return None if mask_json(json.load(open(fa))) == mask_json(json.load(open(fb))) else 'JSON beyond data'
    if fa.endswith('.jsonl'):
        la, lb = open(fa).read().splitlines(), open(fb).read().splitlines()
        if len(la) != len(lb):
            return 'line count'
        for i, (x, y) in enumerate(zip(la, lb)):
            if mask_json(json.loads(x)) != mask_json(json.loads(y)):
                return 'line %d: %s | %s' % (i + 1, x[:150], y[:150])
        return None
    a, b = mask_text(open(fa, errors='replace').read()), mask_text(open(fb, errors='replace').read())
    if a != b:
        for i, (x, y) in enumerate(zip(a.splitlines(), b.splitlines())):
            if x != y:
                return 'line %d: %s | %s' % (i + 1, x[:150], y[:150])
        return 'text beyond data'
    return None

bad = 0
for line in sys.stdin:
    m = re.match(r'Files (\S+) and (\S+) differ', line)
    if not m:
        continue
    e = cmp_file(m.group(1), m.group(2))
    print(('PAYLOAD-ONLY ' if e is None else 'OTHER ') + m.group(2).split('/after/')[1] + ('' if e is None else '  ' + e))
    bad += e is not None
sys.exit(1 if bad else 0)
