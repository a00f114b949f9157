"""Two-page 1-bit G4 scans written by software other than Leptonica, for ImageFileTests:
Pillow's TIFF (libtiff, little-endian, MinIsBlack), the same pages rewritten big-endian with
the bits of each G4 byte in reverse order (FillOrder 2), as some scanners write them, and
Pillow's PDF of the same pages (CCITT G4 images with /BlackIs1 true, filters in arrays).
Run once: python3 make_fixtures.py (needs Pillow; written with Pillow 13.0.0)."""
import struct
from PIL import Image, ImageDraw

page = Image.new("1", (203, 97), 1)
draw = ImageDraw.Draw(page)
draw.rectangle((20, 30, 80, 60), fill=0)
draw.line((0, 0, 202, 96), fill=0, width=3)
page.save("pillow-g4.tif", compression="group4", dpi=(200, 200), save_all=True,
          append_images=[page.rotate(180)])
page.save("pillow-g4.pdf", save_all=True, append_images=[page.rotate(180)], resolution=200)

data = open("pillow-g4.tif", "rb").read()
assert data[:2] == b"II"
SIZES = {3: 2, 4: 4, 5: 8}
FORMATS = {3: "H", 4: "I"}
REVERSED = bytes(int(f"{b:08b}"[::-1], 2) for b in range(256))


def directories(data):
    offset = struct.unpack_from("<I", data, 4)[0]
    while offset:
        (n,) = struct.unpack_from("<H", data, offset)
        entries = {}
        for i in range(n):
            tag, typ, count = struct.unpack_from("<HHI", data, offset + 2 + 12 * i)
            size = SIZES[typ] * count
            at = offset + 2 + 12 * i + 8 if size <= 4 else struct.unpack_from("<I", data, offset + 10 + 12 * i)[0]
            if typ == 5:
                values = list(struct.unpack_from(f"<{2 * count}I", data, at))
            else:
                values = list(struct.unpack_from(f"<{count}{FORMATS[typ]}", data, at))
            entries[tag] = (typ, values)
        yield entries
        offset = struct.unpack_from("<I", data, offset + 2 + 12 * n)[0]


out = bytearray(b"MM\x00\x2a\x00\x00\x00\x00")
previous_link = 4
for entries in directories(data):
    strips = []
    for o, c in zip(entries[273][1], entries[279][1]):
        strips.append(len(out))
        out += data[o:o + c].translate(REVERSED)
    entries[273] = (4, strips)
    entries[266] = (3, [2])
    if len(out) % 2:
        out += b"\x00"
    struct.pack_into(">I", out, previous_link, len(out))
    tags = sorted(entries)
    start = len(out)
    extra = start + 2 + 12 * len(tags) + 4
    head, tail = bytearray(struct.pack(">H", len(tags))), bytearray()
    for tag in tags:
        typ, values = entries[tag]
        count = len(values) // 2 if typ == 5 else len(values)
        packed = struct.pack(f">{len(values)}{'I' if typ != 3 else 'H'}", *values)
        head += struct.pack(">HHI", tag, typ, count)
        if len(packed) <= 4:
            head += packed.ljust(4, b"\x00")
        else:
            head += struct.pack(">I", extra + len(tail))
            tail += packed
    previous_link = start + len(head)
    head += b"\x00\x00\x00\x00"
    out += head + tail
open("big-endian-lsb-g4.tif", "wb").write(out)
