using System.Globalization;
using MeTAI.Planner.Evaluation;
using MeTAI.Planner.Plans;

namespace MeTAI.Service.Plans;

/// <summary>One structure's cumulative DVH as the API returns it.</summary>
/// <param name="Name">ROI name.</param>
/// <param name="InterpretedType">RT ROI Interpreted Type (PTV, ORGAN, EXTERNAL, CONTROL for a protocol's ring, …).</param>
/// <param name="Color">Display colour, <c>#rrggbb</c>.</param>
/// <param name="VolumeCc">Volume, cm³.</param>
/// <param name="MeanGy">Mean dose.</param>
/// <param name="MaxGy">Maximum dose.</param>
/// <param name="VolumePercent">Percentage of the volume receiving at least bin b's dose (b · binGy); the last value is 0.</param>
public sealed record DvhCurve(string Name, string InterpretedType, string Color, double VolumeCc, double MeanGy, double MaxGy, double[] VolumePercent);

/// <summary>
/// Cumulative DVHs of every structure of a plan (<c>GET /api/plans/{id}/dvh</c>, stored as the job's
/// <c>dvh.json</c>): the planner's own DVHs of its final dose (<see cref="PlanResult.Dvhs"/>), the ones its goals and
/// report.json metrics were computed from.
/// </summary>
/// <param name="DoseUnit">Always Gy.</param>
/// <param name="BinGy">Bin width.</param>
/// <param name="MaxDoseGy">Largest dose in any structure.</param>
/// <param name="Structures">One curve per structure, in the case's order.</param>
public sealed record DvhSet(string DoseUnit, double BinGy, double MaxDoseGy, IReadOnlyList<DvhCurve> Structures)
{
    /// <summary>The DVHs of <paramref name="result"/>'s final dose.</summary>
    public static DvhSet FromResult(PlanResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var curves = new List<DvhCurve>(result.Dvhs.Count);
        double bin = result.Dvhs.Count > 0 ? result.Dvhs[0].BinGy : 0.01;
        foreach (Dvh dvh in result.Dvhs)
        {
            if (dvh.BinGy != bin)
            {
                throw new InvalidOperationException($"The DVH of {dvh.Name} has bins of {dvh.BinGy} Gy, the others {bin} Gy; the API sends one bin width.");
            }

            PlanStructure s = result.Case.Structure(dvh.Name);
            StructureMetrics m = result.Metrics[s.Name];
            double[] v = [.. dvh.Cumulative.Select(p => Math.Round(p, 4))];
            string color = string.Create(CultureInfo.InvariantCulture, $"#{s.Color.R:x2}{s.Color.G:x2}{s.Color.B:x2}");
            curves.Add(new DvhCurve(s.Name, s.InterpretedType, color, Math.Round(dvh.VolumeCc, 3), Math.Round(m.MeanGy, 4), Math.Round(m.MaxGy, 4), v));
        }

        return new DvhSet("Gy", bin, curves.Count > 0 ? curves.Max(c => c.MaxGy) : 0, curves);
    }
}
