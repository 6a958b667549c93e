#!/usr/bin/env python3
"""Builds configs/materials/*.json from NIST data (run from the repository root: python3 tools/materials/make_materials.py).

Inputs (tools/materials/source/):
  xcom/MDATX3.zzz   NIST XCOM (SRD 8, version 3.1, Berger & Hubbell) elemental cross-section files, barn/atom per
                    process on XCOM's standard energy grid (eV). XCOM itself builds compounds by the additivity rule
                    used here (sum of mass fraction x elemental mu/rho), so at the grid energies the numbers equal
                    XCOM's own output for the mixture.
  estar-selected.csv NIST ESTAR (SRD 124, Berger, Coursey, Zucker & Chang) tables for water (liquid), air (dry),
                    titanium and the elements of the tissues, as compiled from the NIST site (Feb 2026) in the R package
                    clanElectrons (C. E. Andersen, data set df.NIST.estar.SP).
Compositions and densities: NIST X-ray mass attenuation tables, Table 2 (Hubbell & Seltzer, SRD 126), ICRU Report 44.
"""
import csv, json, math, os

AVOGADRO = 0.60221367  # x 1e24 / mol ; barn = 1e-24 cm^2
ROOT = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(ROOT, "..", "..", "configs", "materials")
SYM = {1: "H", 6: "C", 7: "N", 8: "O", 11: "Na", 12: "Mg", 15: "P", 16: "S", 17: "Cl", 18: "Ar", 19: "K", 20: "Ca", 22: "Ti"}
Z_OF = {v: k for k, v in SYM.items()}
ESTAR_ELEMENT = {"H": "hydrogen", "C": "graphite", "N": "nitrogen", "O": "oxygen", "Na": "sodium", "Mg": "magnesium",
                 "P": "phosphorus", "S": "sulfur", "Cl": "chlorine", "Ar": "argon", "K": "potassium", "Ca": "calcium"}

MATERIALS = [
    # name, NIST name, density g/cm3, composition (mass fractions, NIST Table 2), ESTAR id or None, I (eV) for derived
    ("air", "Air, Dry (near sea level)", 0.00120479, {"C": 0.000124, "N": 0.755268, "O": 0.231781, "Ar": 0.012827}, "air.dry", 85.7),
    ("lung", "Lung Tissue (ICRU-44)", 1.05, {"H": 0.103, "C": 0.105, "N": 0.031, "O": 0.749, "Na": 0.002, "P": 0.002, "S": 0.003, "Cl": 0.003, "K": 0.002}, None, 75.3),
    ("adipose", "Adipose Tissue (ICRU-44)", 0.95, {"H": 0.114, "C": 0.598, "N": 0.007, "O": 0.278, "Na": 0.001, "S": 0.001, "Cl": 0.001}, None, 63.2),
    ("soft-tissue", "Tissue, Soft (ICRU-44)", 1.06, {"H": 0.102, "C": 0.143, "N": 0.034, "O": 0.708, "Na": 0.002, "P": 0.003, "S": 0.003, "Cl": 0.002, "K": 0.003}, None, 72.3),
    ("water", "Water, Liquid", 1.0, {"H": 0.111898, "O": 0.888102}, "water.liquid", 75.0),
    ("muscle", "Muscle, Skeletal (ICRU-44)", 1.05, {"H": 0.102, "C": 0.143, "N": 0.034, "O": 0.710, "Na": 0.001, "P": 0.002, "S": 0.003, "Cl": 0.001, "K": 0.004}, None, 75.3),
    ("cortical-bone", "Bone, Cortical (ICRU-44)", 1.92, {"H": 0.034, "C": 0.155, "N": 0.042, "O": 0.435, "Na": 0.001, "Mg": 0.002, "P": 0.103, "S": 0.003, "Ca": 0.225}, None, 106.4),
    ("titanium", "Titanium", 4.54, {"Ti": 1.0}, "titanium", 233.0),
]

