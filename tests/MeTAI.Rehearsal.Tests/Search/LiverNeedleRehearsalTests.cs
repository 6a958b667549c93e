using System.Text.Json;
using MeTAI.Core.Geometry;
using MeTAI.Core.Trajectories;
using MeTAI.Rehearsal.Avatar;
using MeTAI.Rehearsal.Instruments;
using MeTAI.Rehearsal.Output;
using MeTAI.Rehearsal.Search;
using MeTAI.Rehearsal.Solver;
using MeTAI.Rehearsal.Tests.Avatar;

namespace MeTAI.Rehearsal.Tests.Search;

/// <summary>One search on liver-needle (20 mm cells, 6 candidates at 40 mm/s), shared by the tests below.</summary>
public sealed class LiverNeedleSearchFixture
{
    public LiverNeedleSearchFixture()
    {
        Avatar = AvatarBuilderTests.Avatar20.Value;
        Plan = TrajectorySearch.Run(Avatar, "Tumor", ["Vessel"], Settings, new XpbdSettings(), new NeedleSettings(), Insertion);
    }

    public static SearchSettings Settings { get; } = new() { Candidates = 6, Seed = 7, Threads = 2 };

    public static InsertionSettings Insertion { get; } = new() { SpeedMmPerS = 40 };

    public PatientAvatar Avatar { get; }

    public RehearsalPlan Plan { get; }
}

public class LiverNeedleRehearsalTests(LiverNeedleSearchFixture fixture) : IClassFixture<LiverNeedleSearchFixture>
{
    private readonly RehearsalPlan _plan = fixture.Plan;

    [Fact]
    public void StraightPathFromDefaultEntry_CrossesTheVessel()
    {
        PatientAvatar avatar = fixture.Avatar;
        Vec3 entry = avatar.LandmarksLps["DefaultEntry"], target = avatar.LandmarksLps["TargetCenter"];
        Assert.True(RestGeometry.Crosses(avatar.Structure("Vessel"), entry, target));
        Assert.True(RestGeometry.LengthInside(avatar.Structure("Vessel"), entry, target) > 4);
        Assert.True(_plan.DefaultPathCrosses["Vessel"]);
    }

    [Fact]
    public void Chosen_KeepsFiveMmFromTheVesselThroughoutInsertion()
    {
        RankedCandidate chosen = _plan.Chosen;
        Assert.True(_plan.Feasible);
        Assert.False(chosen.IsDefaultEntry);
        Assert.True(chosen.Result.ClearanceByRoiMm["Vessel"] >= 5, $"deformed clearance {chosen.Result.ClearanceByRoiMm["Vessel"]:0.00} mm");
        Assert.True(chosen.Result.MinClearanceMm >= 5);
        Assert.True(chosen.Result.PuncturedSkin);
        Assert.False(chosen.Result.BlockedByBone);
        Assert.True(chosen.Result.TargetErrorMm < 10, $"target error {chosen.Result.TargetErrorMm:0.00} mm");
        Assert.InRange(chosen.Result.PeakForceN, 2.7, 20);
    }

    [Fact]
    public void DefaultEntry_IsSimulatedAndRanksBelowEveryFeasibleCandidate()
    {
        RankedCandidate reference = Assert.Single(_plan.Candidates, c => c.IsDefaultEntry);
        Assert.False(reference.Feasible);
        Assert.True(reference.Result.ClearanceByRoiMm["Vessel"] < 2, $"default path clearance {reference.Result.MinClearanceMm:0.00} mm");
        foreach (RankedCandidate c in _plan.Candidates)
        {
            Assert.True(!c.Feasible || c.Rank < reference.Rank);
        }

        Assert.Equal(Enumerable.Range(1, _plan.Candidates.Count), _plan.Candidates.Select(c => c.Rank));
        Assert.True(_plan.Candidates.Zip(_plan.Candidates.Skip(1)).All(p => p.First.Score >= p.Second.Score));
    }

