using MeTAI.Dosimetry.Materials;

namespace MeTAI.Dosimetry.MonteCarlo;

/// <summary>
/// Per-material interaction tables on one uniform grid in ln E (what the kernels read), built on the host from the
/// NIST data: photon μ/ρ and cumulative process fractions, restricted electron stopping power, hard Møller and hard
/// bremsstrahlung cross sections, the first transport cross section for multiple scattering, CSDA range and step
/// limits. Layout: value of material m at node i is at <c>m · GridSize + i</c>. Units: MeV, g/cm², cm²/g.
/// </summary>
public sealed class PhysicsTables
{
    /// <summary>Number of nodes of the energy grid.</summary>
    public const int GridSize = 1024;

    /// <summary>Number of nodes of the multiple-scattering table A(G1).</summary>
    public const int MsGridSize = 512;

    /// <summary>Lowest G1 of the multiple-scattering table.</summary>
    public const double MsMinG1 = 1e-5;

    /// <summary>Highest G1 of the multiple-scattering table (beyond it the deflection is isotropic).</summary>
    public const double MsMaxG1 = 30.0;

    private const double ElectronMassMeV = 0.51099895;
    private const double BetheConstant = 0.153537; // 2π r_e² m c² N_A, MeV cm²/mol
    private const double Alpha = 7.2973525693e-3;

    /// <summary>Builds the tables for <paramref name="materials"/> under <paramref name="options"/>.</summary>
    public PhysicsTables(IReadOnlyList<MaterialData> materials, PhysicsOptions options)
    {
        ArgumentNullException.ThrowIfNull(materials);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (materials.Count == 0 || materials.Count > 255)
        {
            throw new ArgumentException("Between 1 and 255 materials are supported.", nameof(materials));
        }

        Materials = materials;
        Options = options;
        MinEnergyMeV = 0.01;
        MaxEnergyMeV = options.MaxEnergyMeV * 1.001;
        LogMin = Math.Log(MinEnergyMeV);
        InvLogStep = (GridSize - 1) / (Math.Log(MaxEnergyMeV) - LogMin);
        int n = materials.Count * GridSize;
        PhotonMu = new float[n];
        PhotonFracCoherent = new float[n];
        PhotonFracIncoherent = new float[n];
        PhotonFracPhoto = new float[n];
        StoppingPower = new float[n];
        MollerSigma = new float[n];
        BremsSigma = new float[n];
        HardSigmaMax = new float[n];
        TransportSigma = new float[n];
        CsdaRange = new float[n];
        MaxStep = new float[n];
        for (int m = 0; m < materials.Count; m++)
        {
            Build(m, materials[m]);
        }

        MsA = new float[MsGridSize];
        MsLogMin = Math.Log(MsMinG1);
        MsInvLogStep = (MsGridSize - 1) / (Math.Log(MsMaxG1) - MsLogMin);
        for (int i = 0; i < MsGridSize; i++)
        {
            double g1 = Math.Exp(MsLogMin + i / MsInvLogStep);
            MsA[i] = (float)WentzelScreeningForG1(g1);
        }
    }

    /// <summary>The materials, in index order.</summary>
    public IReadOnlyList<MaterialData> Materials { get; }

    /// <summary>The options the tables were built with.</summary>
    public PhysicsOptions Options { get; }

    /// <summary>Lowest tabulated energy (MeV).</summary>
    public double MinEnergyMeV { get; }

    /// <summary>Highest tabulated energy (MeV).</summary>
    public double MaxEnergyMeV { get; }

    /// <summary>ln of <see cref="MinEnergyMeV"/>.</summary>
    public double LogMin { get; }

    /// <summary>Nodes per unit of ln E.</summary>
    public double InvLogStep { get; }

    /// <summary>Total photon μ/ρ including coherent, cm²/g.</summary>
    public float[] PhotonMu { get; }

    /// <summary>Coherent / total.</summary>
    public float[] PhotonFracCoherent { get; }

