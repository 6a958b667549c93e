namespace MeTAI.Service.Jobs;

/// <summary>A plan's review: <c>reviewed</c> (by whom, when) and then <c>approved</c>. A plan without one is a draft.</summary>
/// <param name="State">reviewed or approved.</param>
/// <param name="ReviewedBy">The reviewer's user name.</param>
/// <param name="ReviewedUtc">When reviewed.</param>
/// <param name="ApprovedBy">The approver's user name, once approved.</param>
/// <param name="ApprovedUtc">When approved.</param>
public sealed record PlanReview(string State, string ReviewedBy, DateTime ReviewedUtc, string? ApprovedBy, DateTime? ApprovedUtc);