def read_xcom(z):
    tok = open(os.path.join(ROOT, "source", "xcom", "MDATX3.%03d" % z)).read().split()
    zz, a = int(tok[0]), float(tok[1]); nedge, ne = int(tok[2]), int(tok[3]); p = 4
    assert zz == z
    if nedge > 0:
        p += nedge      # edge indices
        p += nedge      # edge labels
        p += nedge      # edge energies
    e = [float(x) for x in tok[p:p + ne]]; p += ne
    blocks = []
    for _ in range(5):
        blocks.append([float(x) for x in tok[p:p + ne]]); p += ne
    f = AVOGADRO / a
    return a, e, [[v * f for v in b] for b in blocks]

def read_estar():
    t = {}
    with open(os.path.join(ROOT, "source", "estar-selected.csv")) as fh:
        for r in csv.DictReader(fh):
            t.setdefault(r["id"], []).append((float(r["MeV"]), float(r["MSP.el"]), float(r["MSP.rad"]), float(r["MSP.tot"]), float(r["range.CSDA"]), float(r["rho"]), float(r["I"])))
    return t

def bethe_collision(T, zoa, i_ev, rho):
    """ICRU 37 collision stopping power for electrons with Sternheimer-Peierls (1971) density effect, MeV cm2/g."""
    mc2 = 0.51099895; tau = T / mc2; g = tau + 1; b2 = 1 - 1 / (g * g)
    f = 1 - b2 + (tau * tau / 8 - (2 * tau + 1) * math.log(2)) / (g * g)
    hwp = 28.816 * math.sqrt(rho * zoa)  # eV
    cbar = 1 + 2 * math.log(i_ev / hwp)
    if i_ev < 100:
        x1 = 2.0; x0 = 0.2 if cbar < 3.681 else 0.326 * cbar - 1.0
    else:
        x1 = 3.0; x0 = 0.2 if cbar < 5.215 else 0.326 * cbar - 1.5
    a = (cbar - 4.606 * x0) / (x1 - x0) ** 3
    x = math.log10(math.sqrt(g * g - 1))
    delta = 0.0 if x < x0 else (4.606 * x - cbar + a * (x1 - x) ** 3 if x < x1 else 4.606 * x - cbar)
    ratio = i_ev * 1e-6 / mc2
    return 0.153536 * zoa / b2 * (math.log(tau * tau * (tau + 2) / (2 * ratio * ratio)) + f - delta)

def zoa_of(comp):
    return sum(w * Z_OF[s] / read_xcom(Z_OF[s])[0] for s, w in comp.items())