    /// <summary>(Coherent + incoherent) / total.</summary>
    public float[] PhotonFracIncoherent { get; }

    /// <summary>(Coherent + incoherent + photoelectric) / total; pair production takes the rest.</summary>
    public float[] PhotonFracPhoto { get; }

    /// <summary>Restricted mass stopping power (soft collisions below the Møller threshold + soft bremsstrahlung), MeV cm²/g.</summary>
    public float[] StoppingPower { get; }

    /// <summary>Hard Møller cross section, cm²/g.</summary>
    public float[] MollerSigma { get; }

    /// <summary>Hard bremsstrahlung cross section, cm²/g.</summary>
    public float[] BremsSigma { get; }

    /// <summary>Largest hard cross section over one maximal step below E (the majorant for hard events), cm²/g.</summary>
    public float[] HardSigmaMax { get; }

    /// <summary>First transport cross section (1/λ₁) of screened-Rutherford elastic scattering, cm²/g.</summary>
    public float[] TransportSigma { get; }

    /// <summary>ESTAR CSDA range, g/cm².</summary>
    public float[] CsdaRange { get; }

    /// <summary>Step limit from the maximum fractional energy loss, g/cm².</summary>
    public float[] MaxStep { get; }

    /// <summary>Wentzel screening parameter A as a function of ln G1 (uniform grid).</summary>
    public float[] MsA { get; }

    /// <summary>ln of <see cref="MsMinG1"/>.</summary>
    public double MsLogMin { get; }

    /// <summary>MS table nodes per unit of ln G1.</summary>
    public double MsInvLogStep { get; }

    /// <summary>Energy of grid node <paramref name="i"/> in MeV.</summary>
    public double EnergyAt(int i) => Math.Exp(LogMin + i / InvLogStep);

    /// <summary>Linear interpolation of a table of material <paramref name="m"/> at <paramref name="energyMeV"/> (host side, for tests).</summary>
    public double Lookup(float[] table, int m, double energyMeV)
    {
        ArgumentNullException.ThrowIfNull(table);
        double x = (Math.Log(energyMeV) - LogMin) * InvLogStep;
        int i = Math.Clamp((int)x, 0, GridSize - 2);
        double f = Math.Clamp(x - i, 0, 1);
        return table[m * GridSize + i] + f * (table[m * GridSize + i + 1] - table[m * GridSize + i]);
    }

    /// <summary>
    /// Photon majorant (1/cm) over a phantom whose material m has at most density <paramref name="maxDensityPerMaterial"/>[m].
    /// </summary>
    public float[] BuildMajorant(ReadOnlySpan<double> maxDensityPerMaterial)
    {
        var maj = new float[GridSize];
        for (int i = 0; i < GridSize; i++)
        {
            double mx = 0;
            for (int m = 0; m < Materials.Count; m++)
            {
                mx = Math.Max(mx, maxDensityPerMaterial[m] * PhotonMu[m * GridSize + i]);
            }

            // A hair above the true maximum so that float rounding never makes an acceptance probability exceed 1.
            maj[i] = (float)(mx * 1.0001 + 1e-9);
        }

        return maj;
    }

