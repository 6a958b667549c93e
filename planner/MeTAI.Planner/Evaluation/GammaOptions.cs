namespace MeTAI.Planner.Evaluation;

/// <summary>Gamma-index criteria and search settings (defaults: 3 %/3 mm global, 10 % threshold, as plastimatch).</summary>
public sealed record GammaOptions
{
    /// <summary>Dose-difference criterion as a fraction (0.03 = 3 %) of the reference dose (global) or of the local reference voxel dose (local).</summary>
    public double DoseTolerance { get; init; } = 0.03;

    /// <summary>Distance-to-agreement criterion, mm.</summary>
    public double DtaMm { get; init; } = 3;

    /// <summary>Local gamma: dose differences relative to each reference voxel's dose.</summary>
    public bool Local { get; init; }

    /// <summary>Voxels where both the reference and the evaluated dose are below this fraction of the reference dose are not analysed.</summary>
    public double ThresholdFraction { get; init; } = 0.1;

    /// <summary>Apply the threshold to the reference dose only.</summary>
    public bool ReferenceOnlyThreshold { get; init; }

    /// <summary>Reference dose for the global criterion and the threshold, Gy (null: the reference grid's maximum).</summary>
    public double? ReferenceDoseGy { get; init; }

    /// <summary>Gamma values are capped here and the search radius is <see cref="GammaMax"/> × DTA.</summary>
    public double GammaMax { get; init; } = 2;

    /// <summary>
    /// Search points per voxel spacing: 1 searches the evaluated dose at the reference voxel centres (plastimatch's
    /// default); k &gt; 1 interpolates it trilinearly on a lattice k times finer (Low &amp; Dempsey recommend a search
    /// step of at most DTA/3).
    /// </summary>
    public int Subdivisions { get; init; } = 1;

    /// <summary>Throws when a setting is out of range.</summary>
    public void Validate()
    {
        if (!(DoseTolerance > 0) || !(DtaMm > 0) || !(ThresholdFraction >= 0) || !(GammaMax >= 1) || Subdivisions < 1 || Subdivisions > 10 || ReferenceDoseGy is <= 0)
        {
            throw new ArgumentException("Gamma needs a positive dose tolerance and DTA, a threshold ≥ 0, gamma max ≥ 1, 1–10 subdivisions and a positive reference dose.");
        }
    }
}
