#!/usr/bin/env python3
"""An independent recount of a tuidang registry, written from docs/log-format.md and
docs/statistics.md alone, with Python's standard library (and the openssl command for Ed25519).

    python3 tools/recount.py https://registry.example --vkey 'origin+1234abcd+AQ...'

It reads /api/v1/stats and verifies the checkpoint named there (the consistent-read rule), the log
key's signature on it (openssl pkeyutl), every entry bundle up to the signed root, every entry's
format and day, and the void rule; recounts every figure; and compares the recount with
/api/v1/stats, each language's stats.csv (byte for byte) and the figures of the home and statistics
pages. It checks no hash tile and no witness cosignature (tuidang verify does): a recount needs
only the entries and the root. Exit 0: everything matches; 1: a difference or a broken log (each
printed); 2: usage or network error.
"""

import argparse
import base64
import datetime
import hashlib
import html.parser
import json
import os
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

# docs/log-format.md
ORGS = ["party", "league", "pioneers"]
CHANNELS = ["web", "volunteer", "phone", "centre", "import"]
VOID_REASONS = ["flood", "duplicate", "test", "error", "request"]
REGIONS = (
    "CN-AH CN-BJ CN-CQ CN-FJ CN-GD CN-GS CN-GX CN-GZ CN-HA CN-HB CN-HE CN-HI CN-HK CN-HL CN-HN "
    "CN-JL CN-JS CN-JX CN-LN CN-MO CN-NM CN-NX CN-QH CN-SC CN-SD CN-SH CN-SN CN-SX CN-TJ CN-TW "
    "CN-XJ CN-XZ CN-YN CN-ZJ ZZ"
).split()
FIRST_DAY = "2004-11-01"
LANGUAGES = ["zh-hans", "zh-hant", "en"]
EPOCH = datetime.date(1970, 1, 1)


class Broken(Exception):
    """The log is not what it claims (exit 1)."""


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return r.read()
    except urllib.error.HTTPError as e:
        raise Broken(f"{url} answered {e.code}") from e


# --- Keys and the checkpoint (statistics.md §2) -----------------------------------------------


def parse_vkey(vkey):
    name, key_id, b64 = vkey.split("+", 2)
    raw = base64.b64decode(b64, validate=True)
    if len(raw) != 33 or raw[0] != 0x01:
        raise SystemExit("--vkey: not an Ed25519 (type 0x01) verifier key")
    want = hashlib.sha256(name.encode() + b"\n" + raw[:1] + raw[1:]).digest()[:4]
    if want.hex() != key_id:
        raise SystemExit("--vkey: its key ID does not match its name and key")
    return name, bytes.fromhex(key_id), raw[1:]


def ed25519_verify(public_key, message, signature):
    """Ed25519 through the openssl command: Python's standard library has none."""
    spki = bytes.fromhex("302a300506032b6570032100") + public_key
    with tempfile.TemporaryDirectory() as d:
        paths = {n: os.path.join(d, n) for n in ("key.der", "msg", "sig")}
        for n, data in (("key.der", spki), ("msg", message), ("sig", signature)):
            with open(paths[n], "wb") as f:
                f.write(data)
        r = subprocess.run(
            ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", paths["key.der"],
             "-keyform", "DER", "-rawin", "-in", paths["msg"], "-sigfile", paths["sig"]],
            capture_output=True,
        )
        return r.returncode == 0


def open_checkpoint(note, vkey):
    name, key_id, public_key = vkey
    text, sep, signatures = note.partition("\n\n")
    if not sep:
        raise Broken("checkpoint: not a signed note")
    text += "\n"
    lines = text.split("\n")[:-1]
    if len(lines) != 3:
        raise Broken("checkpoint: expected the origin, the tree size and the root")
    origin, size, root = lines[0], int(lines[1]), base64.b64decode(lines[2], validate=True)
    if origin != name:
        raise Broken(f"checkpoint: origin {origin} is not the key's name {name}")
    for line in signatures.rstrip("\n").split("\n"):
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != "\u2014" or parts[1] != name:
            continue
        sig = base64.b64decode(parts[2], validate=True)
        if sig[:4] == key_id and ed25519_verify(public_key, text.encode(), sig[4:]):
            return size, root
    raise Broken("checkpoint: no valid signature by the log's key")