    private void Build(int m, MaterialData mat)
    {
        double zoa = mat.ZOverA;
        double wcc = Options.MollerThresholdMeV;
        double wcb = Options.BremsstrahlungThresholdMeV;
        double f = Options.MaxStepEnergyLossFraction;
        var hard = new double[GridSize];
        for (int i = 0; i < GridSize; i++)
        {
            double e = EnergyAt(i);
            int k = m * GridSize + i;

            // Photons: XCOM partials, log-log interpolated.
            double coh = MaterialData.Interpolate(mat.PhotonEnergyMeV, mat.CoherentCm2PerG, e);
            double inc = MaterialData.Interpolate(mat.PhotonEnergyMeV, mat.IncoherentCm2PerG, e);
            double pho = MaterialData.Interpolate(mat.PhotonEnergyMeV, mat.PhotoelectricCm2PerG, e);
            double pair = e > 2 * ElectronMassMeV ? MaterialData.Interpolate(mat.PhotonEnergyMeV, mat.PairCm2PerG, e) : 0;
            double tot = coh + inc + pho + pair;
            PhotonMu[k] = (float)tot;
            PhotonFracCoherent[k] = (float)(coh / tot);
            PhotonFracIncoherent[k] = (float)((coh + inc) / tot);
            PhotonFracPhoto[k] = pair > 0 ? (float)((coh + inc + pho) / tot) : 1.0f;

            // Electrons: ESTAR stopping powers split into soft (continuous) and hard (discrete) parts.
            double eTab = Math.Max(e, mat.ElectronEnergyMeV[0]);
            double sCol = MaterialData.Interpolate(mat.ElectronEnergyMeV, mat.CollisionMeVCm2PerG, eTab);
            double sRad = MaterialData.Interpolate(mat.ElectronEnergyMeV, mat.RadiativeMeVCm2PerG, eTab);
            (double sigM, double lossM) = Moller(e, wcc, zoa);
            (double sigB, double softRadFraction) = Brems(e, wcb, sRad);
            double restricted = Math.Max(sCol - lossM, 0.05 * sCol) + sRad * softRadFraction;
            StoppingPower[k] = (float)restricted;
            MollerSigma[k] = (float)sigM;
            BremsSigma[k] = (float)sigB;
            hard[i] = sigM + sigB;
            TransportSigma[k] = (float)FirstTransportSigma(e, mat);
            CsdaRange[k] = e < mat.ElectronEnergyMeV[0]
                ? (float)(mat.CsdaRangeGPerCm2[0] * Math.Pow(e / mat.ElectronEnergyMeV[0], 1.7))
                : (float)MaterialData.Interpolate(mat.ElectronEnergyMeV, mat.CsdaRangeGPerCm2, e);
            MaxStep[k] = (float)(f * e / restricted);
        }

        // Majorant of the hard cross section over [E(1 − f), E]: a step loses at most f·E continuously.
        for (int i = 0; i < GridSize; i++)
        {
            double lowE = EnergyAt(i) * (1 - f);
            int lo = Math.Max(0, (int)Math.Floor((Math.Log(lowE) - LogMin) * InvLogStep));
            double mx = 0;
            for (int j = lo; j <= Math.Min(i + 1, GridSize - 1); j++)
            {
                mx = Math.Max(mx, hard[j]);
            }

            HardSigmaMax[m * GridSize + i] = (float)(mx * 1.001);
        }
    }

    /// <summary>
    /// Møller cross section (cm²/g) for energy transfers in [Wcc, T/2] and the mean energy those collisions remove per
    /// g/cm² (MeV cm²/g); closed forms of the Møller formula integrated over ε = W/T.
    /// </summary>
    public static (double SigmaCm2PerG, double LossMeVCm2PerG) Moller(double t, double wcc, double zOverA)
    {
        if (t <= 2 * wcc)
        {
            return (0, 0);
        }

        double tau = t / ElectronMassMeV;
        double g = tau + 1;
        double beta2 = 1 - 1 / (g * g);
        double c1 = tau * tau / (g * g);
        double c2 = (2 * tau + 1) / (g * g);
        double e0 = wcc / t;
        double k = BetheConstant * zOverA / (beta2 * t);
        double b = (1 / e0 - 2) + (2 - 1 / (1 - e0)) + c1 * (0.5 - e0) - c2 * Math.Log((1 - e0) / e0);
        double h = Math.Log(0.5 / e0) + (2 + Math.Log(0.5)) - (1 / (1 - e0) + Math.Log(1 - e0)) + c1 * (0.125 - e0 * e0 / 2)
            - c2 * Math.Log(2 * (1 - e0));
        return (k * b, k * t * h);
    }

