namespace MeTAI.Dosimetry.Materials;

/// <summary>
/// One dose material as loaded from <c>configs/materials/NAME.json</c>: nominal density, elemental composition, NIST
/// XCOM photon cross sections per interaction and NIST ESTAR electron stopping powers. Energies in MeV, mass
/// attenuation in cm²/g, mass stopping powers in MeV cm²/g, ranges in g/cm².
/// </summary>
public sealed class MaterialData
{
    /// <summary>Short name, e.g. <c>water</c>, <c>lung</c>, <c>cortical-bone</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The NIST name of the composition, e.g. "Lung Tissue (ICRU-44)".</summary>
    public required string NistName { get; init; }

    /// <summary>Nominal mass density in g/cm³ (the density the tables refer to).</summary>
    public required double DensityGPerCm3 { get; init; }

    /// <summary>Mass fractions by element symbol (sum 1).</summary>
    public required IReadOnlyDictionary<string, double> MassFractions { get; init; }

    /// <summary>Photon energies of the XCOM table in MeV (ascending).</summary>
    public required double[] PhotonEnergyMeV { get; init; }

    /// <summary>Coherent (Rayleigh) μ/ρ in cm²/g.</summary>
    public required double[] CoherentCm2PerG { get; init; }

    /// <summary>Incoherent (Compton) μ/ρ in cm²/g.</summary>
    public required double[] IncoherentCm2PerG { get; init; }

    /// <summary>Photoelectric μ/ρ in cm²/g.</summary>
    public required double[] PhotoelectricCm2PerG { get; init; }

    /// <summary>Pair production μ/ρ (nuclear + electron field) in cm²/g.</summary>
    public required double[] PairCm2PerG { get; init; }

    /// <summary>Electron kinetic energies of the ESTAR table in MeV (ascending).</summary>
    public required double[] ElectronEnergyMeV { get; init; }

    /// <summary>Unrestricted collision mass stopping power in MeV cm²/g.</summary>
    public required double[] CollisionMeVCm2PerG { get; init; }

    /// <summary>Radiative mass stopping power in MeV cm²/g.</summary>
    public required double[] RadiativeMeVCm2PerG { get; init; }

    /// <summary>CSDA range in g/cm².</summary>
    public required double[] CsdaRangeGPerCm2 { get; init; }

    /// <summary>Mean excitation energy in eV.</summary>
    public required double MeanExcitationEnergyEv { get; init; }

    /// <summary>Where the photon data come from.</summary>
    public required string PhotonSource { get; init; }

    /// <summary>Where the electron data come from.</summary>
    public required string ElectronSource { get; init; }

    /// <summary>Total μ/ρ with coherent scattering at <paramref name="energyMeV"/> (log-log interpolation), cm²/g.</summary>
    public double TotalAttenuationCm2PerG(double energyMeV) =>
        Interpolate(PhotonEnergyMeV, CoherentCm2PerG, energyMeV) + Interpolate(PhotonEnergyMeV, IncoherentCm2PerG, energyMeV)
        + Interpolate(PhotonEnergyMeV, PhotoelectricCm2PerG, energyMeV) + Interpolate(PhotonEnergyMeV, PairCm2PerG, energyMeV);

    /// <summary>Electrons per gram divided by Avogadro's number (Σ wᵢ Zᵢ/Aᵢ), mol/g.</summary>
    public double ZOverA
    {
        get
        {
            double s = 0;
            foreach ((string symbol, double w) in MassFractions)
            {
                Element e = Element.FromSymbol(symbol);
                s += w * e.Z / e.AtomicWeight;
            }

            return s;
        }
    }

    /// <summary>
    /// Log-log interpolation of a tabulated positive quantity (linear where a value is zero); clamps outside the table.
    /// </summary>
    public static double Interpolate(double[] x, double[] y, double at)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (at <= x[0])
        {
            return y[0];
        }

        if (at >= x[^1])
        {
            return y[^1];
        }

        int hi = Array.BinarySearch(x, at);
        if (hi >= 0)
        {
            return y[hi];
        }

        hi = ~hi;
        int lo = hi - 1;
        if (y[lo] > 0 && y[hi] > 0)
        {
            double t = Math.Log(at / x[lo]) / Math.Log(x[hi] / x[lo]);
            return Math.Exp(Math.Log(y[lo]) + t * Math.Log(y[hi] / y[lo]));
        }

        double tl = (at - x[lo]) / (x[hi] - x[lo]);
        return y[lo] + tl * (y[hi] - y[lo]);
    }
}
