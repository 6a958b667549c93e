using MeTAI.Planner.Influence;

namespace MeTAI.Planner.Optimization;

/// <summary>Where the fluence optimisation starts (matRad's start): every beamlet weight the same.</summary>
public static class InitialFluence
{
    /// <summary>Uniform weights scaled so that the mean dose over <paramref name="targetRows"/> is <paramref name="prescriptionGy"/>.</summary>
    public static double[] Uniform(IDoseOperator op, int[] targetRows, double prescriptionGy)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(targetRows);
        var ones = new float[op.Columns];
        Array.Fill(ones, 1f);
        var dose = new float[op.Rows];
        op.Forward(ones, dose);
        double mean = 0;
        foreach (int r in targetRows)
        {
            mean += dose[r];
        }

        mean /= Math.Max(1, targetRows.Length);
        var x = new double[op.Columns];
        Array.Fill(x, mean > 0 ? prescriptionGy / mean : 1);
        return x;
    }
}
