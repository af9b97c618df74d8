#!/usr/bin/env python3
"""PassportEye beside OpenKYC on the document development set.

    python3 bench/peers/passporteye.py [--per-condition N] [--skip-openkyc]

One script, run with any Python 3.9+ on a fresh machine:
  1. installs Debian tesseract-ocr (apt) when no `tesseract` is on the PATH, and
     PassportEye from PyPI into a virtual environment under .cache/peers/passporteye
     (kept between runs), then re-runs itself inside that environment;
  2. unless --skip-openkyc, runs bench/devset.sh, which generates the development set
     into server/target/devset (images + manifest.json, the ground truth) and reads it
     with OpenKYC's DocumentReader (results-openkyc.json);
  3. reads every image of the manifest with PassportEye's read_mrz, with Tesseract
     given the product's OCR-B model (--tessdata-dir .cache/tessdata -l ocrb_int);
  4. prints the same per-condition table for both readers.

Scoring (the same as bench/devset.sh): an image is READ when every one of surname,
given names, document number, nationality, birth date, expiry date and sex is answered
and right; WRONG when any answered field differs from the truth; NO ANSWER when the
reader gives no field. PassportEye answers when it returns a zone whose check digits
all hold (its `valid`), the rule OpenKYC applies before showing a field; it has no
notion of an unsure field, so it answers every field or none. It returns dates as
YYMMDD, compared as such (OpenKYC's are full dates, its century included).
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CACHE = os.environ.get("OPENKYC_CACHE_DIR", os.path.join(ROOT, ".cache"))
VENV = os.path.join(CACHE, "peers", "passporteye")
TESSDATA = os.path.join(CACHE, "tessdata")
DEVSET = os.path.join(ROOT, "server", "target", "devset")
PASSPORTEYE = "passporteye==2.2.2"
FIELDS = ["surname", "givenNames", "documentNumber", "nationality", "birthDate", "expiryDate", "sex"]


def log(msg):
    print("passporteye.py: " + msg, file=sys.stderr, flush=True)


def install():
    """Tesseract from Debian, PassportEye into a cached venv; returns the venv's python."""
    if shutil.which("tesseract") is None:
        log("installing Debian tesseract-ocr")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "tesseract-ocr"],
                       check=True, env=env)
    py = os.path.join(VENV, "bin", "python")
    marker = os.path.join(VENV, ".installed-" + PASSPORTEYE)
    if not os.path.exists(marker):
        log("installing " + PASSPORTEYE + " into " + VENV)
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        subprocess.run([py, "-m", "pip", "install", "-q", "--disable-pip-version-check", PASSPORTEYE],
                       check=True)
        open(marker, "w").close()
    if not os.path.exists(os.path.join(TESSDATA, "ocrb_int.traineddata")):
        sys.exit("passporteye.py: %s/ocrb_int.traineddata missing: run bin/setup" % TESSDATA)
    return py


def in_venv():
    return os.path.realpath(sys.prefix) == os.path.realpath(VENV)


def yymmdd(iso):
    return iso[2:4] + iso[5:7] + iso[8:10] if iso else None


def norm(s):
    return " ".join((s or "").replace("<", " ").split())


def passporteye_fields(mrz):
    """The fields PassportEye answers, or None when it gives no trusted zone."""
    if mrz is None or not mrz.valid:
        return None
    d = mrz.to_dict()
    sex = d.get("sex", "")
    return {
        "surname": norm(d.get("surname")),
        "givenNames": norm(d.get("names")),
        "documentNumber": (d.get("number") or "").replace("<", ""),
        "nationality": (d.get("nationality") or "").replace("<", ""),
        "birthDate": d.get("date_of_birth"),
        "expiryDate": d.get("expiration_date"),
        "sex": "X" if sex in ("<", "X", "") else sex,
    }


def score(truth, answered):
    """read / partial / wrong / none for one image; answered maps field -> value (missing = not answered)."""
    if not answered:
        return "none"
    for f, v in answered.items():
        if v != truth[f]:
            return "wrong"
    return "read" if all(f in answered for f in FIELDS) else "partial"


def truth_for_peer(t):
    u = dict(t)
    u["birthDate"] = yymmdd(t["birthDate"])
    u["expiryDate"] = yymmdd(t["expiryDate"])
    return u


