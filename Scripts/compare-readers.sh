#!/usr/bin/env bash
# Sets libpcap's read rate against CaptureReader's on the same captures,
# and checks what libpcap does with a pcapng whose interfaces have
# different link types. The figures and the decision are in
# docs/capture-files.md.
#
#   Scripts/compare-readers.sh            # ~500 MB captures in a temp folder
#   SIZE_MB=100 RUNS=5 Scripts/compare-readers.sh
#   KEEP=1 WORK=/tmp/cmp Scripts/compare-readers.sh
#
# Needs gcc, libpcap-dev, python3 and swiftc. The Swift side is compiled
# with swiftc -O -wmo straight from Sources/ (SIPCore, then TraceFormats
# with a three-line main), so no package target and no network are needed.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZE_MB=${SIZE_MB:-500}
RUNS=${RUNS:-3}
WORK=${WORK:-$(mktemp -d /tmp/compare-readers.XXXXXX)}
mkdir -p "$WORK"
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$WORK"' EXIT; fi

echo "== building libpcap-read-rate (gcc -O2)"
gcc -O2 -o "$WORK/libpcap-read-rate" "$ROOT/Scripts/libpcap-read-rate.c" -lpcap

echo "== building capture-read-rate (swiftc -O -wmo)"
swiftc -O -wmo -swift-version 6 -parse-as-library -module-name SIPCore \
    -emit-module -emit-module-path "$WORK/SIPCore.swiftmodule" \
    -emit-library -static -o "$WORK/libSIPCore.a" \
    $(find "$ROOT/Sources/SIPCore" -name '*.swift')
cat > "$WORK/main.swift" <<'EOF'
for path in CommandLine.arguments.dropFirst() {
    do {
        let r = try CaptureReadRate.measure(path: path)
        print("frames \(r.frames) bytes \(r.bytes) seconds \(String(format: "%.3f", r.seconds)) MB/s \(Int(r.megabytesPerSecond)) (checksum \(r.checksum))")
    } catch {
        print("error \(error)")
    }
}
EOF
swiftc -O -wmo -swift-version 6 -module-name CaptureReadRateMain -I "$WORK" -L "$WORK" -lSIPCore \
    $(find "$ROOT/Sources/TraceFormats" -name '*.swift') "$WORK/main.swift" \
    -o "$WORK/capture-read-rate"

echo "== generating ${SIZE_MB} MB pcap and pcapng, and a two-link-type pcapng"
python3 - "$WORK" "$SIZE_MB" <<'EOF'
import struct, sys, random
work, size_mb = sys.argv[1], int(sys.argv[2])
target = size_mb * 1_000_000
rng = random.Random(7)
# A VoIP-like mix: G.711 RTP frames (14 Ethernet + 20 IP + 8 UDP + 12 RTP +
# 160 payload = 214 bytes) and, one in twenty, a SIP message of 500-1400.
def frame_len():
    return 214 if rng.random() < 0.95 else rng.randint(500, 1400)
payloads = {n: bytes((i * 31 + n) & 0xFF for i in range(n)) for n in [214] + list(range(500, 1401))}

def pcap(path):
    out = bytearray(struct.pack('<IHHiIII', 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
    written, sec, usec, frames = 0, 1_790_000_000, 0, 0
    with open(path, 'wb') as f:
        while written < target:
            n = frame_len()
            usec += 125
            if usec >= 1_000_000: sec, usec = sec + 1, usec - 1_000_000
            out += struct.pack('<IIII', sec, usec, n, n)
            out += payloads[n]
            frames += 1
            if len(out) > 8 << 20:
                f.write(out); written += len(out); out = bytearray()
        f.write(out)
    return frames

def block(btype, body):
    pad = (-len(body)) % 4
    total = 12 + len(body) + pad
    return struct.pack('<II', btype, total) + body + b'\0' * pad + struct.pack('<I', total)

def shb():
    return block(0x0A0D0D0A, struct.pack('<IHHq', 0x1A2B3C4D, 1, 0, -1))

def idb(link):
    return block(1, struct.pack('<HHI', link, 0, 262144))

def epb(iface, usecs, data):
    return block(6, struct.pack('<IIIII', iface, usecs >> 32, usecs & 0xFFFFFFFF, len(data), len(data)) + data)

def pcapng(path):
    rng.seed(7)
    out = bytearray(shb() + idb(1))
    written, t, frames = 0, 1_790_000_000 * 1_000_000, 0
    with open(path, 'wb') as f:
        while written < target:
            n = frame_len()
            t += 125
            out += epb(0, t, payloads[n])
            frames += 1
            if len(out) > 8 << 20:
                f.write(out); written += len(out); out = bytearray()
        f.write(out)
    return frames

print('pcap  ', pcap(f'{work}/big.pcap'), 'frames')
print('pcapng', pcapng(f'{work}/big.pcapng'), 'frames')
with open(f'{work}/mixed.pcapng', 'wb') as f:
    f.write(shb() + idb(1) + idb(113) + epb(0, 1, payloads[214]) + epb(1, 2, payloads[214]))
EOF
ls -l "$WORK"/*.pcap "$WORK"/*.pcapng

# Warm the page cache: both readers read from memory, not disk.
cat "$WORK/big.pcap" "$WORK/big.pcapng" > /dev/null

for f in big.pcap big.pcapng; do
    for r in $(seq "$RUNS"); do
        echo "libpcap      $f run $r: $("$WORK/libpcap-read-rate" "$WORK/$f")"
        echo "CaptureReader $f run $r: $("$WORK/capture-read-rate" "$WORK/$f")"
    done
done

echo "== a pcapng with an Ethernet and a Linux cooked interface"
echo "libpcap:       $("$WORK/libpcap-read-rate" "$WORK/mixed.pcapng" || true)"
echo "CaptureReader: $("$WORK/capture-read-rate" "$WORK/mixed.pcapng")"
echo "== peak resident size of each reader on the pcap (KB, /usr/bin/time)"
if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "libpcap       %M KB" "$WORK/libpcap-read-rate" "$WORK/big.pcap" > /dev/null
    /usr/bin/time -f "CaptureReader %M KB" "$WORK/capture-read-rate" "$WORK/big.pcap" > /dev/null
fi
