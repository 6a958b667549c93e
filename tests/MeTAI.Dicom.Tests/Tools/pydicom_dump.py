#!/usr/bin/python3
"""Dump pydicom's view of DICOM files as JSON lines, for DicomPydicomComparisonTests.

Usage: pydicom_dump.py FILE...   (one JSON object per file on stdout)

Normalisations (mirrored in the C# test, which documents each):
- every value is a list (pydicom gives a scalar for VM 1); text values are str() of each pydicom value;
- numbers: ints as JSON ints, floats as repr() strings (exact round trip, NaN/inf safe);
- AT values as 8 hex digits;
- bytes values (OB/OW/OF/OD/OL/OV/UN and unconverted values) as length + SHA-256; in big-endian files the word VRs
  are swapped to little-endian first, because our model holds every binary value little-endian;
- encapsulated pixel data as SHA-256 of the Basic Offset Table and of each fragment;
- sequences as lists of items, each a list of elements;
- pixel data (when pydicom can decode it) as shape, dtype and SHA-256 of the little-endian bytes of pixel_array,
  with 1-bit data unpacked to one byte per pixel (pydicom's own representation).
"""
import hashlib
import io
import json
import sys
import warnings

import numpy as np
import pydicom
from pydicom import encaps
from pydicom.multival import MultiValue

warnings.simplefilter("ignore")

TEXT = {"AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UI", "UR", "UT"}
SWAP = {"OW": 2, "OF": 4, "OD": 8, "OL": 4, "OV": 8}


def sha(b):
    return hashlib.sha256(bytes(b)).hexdigest()


def as_list(v):
    if v is None:
        return []
    if isinstance(v, (MultiValue, list, tuple)):
        return list(v)
    return [v]


def number(x):
    if isinstance(x, float) or isinstance(x, np.floating):
        return repr(float(x))
    return int(x)


def value(elem, little, bits_allocated=None):
    vr = elem.VR
    v = elem.value
    if vr == "SQ":
        return [dump_dataset(item, little) for item in v]
    if elem.tag == 0x7FE00010 and getattr(elem, "is_undefined_length", False):
        fp = pydicom.filebase.DicomBytesIO(v)
        fp.is_little_endian = True
        offsets_raw = b""
        # Basic Offset Table item
        tag = fp.read_tag()
        length = fp.read_UL()
        offsets_raw = fp.read(length)
        frags = [sha(f) for f in encaps.generate_pixel_data_fragment(fp)]
        return {"bot": sha(offsets_raw), "fragments": frags}
    if isinstance(v, (bytes, bytearray)):
        b = bytes(v)
        unit = SWAP.get(vr)
        if elem.tag == 0x7FE00010 and bits_allocated in (32, 64):
            unit = bits_allocated // 8  # pixel cells wider than an OW word are swapped whole (as pydicom, dcmtk)
        if not little and unit and len(b) % unit == 0:
            b = np.frombuffer(b, dtype=">u%d" % unit).astype("<u%d" % unit).tobytes()
        return {"len": len(b), "sha": sha(b)}
    if vr == "AT":
        return ["%08X" % int(x) for x in as_list(v)]
    if vr in TEXT:
        return [str(x) for x in as_list(v)]
    return [number(x) for x in as_list(v)]


def dump_element(elem, little, bits_allocated):
    vr = getattr(elem.VR, "value", elem.VR)  # pydicom 2.3 mixes str and its VR enum
    return {"tag": "%08X" % int(elem.tag), "vr": str(vr), "value": value(elem, little, bits_allocated)}


def dump_dataset(ds, little):
    bits = ds.get("BitsAllocated")
    return [dump_element(e, little, bits if isinstance(bits, int) else None) for e in ds]


def pixels(ds):
    arr = ds.pixel_array
    if arr.dtype.byteorder == ">":
        arr = arr.astype(arr.dtype.newbyteorder("<"))
    return {"shape": list(arr.shape), "dtype": arr.dtype.str, "sha": sha(np.ascontiguousarray(arr).tobytes())}


def truncated(ds):
    """True when a top-level element's value is shorter than its declared length (pydicom reads past EOF silently)."""
    for raw in ds._dict.values():
        length = getattr(raw, "length", None)
        val = getattr(raw, "value", None)
        if isinstance(val, (bytes, bytearray)) and length not in (None, 0xFFFFFFFF) and len(val) < length:
            return True
    return False


def dump_file(path):
    out = {"file": path}
    try:
        ds = pydicom.dcmread(path, force=True)
    except Exception as ex:  # pydicom cannot read it at all
        out["error"] = "%s: %s" % (type(ex).__name__, ex)
        return out
    out["truncated"] = truncated(ds)
    little = ds.is_little_endian if ds.is_little_endian is not None else True
    meta = getattr(ds, "file_meta", None)
    try:
        out["meta"] = dump_dataset(meta, True) if meta is not None else []
        out["dataset"] = dump_dataset(ds, little)
    except Exception as ex:
        out["error"] = "%s: %s" % (type(ex).__name__, ex)
        return out
    ts = meta.get("TransferSyntaxUID") if meta is not None else None
    out["transfer_syntax"] = str(ts) if ts is not None else None
    if "PixelData" in ds:
        try:
            out["pixels"] = pixels(ds)
        except Exception as ex:
            out["pixel_error"] = "%s: %s" % (type(ex).__name__, str(ex)[:200])
    return out


def main(paths):
    for p in paths:
        sys.stdout.write(json.dumps(dump_file(p)) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
