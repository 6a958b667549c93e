namespace MeTAI.Rehearsal.Search;

/// <summary>A simulated candidate with its rank (1 = best) and score.</summary>
/// <param name="Rank">1-based rank.</param>
/// <param name="Score">See <see cref="CandidateScore"/>.</param>
/// <param name="Feasible">Clearance kept, skin punctured, no bone.</param>
/// <param name="IsDefaultEntry">True for the case's default entry (the reference path).</param>
/// <param name="RestClearanceMm">Clearance of the straight path at rest (undeformed), mm.</param>
/// <param name="Result">The simulation.</param>
public sealed record RankedCandidate(int Rank, double Score, bool Feasible, bool IsDefaultEntry, double RestClearanceMm, InsertionResult Result);