    [Fact]
    public void Corridor_HoldsThePlannedPath()
    {
        Corridor corridor = _plan.Corridor;
        Assert.True(corridor.IsPatientLps);
        Assert.Equal(_plan.Chosen.Result.EntryLps, corridor.EntryLps);
        Assert.Equal(_plan.TargetLps, corridor.TargetLps);
        Assert.InRange(corridor.RadiusMm, 0.5, LiverNeedleSearchFixture.Settings.CorridorRadiusMm);
        foreach (TrajectorySample s in _plan.Trajectory.Samples)
        {
            Assert.True(corridor.Contains(s.TipLps));
        }

        // The tube stays clear of the vessel at rest: its radius is within the chosen path's clearance.
        Assert.True(corridor.RadiusMm <= _plan.Chosen.RestClearanceMm);
        Assert.Equal(_plan.TargetLps, _plan.Trajectory.Samples[^1].TipLps);
        Assert.Equal(LiverNeedleSearchFixture.Insertion.SpeedMmPerS, _plan.Trajectory.PathLength / _plan.Trajectory.DurationSeconds, 6);
    }

    [Fact]
    public void Output_FilesWithContractFields_CorridorRoundTripsThroughCoreTypes()
    {
        string dir = Directory.CreateTempSubdirectory("metai-rehearse-").FullName;
        try
        {
            RehearsalOutput.Write(_plan, fixture.Avatar, dir);
            Corridor corridor = CorridorJson.Load(Path.Combine(dir, "corridor.json"));
            Assert.Equal(_plan.Corridor.PointsLps.ToArray(), corridor.PointsLps.ToArray());
            Assert.Equal(_plan.Corridor.RadiusMm, corridor.RadiusMm);
            Assert.Equal(_plan.Corridor.EntryLps, corridor.EntryLps);
            Assert.Equal(_plan.Corridor.TargetLps, corridor.TargetLps);
            Assert.Equal(_plan.Trajectory.Samples.ToArray(), TrajectoryJson.Load(Path.Combine(dir, "trajectory.json")).Samples.ToArray());

            using JsonDocument trajectories = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "trajectories.json")));
            JsonElement first = trajectories.RootElement.GetProperty("candidates")[0];
            foreach (string field in new[] { "entryLps", "minClearanceMm", "peakForceN", "targetErrorMm", "pathLengthMm", "score" })
            {
                Assert.True(first.TryGetProperty(field, out _), $"trajectories.json candidates lack '{field}'");
            }

            Assert.Equal(_plan.Candidates.Count, trajectories.RootElement.GetProperty("candidates").GetArrayLength());
            using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
            Assert.Equal(fixture.Avatar.Mesh.TetCount, summary.RootElement.GetProperty("tets").GetInt32());
            Assert.True(summary.RootElement.GetProperty("stepsPerSecond").GetDouble() > 0);

            byte[] png = File.ReadAllBytes(Path.Combine(dir, "rehearsal.png"));
            Assert.True(png.Length > 10_000);
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
            Assert.Equal(RehearsalOutput.Files.Order(), Directory.GetFiles(dir).Select(Path.GetFileName).Order());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Search_SameSeed_SameResultWhateverTheThreadCount()
    {
        var settings = LiverNeedleSearchFixture.Settings with { Candidates = 2, Threads = 1 };
        RehearsalPlan one = TrajectorySearch.Run(fixture.Avatar, "Tumor", ["Vessel"], settings, new XpbdSettings(), new NeedleSettings(), LiverNeedleSearchFixture.Insertion);
        RehearsalPlan two = TrajectorySearch.Run(fixture.Avatar, "Tumor", ["Vessel"], settings with { Threads = 2 }, new XpbdSettings(), new NeedleSettings(), LiverNeedleSearchFixture.Insertion);
        Assert.Equal(one.Candidates.Select(c => (c.Result.EntryLps, c.Result.MinClearanceMm, c.Result.PeakForceN, c.Result.TargetErrorMm, c.Score)),
            two.Candidates.Select(c => (c.Result.EntryLps, c.Result.MinClearanceMm, c.Result.PeakForceN, c.Result.TargetErrorMm, c.Score)));
    }

    [Fact]
    public void Search_TargetAlsoAvoided_Throws()
    {
        Assert.Throws<ArgumentException>(() => TrajectorySearch.Run(fixture.Avatar, "Tumor", ["tumor"], LiverNeedleSearchFixture.Settings,
            new XpbdSettings(), new NeedleSettings(), LiverNeedleSearchFixture.Insertion));
    }
}