def percentile(values, p):
    """Nearest-rank percentile, the same as the Java evaluator's."""
    s = sorted(values)
    if not s:
        return 0
    k = max(1, -(-len(s) * p // 100))
    return s[int(k) - 1]


def table(title, conditions, rows):
    """rows: list of {condition, outcome, ms}."""
    out = ["", "### " + title, "",
           "| condition | images | read | partial (rest left to the user) | wrong | no answer | median ms | p95 ms |",
           "|---|---|---|---|---|---|---|---|"]
    total = {"n": 0, "read": 0, "partial": 0, "wrong": 0, "none": 0, "ms": []}
    for c in conditions + ["all"]:
        sel = [r for r in rows if c == "all" or r["condition"] == c]
        if not sel:
            continue
        n = len(sel)
        cnt = {k: sum(1 for r in sel if r["outcome"] == k) for k in ("read", "partial", "wrong", "none")}
        ms = [r["ms"] for r in sel]
        pct = lambda k: "%d (%.0f %%)" % (cnt[k], 100.0 * cnt[k] / n)
        name = "**all**" if c == "all" else c
        out.append("| %s | %d | %s | %s | %s | %s | %.0f | %.0f |" % (
            name, n, pct("read"), pct("partial"), pct("wrong"), pct("none"),
            percentile(ms, 50), percentile(ms, 95)))
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-condition", type=int, default=None, help="images per condition (default: devset.sh's)")
    ap.add_argument("--skip-openkyc", action="store_true", help="reuse server/target/devset as it is")
    args = ap.parse_args()

    if not in_venv():
        py = install()
        if not args.skip_openkyc:
            cmd = [os.path.join(ROOT, "bench", "devset.sh")]
            if args.per_condition:
                cmd.append(str(args.per_condition))
            subprocess.run(cmd, check=True)
        os.execv(py, [py, os.path.abspath(__file__), "--skip-openkyc"])

    import warnings
    warnings.filterwarnings("ignore")  # scikit-image deprecation notices on every image
    # This file is named passporteye.py too: import the package, not this script.
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path = [p for p in sys.path if os.path.abspath(p or ".") != here]
    from passporteye import read_mrz  # noqa: E402 (inside the venv only)

    with open(os.path.join(DEVSET, "manifest.json")) as f:
        manifest = json.load(f)
    conditions = manifest["conditions"]
    params = "--tessdata-dir %s -l ocrb_int" % TESSDATA
    peer_rows = []
    read_mrz(os.path.join(DEVSET, manifest["images"][0]["file"]), extra_cmdline_params=params)  # warm-up
    for i, img in enumerate(manifest["images"]):
        path = os.path.join(DEVSET, img["file"])
        t0 = time.perf_counter()
        try:
            mrz = read_mrz(path, extra_cmdline_params=params)
        except Exception as e:  # PassportEye raises on some inputs; that is no answer
            log("%s: %s" % (img["file"], e))
            mrz = None
        ms = (time.perf_counter() - t0) * 1000
        answered = passporteye_fields(mrz)
        outcome = score(truth_for_peer(img["truth"]), answered)
        peer_rows.append({"condition": img["condition"], "file": img["file"], "outcome": outcome, "ms": ms,
                          "answered": answered})
        if (i + 1) % 25 == 0:
            log("%d/%d images" % (i + 1, len(manifest["images"])))
    with open(os.path.join(DEVSET, "results-passporteye.json"), "w") as f:
        json.dump(peer_rows, f, indent=1)

    print("Development set: %d images, seed %s, %s" % (len(manifest["images"]), manifest["seed"],
                                                       manifest.get("engine", "")))
    ours = os.path.join(DEVSET, "results-openkyc.json")
    if os.path.exists(ours):
        with open(ours) as f:
            print(table("OpenKYC DocumentReader", conditions, json.load(f)))
    print(table("PassportEye %s (Tesseract %s, ocrb_int)" % (PASSPORTEYE.split("==")[1], tesseract_version()),
                conditions, peer_rows))


def tesseract_version():
    try:
        out = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout
        return out.split()[1]
    except Exception:
        return "?"


if __name__ == "__main__":
    main()
