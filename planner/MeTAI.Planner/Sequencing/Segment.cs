namespace MeTAI.Planner.Sequencing;

/// <summary>
/// One static MLC aperture of a step-and-shoot beam: per leaf pair the bank-A (−X) and bank-B (+X) positions in mm at
/// the isocentre (equal when the pair is closed), and the MU it receives per fraction.
/// </summary>
/// <param name="BankAMm">Bank-A leaf positions (one per pair).</param>
/// <param name="BankBMm">Bank-B leaf positions (one per pair).</param>
/// <param name="MonitorUnits">MU per fraction.</param>
public sealed record Segment(double[] BankAMm, double[] BankBMm, double MonitorUnits)
{
    /// <summary>Open area at the isocentre within Y leaf boundaries <paramref name="boundaries"/>, mm².</summary>
    public double OpenAreaMm2(double[] boundaries)
    {
        ArgumentNullException.ThrowIfNull(boundaries);
        double a = 0;
        for (int k = 0; k < BankAMm.Length; k++)
        {
            a += Math.Max(0, BankBMm[k] - BankAMm[k]) * (boundaries[k + 1] - boundaries[k]);
        }

        return a;
    }

    /// <summary>True when both segments have the same leaf positions.</summary>
    public bool SameShape(Segment other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return BankAMm.AsSpan().SequenceEqual(other.BankAMm) && BankBMm.AsSpan().SequenceEqual(other.BankBMm);
    }
}