def main():
    os.makedirs(OUT, exist_ok=True)
    estar = read_estar()
    water_es = estar["water.liquid"]
    water_zoa = zoa_of({"H": 0.111898, "O": 0.888102})
    for name, nist, rho, comp, estar_id, i_ev in MATERIALS:
        # photons: XCOM grid points from 10 keV to 20 MeV, mixture rule
        grid = None; parts = [None] * 5
        for s, w in comp.items():
            _, e, b = read_xcom(Z_OF[s])
            sel = [k for k, ev in enumerate(e) if 1e4 - 1 <= ev <= 2e7 + 1]
            if grid is None:
                grid = [e[k] / 1e6 for k in sel]; parts = [[0.0] * len(sel) for _ in range(5)]
            assert [e[k] / 1e6 for k in sel] == grid, "energy grids differ"
            for p in range(5):
                for n, k in enumerate(sel):
                    parts[p][n] += w * b[p][k]
        r = lambda v: float("%.5g" % v)
        photon = {
            "source": "NIST XCOM (SRD 8, v3.1, Berger & Hubbell): elemental cross sections combined by XCOM's mixture rule with the NIST Table 2 mass fractions",
            "energyMeV": [r(v) for v in grid],
            "coherentCm2PerG": [r(v) for v in parts[0]],
            "incoherentCm2PerG": [r(v) for v in parts[1]],
            "photoelectricCm2PerG": [r(v) for v in parts[2]],
            "pairNuclearCm2PerG": [r(v) for v in parts[3]],
            "pairElectronCm2PerG": [r(v) for v in parts[4]],
        }
        zoa = zoa_of(comp)
        if estar_id is not None:
            rows = [x for x in estar[estar_id] if x[0] <= 20.0 + 1e-9]
            electron = {
                "source": "NIST ESTAR (SRD 124) table for '%s' (I = %g eV, density %g g/cm3)" % (estar_id, rows[0][6], rows[0][5]),
                "meanExcitationEnergyEv": rows[0][6],
                "energyMeV": [x[0] for x in rows],
                "collisionMeVCm2PerG": [x[1] for x in rows],
                "radiativeMeVCm2PerG": [x[2] for x in rows],
                "csdaRangeGPerCm2": [x[4] for x in rows],
            }
        else:
            rows = [x for x in water_es if x[0] <= 20.0 + 1e-9]
            es = [x[0] for x in rows]
            col = []; rad = []
            for n, T in enumerate(es):
                ratio = bethe_collision(T, zoa, i_ev, rho) / bethe_collision(T, water_zoa, 75.0, 1.0)
                col.append(r(rows[n][1] * ratio))
                srad = 0.0
                for s, w in comp.items():
                    tab = estar[ESTAR_ELEMENT[s]]
                    srad += w * next(x[2] for x in tab if abs(x[0] - T) < 1e-9)
                rad.append(r(srad))
            # CSDA range: start from water's range at the first energy scaled by the stopping-power ratio, then integrate 1/S
            rng = [rows[0][4] * (rows[0][1] + rows[0][2]) / (col[0] + rad[0])]
            for n in range(1, len(es)):
                # trapezoid in log energy: dR = T dlnT / S
                s0 = es[n - 1] / (col[n - 1] + rad[n - 1]); s1 = es[n] / (col[n] + rad[n])
                rng.append(rng[-1] + 0.5 * (s0 + s1) * math.log(es[n] / es[n - 1]))
            electron = {
                "source": "Derived from NIST ESTAR (SRD 124): collision = ESTAR liquid water x ICRU-37 Bethe ratio (material/water, I = %g eV, Sternheimer-Peierls density effect); radiative = mass-fraction sum of ESTAR elemental radiative stopping powers (ESTAR's own rule); CSDA range integrated from these" % i_ev,
                "meanExcitationEnergyEv": i_ev,
                "energyMeV": es,
                "collisionMeVCm2PerG": col,
                "radiativeMeVCm2PerG": rad,
                "csdaRangeGPerCm2": [r(v) for v in rng],
            }
        doc = {
            "name": name,
            "nistName": nist,
            "densityGPerCm3": rho,
            "electronsPerGramOverAvogadro": r(zoa),
            "composition": {"source": "NIST X-ray mass attenuation coefficients, Table 2 (Hubbell & Seltzer, SRD 126); ICRU Report 44", "massFractions": comp},
            "photon": photon,
            "electron": electron,
        }
        with open(os.path.join(OUT, name + ".json"), "w") as fh:
            json.dump(doc, fh, indent=1)
            fh.write("\n")
        tot = lambda k: sum(parts[p][k] for p in range(5))
        chk = {E: tot(grid.index(E)) for E in (0.1, 0.5, 1.0, 2.0, 6.0)}
        print(name, "zoa=%.4f" % zoa, " ".join("%g:%.5g" % kv for kv in chk.items()), "Scol(1MeV)=%.4g" % electron["collisionMeVCm2PerG"][electron["energyMeV"].index(1.0)], "R(5MeV)=%.4g" % electron["csdaRangeGPerCm2"][electron["energyMeV"].index(5.0)])

if __name__ == "__main__":
    main()