# --- The log (statistics.md §3) ----------------------------------------------------------------


def tile_index(n):
    s = f"{n % 1000:03d}"
    n //= 1000
    while n > 0:
        s = f"x{n % 1000:03d}/{s}"
        n //= 1000
    return s


def leaf_hash(entry):
    return hashlib.sha256(b"\x00" + entry).digest()


def merkle_root(hashes):
    if len(hashes) == 0:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return hashlib.sha256(b"\x01" + merkle_root(hashes[:k]) + merkle_root(hashes[k:])).digest()


def read_entries(log_url, size):
    entries = []
    for n in range((size + 255) // 256):
        width = min(256, size - n * 256)
        path = f"tile/entries/{tile_index(n)}" + ("" if width == 256 else f".p/{width}")
        data = get(f"{log_url}/{path}")
        at = 0
        while at < len(data):
            if at + 2 > len(data):
                raise Broken(f"{path}: cut inside a length")
            length = int.from_bytes(data[at:at + 2], "big")
            if at + 2 + length > len(data):
                raise Broken(f"{path}: cut inside an entry")
            entries.append(data[at + 2:at + 2 + length])
            at += 2 + length
        if len(entries) != n * 256 + width:
            raise Broken(f"{path}: holds {len(entries) - n * 256} entries, not {width}")
    return entries


# --- Entries (log-format.md) -------------------------------------------------------------------


def decode(b, today):
    """A declaration or void as a dict, or Broken for bytes log-format.md says to reject."""
    if len(b) < 2:
        raise Broken("too short")
    if b[0] != 1:
        raise Broken(f"unknown version {b[0]}")
    if b[1] == 2:
        if len(b) != 13:
            raise Broken("a void is 13 bytes")
        if not 1 <= b[4] <= 5:
            raise Broken(f"unknown void reason {b[4]}")
        target = int.from_bytes(b[5:13], "big")
        if target > 2**53 - 1:
            raise Broken("void target out of range")
        entry = {"kind": "void", "reason": VOID_REASONS[b[4] - 1], "target": target}
    elif b[1] == 1:
        if len(b) < 8:
            raise Broken("too short")
        if b[7] & ~1:
            raise Broken("unknown flags")
        if len(b) != (56 if b[7] & 1 else 40):
            raise Broken("wrong length for a declaration")
        if b[4] == 0 or b[4] > 7:
            raise Broken("organisations must be a non-empty subset of 3")
        if not 1 <= b[5] <= 5:
            raise Broken(f"unknown channel {b[5]}")
        if b[6] > len(REGIONS):
            raise Broken(f"unknown region {b[6]}")
        entry = {
            "kind": "declaration",
            "orgs": [o for i, o in enumerate(ORGS) if b[4] & (1 << i)],
            "channel": CHANNELS[b[5] - 1],
            "region": "none" if b[6] == 0 else REGIONS[b[6] - 1],
        }
    else:
        raise Broken(f"unknown kind {b[1]}")
    day = (EPOCH + datetime.timedelta(days=int.from_bytes(b[2:4], "big"))).isoformat()
    last = (datetime.date.fromisoformat(today) + datetime.timedelta(days=1)).isoformat()
    if day < FIRST_DAY or day > last:
        raise Broken(f"its day {day} is outside {FIRST_DAY} … {last}")
    entry["day"] = day
    return entry


# --- The counted figures (statistics.md §4) ----------------------------------------------------


def recount(entries, today):
    decoded = []
    voided = {}
    for i, b in enumerate(entries):
        try:
            e = decode(b, today)
        except Broken as err:
            raise Broken(f"entry {i}: {err}") from err
        if e["kind"] == "void":
            t = e["target"]
            if t >= i or decoded[t]["kind"] != "declaration":
                raise Broken(f"entry {i}: voids entry {t}, which is not an earlier declaration")
            if t in voided:
                raise Broken(f"entry {i}: voids entry {t} a second time")
            voided[t] = e["reason"]
        decoded.append(e)

    def tally():
        return {
            "declarants": 0,
            "orgs": {o: 0 for o in ORGS},
            "channels": {c: 0 for c in CHANNELS},
            "days": {},
            "regions": {},
        }

    totals = {"entries": len(entries), "registered": tally(), "imported": tally(), "voided": {}}
    for i, e in enumerate(decoded):
        if e["kind"] != "declaration" or i in voided:
            continue
        t = totals["imported" if e["channel"] == "import" else "registered"]
        t["declarants"] += 1
        for o in e["orgs"]:
            t["orgs"][o] += 1
        t["channels"][e["channel"]] += 1
        t["days"][e["day"]] = t["days"].get(e["day"], 0) + 1
        t["regions"][e["region"]] = t["regions"].get(e["region"], 0) + 1
    for reason in voided.values():
        totals["voided"][reason] = totals["voided"].get(reason, 0) + 1
    return totals


def headline(totals):
    return totals["registered"]["declarants"] + totals["imported"]["declarants"]


# --- What is published (statistics.md §6–§8) ---------------------------------------------------


def expected_csv(totals, size):
    r, i = totals["registered"], totals["imported"]
    rows = ["dimension,key,registered,imported,all", f"log,treeSize,,,{size}",
            f"log,entries,,,{totals['entries']}"]

    def row(dimension, key, a, b):
        rows.append(f"{dimension},{key},{a},{b},{a + b}")

    row("total", "declarants", r["declarants"], i["declarants"])
    for o in ORGS:
        row("organisation", o, r["orgs"][o], i["orgs"][o])
    for c in CHANNELS:
        row("channel", c, r["channels"][c], i["channels"][c])
    for g in REGIONS + ["none"]:
        a, b = r["regions"].get(g, 0), i["regions"].get(g, 0)
        if a + b > 0:
            row("region", g, a, b)
    for d in sorted(set(r["days"]) | set(i["days"])):
        row("day", d, r["days"].get(d, 0), i["days"].get(d, 0))
    for v in VOID_REASONS:
        if totals["voided"].get(v):
            rows.append(f"voided,{v},,,{totals['voided'][v]}")
    return "\n".join(rows) + "\n"


def figure(name, totals, size):
    """The value of a page's figure (statistics.md §8), or None if the name is not one."""
    if name == "total":
        return headline(totals)
    if name == "treeSize":
        return size
    parts = name.split(".")
    if parts[0] == "voided":
        return totals["voided"].get(parts[1], 0) if len(parts) == 2 and parts[1] in VOID_REASONS else None
    tallies = [totals["registered"], totals["imported"]]
    if parts[0] in ("registered", "imported"):
        tallies = [totals[parts.pop(0)]]
    if parts == ["declarants"]:
        return sum(t["declarants"] for t in tallies)
    if len(parts) != 2:
        return None
    dimension, key = parts
    if dimension == "overTime":
        return sum(n for t in tallies for d, n in t["days"].items() if d.startswith(key))
    keys = {"orgs": ORGS, "channels": CHANNELS, "regions": REGIONS + ["none"]}.get(dimension)
    if keys is None or key not in keys:
        return None
    return sum(t[dimension].get(key, 0) for t in tallies)


def required(page, totals):
    names = ["total", "registered.declarants", "imported.declarants"]
    if page == "home":
        return names + [f"orgs.{o}" for o in ORGS]
    names.append("treeSize")
    for part in ("registered", "imported"):
        names += [f"{part}.orgs.{o}" for o in ORGS] + [f"{part}.channels.{c}" for c in CHANNELS]
        names += [f"{part}.regions.{g}" for g in REGIONS + ["none"]
                  if totals["registered"]["regions"].get(g, 0) + totals["imported"]["regions"].get(g, 0)]
    return names + [f"voided.{v}" for v in VOID_REASONS if totals["voided"].get(v)]


class Figures(html.parser.HTMLParser):
    """Every element with a data-figure attribute, with its text; the page's tree size."""

    def __init__(self):
        super().__init__()
        self.figures, self.tree_size, self._open = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "data-tree-size" in a:
            self.tree_size = int(a["data-tree-size"])
        if "data-figure" in a:
            self._open = [a["data-figure"], "", a.get("data-total")]

    def handle_data(self, data):
        if self._open is not None:
            self._open[1] += data

    def handle_endtag(self, tag):
        if self._open is not None:
            self.figures.append(tuple(self._open))
            self._open = None


def compare(base, stats, totals, size):
    out = []
    if stats.get("treeSize") != size:
        out.append(("/api/v1/stats treeSize", stats.get("treeSize"), size))
    if stats.get("total") != headline(totals):
        out.append(("/api/v1/stats total", stats.get("total"), headline(totals)))
    if set(stats) != {"treeSize", "total", "totals", "checkpoint"}:
        out.append(("/api/v1/stats keys", sorted(stats), "treeSize total totals checkpoint"))
    if stats.get("totals") != totals:
        out.append(("/api/v1/stats totals", json.dumps(stats.get("totals"), sort_keys=True),
                    json.dumps(totals, sort_keys=True)))
    csv = expected_csv(totals, size)
    for lang in LANGUAGES:
        published = get(f"{base}/{lang}/stats.csv").decode()
        if published != csv:
            got, want = published.split("\n"), csv.split("\n")
            at = next(n for n in range(max(len(got), len(want)))
                      if n >= len(got) or n >= len(want) or got[n] != want[n])
            out.append((f"/{lang}/stats.csv line {at + 1}", (got + [""])[min(at, len(got))],
                        (want + [""])[min(at, len(want))]))
        for path, page in ((f"/{lang}/", "home"), (f"/{lang}/stats", "stats")):
            p = Figures()
            p.feed(get(base + path).decode())
            if p.tree_size != size:
                out.append((f"{path} tree size", p.tree_size, size))
                continue
            seen = set()
            for name, text, exact in p.figures:
                seen.add(name)
                value = figure(name, totals, size)
                digits = "".join(c for c in text if c.isdigit() and c.isascii())
                if value is None or digits == "" or int(digits) != value:
                    out.append((f"{path} {name}", text, value))
                if exact is not None and int(exact) != value:
                    out.append((f"{path} {name} (data-total)", exact, value))
            for name in required(page, totals):
                if name not in seen:
                    out.append((f"{path} {name}", "(missing)", figure(name, totals, size)))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("url", help="the registry's address")
    ap.add_argument("--vkey", required=True, help="the log's verifier key")
    ap.add_argument("--today", default=datetime.datetime.now(datetime.timezone.utc).date().isoformat(),
                    help="the UTC day that bounds entries' days (default: today)")
    args = ap.parse_args()
    base = args.url.rstrip("/")
    vkey = parse_vkey(args.vkey)
    try:
        stats = json.loads(get(f"{base}/api/v1/stats"))
        if stats["checkpoint"] is None:
            size, root, entries = 0, merkle_root([]), []
        else:
            size, root = open_checkpoint(stats["checkpoint"], vkey)
            entries = read_entries(f"{base}/log", size)
            if merkle_root([leaf_hash(e) for e in entries]) != root:
                raise Broken("checkpoint: the entries do not lead to its root")
        totals = recount(entries, args.today)
        differences = compare(base, stats, totals, size)
    except Broken as e:
        print(f"FAILED: {e}")
        return 1
    except (urllib.error.URLError, OSError) as e:
        print(f"recount.py: {e}", file=sys.stderr)
        return 2
    print(f"{size} entries up to the signed root; recounted {headline(totals)} declarants "
          f"({totals['registered']['declarants']} registered, {totals['imported']['declarants']} imported, "
          f"{sum(totals['voided'].values())} voided)")
    for name, published, recounted in differences:
        print(f"DIFFERS {name}: published {published!r}, recounted {recounted!r}")
    if not differences:
        print("every published figure matches the recount")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
