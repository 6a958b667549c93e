namespace MeTAI.Rehearsal.Instruments;

/// <summary>Where the needle tip is.</summary>
public enum NeedlePhase
{
    /// <summary>Outside the body (possibly pressing on the skin, see <see cref="Needle.InContact"/>).</summary>
    Outside,

    /// <summary>Inside tissue, after the skin puncture (possibly pressing on an inner membrane).</summary>
    Inside,

    /// <summary>The tip left the body through the far side.</summary>
    Exited,
}