    /// <summary>
    /// Hard bremsstrahlung cross section (cm²/g) above <paramref name="wcb"/> and the fraction of the radiative stopping
    /// power that stays continuous, with the photon spectrum k·dσ/dk ∝ 4/3 − 4/3·y + y² (y = k/T, complete screening).
    /// </summary>
    public static (double SigmaCm2PerG, double SoftFraction) Brems(double t, double wcb, double sRad)
    {
        if (t <= wcb)
        {
            return (0, 1);
        }

        double yc = wcb / t;
        double soft = 4.0 / 3 * yc - 2.0 / 3 * yc * yc + yc * yc * yc / 3;
        double sigma = sRad / t * (4.0 / 3 * Math.Log(1 / yc) - 4.0 / 3 * (1 - yc) + (1 - yc * yc) / 2);
        return (sigma, soft);
    }

    /// <summary>
    /// First transport cross section 1/λ₁ (cm²/g) of screened-Rutherford elastic scattering with Molière's screening
    /// parameter and the McKinley–Feshbach Mott correction: Σᵢ (wᵢ N_A/Aᵢ) 2π r_e² Zᵢ(Zᵢ+1) (m c²/(p β c))²
    /// [ln(1 + 1/ηᵢ) − 1/(1 + ηᵢ) − β² I₁(ηᵢ) + π α Zᵢ β].
    /// </summary>
    public static double FirstTransportSigma(double t, MaterialData material)
    {
        ArgumentNullException.ThrowIfNull(material);
        double pc2 = t * (t + 2 * ElectronMassMeV);
        double g = t / ElectronMassMeV + 1;
        double beta2 = 1 - 1 / (g * g);
        double kin = ElectronMassMeV * ElectronMassMeV / (pc2 * beta2);
        double sum = 0;
        foreach ((string symbol, double w) in material.MassFractions)
        {
            Element el = Element.FromSymbol(symbol);
            double z = el.Z;
            double screen = Alpha * ElectronMassMeV * Math.Cbrt(z) / 0.885;
            double eta = 0.25 * screen * screen / pc2 * (1.13 + 3.76 * (Alpha * z) * (Alpha * z) / beta2);
            // ∫₀¹ μ R(μ)/(μ+η)² dμ with the McKinley–Feshbach approximation to the Mott factor,
            // R(μ) = 1 − β²μ + παZβ √μ (1 − √μ) (μ = sin²(θ/2)); the √μ integral is taken at η → 0 (value 1).
            double i0 = Math.Log(1 + 1 / eta) - 1 / (1 + eta);
            double i1 = 1 + eta - eta * eta / (1 + eta) - 2 * eta * Math.Log(1 + 1 / eta);
            double bracket = i0 - beta2 * i1 + Math.PI * Alpha * z * Math.Sqrt(beta2);
            // 2π r_e² N_A = BetheConstant / (m c²)
            sum += w / el.AtomicWeight * (BetheConstant / ElectronMassMeV) * z * (z + 1) * kin * bracket;
        }

        return sum;
    }

    /// <summary>
    /// Screening parameter A of the Wentzel distribution p(μ) = A(1+A)/(μ+A)², μ = (1 − cos θ)/2, whose mean equals the
    /// Goudsmit–Saunderson first moment ⟨μ⟩ = (1 − e^{−G1})/2 after a path with G1 = s/λ₁.
    /// </summary>
    public static double WentzelScreeningForG1(double g1)
    {
        double target = 0.5 * (1 - Math.Exp(-g1));
        if (target > 0.4999)
        {
            return 1e6;
        }

        double lo = Math.Log(1e-14), hi = Math.Log(1e6);
        for (int it = 0; it < 200; it++)
        {
            double mid = 0.5 * (lo + hi);
            double a = Math.Exp(mid);
            double mean = a * ((1 + a) * Math.Log(1 + 1 / a) - 1);
            if (mean < target)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return Math.Exp(0.5 * (lo + hi));
    }
}
