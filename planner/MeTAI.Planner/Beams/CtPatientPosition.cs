using MeTAI.Core.Geometry;
using MeTAI.Dicom.Rt;

namespace MeTAI.Planner.Beams;

/// <summary>
/// The patient position of a CT series, for everything that places beams, gravity or view labels on it: its Patient
/// Position (0018,5100) parsed (<see cref="PatientPositions.Parse"/>; a missing or unsupported value is refused with the
/// file named — HFS is never assumed for a DICOM CT) and where it came from, for the log. A built-in phantom's CT
/// (no source files) is HFS: it is built head-first supine.
/// </summary>
public static class CtPatientPosition
{
    /// <summary>The position of <paramref name="ct"/> and a phrase saying where it came from; <paramref name="name"/> names a CT built in memory.</summary>
    /// <exception cref="ArgumentException">A missing or unsupported Patient Position.</exception>
    public static (PatientPosition Position, string Origin) Read(CtSeries ct, string name)
    {
        ArgumentNullException.ThrowIfNull(ct);
        ArgumentNullException.ThrowIfNull(name);
        bool builtIn = ct.SourceFiles.Count == 0;
        string source = builtIn ? $"CT of {name}" : $"CT {ct.SourceFiles[0]}";
        PatientPosition position = PatientPositions.Parse(ct.PatientPosition, source);
        return (position, builtIn
            ? $"the CT of {name}, a built-in phantom made head-first supine"
            : $"Patient Position (0018,5100) of {ct.SourceFiles[0]}");
    }
}
