namespace MeTAI.Service.Rehearsals;

/// <summary>What the scene says about a replay.</summary>
/// <param name="Frames">Frames recorded.</param>
/// <param name="Nodes">Nodes per frame.</param>
/// <param name="TipsLps">Needle tip per frame, LPS mm.</param>
public sealed record ReplayInfo(int Frames, int Nodes, IReadOnlyList<double[]> TipsLps);
