using MeTAI.Core.Geometry;
using MeTAI.Rehearsal.Instruments;
using MeTAI.Rehearsal.Search;

namespace MeTAI.Rehearsal.Tests.Search;

public class CandidateSelectionTests
{
    private static InsertionResult Result(double clearanceMm, double peakN = 3, double errorMm = 2, double lengthMm = 100, bool punctured = true) => new()
    {
        EntryLps = Vec3.Zero,
        TargetLps = new Vec3(0, 0, lengthMm),
        MinClearanceMm = clearanceMm,
        ClearanceByRoiMm = new Dictionary<string, double> { ["Vessel"] = clearanceMm },
        PeakForceN = peakN,
        TargetErrorMm = errorMm,
        PathLengthMm = lengthMm,
        Punctures = punctured ? [new PunctureEvent(0.5, 3, 0, Vec3.Zero)] : [],
        BlockedByBone = false,
        FinalTipLps = Vec3.Zero,
        FinalTargetLps = Vec3.Zero,
        Steps = 1,
        WallSeconds = 0,
        AxialForceTraceN = [],
        ForceSampleEverySteps = 10,
    };

    [Fact]
    public void Score_FeasibleAlwaysBeatsInfeasible()
    {
        double poorButSafe = CandidateScore.Score(Result(clearanceMm: 5.1, peakN: 10, errorMm: 8, lengthMm: 150), 5);
        double greatButUnsafe = CandidateScore.Score(Result(clearanceMm: 4.9, peakN: 1, errorMm: 0, lengthMm: 50), 5);
        Assert.True(poorButSafe > greatButUnsafe);
        Assert.False(CandidateScore.IsFeasible(Result(clearanceMm: 30, punctured: false), 5));
    }

    [Fact]
    public void Score_ClearanceCountsUpTo20Mm_ErrorForceLengthCost()
    {
        Assert.True(CandidateScore.Score(Result(15), 5) > CandidateScore.Score(Result(10), 5));
        Assert.Equal(CandidateScore.Score(Result(25), 5), CandidateScore.Score(Result(40), 5));
        Assert.True(CandidateScore.Score(Result(20, errorMm: 1), 5) > CandidateScore.Score(Result(20, errorMm: 3), 5));
        Assert.True(CandidateScore.Score(Result(20, peakN: 2), 5) > CandidateScore.Score(Result(20, peakN: 4), 5));
        Assert.True(CandidateScore.Score(Result(20, lengthMm: 80), 5) > CandidateScore.Score(Result(20, lengthMm: 120), 5));
    }

    [Fact]
    public void InRegion_ExcludesCouchSideFarAndCraniocaudal()
    {
        var settings = new SearchSettings();
        var target = new Vec3(-70, 0, 10);
        Vec3 supine = PatientPosition.HeadFirstSupine.GravityLps();
        Assert.True(EntryCandidates.InRegion(new Vec3(-160, 0, 10), target, settings, supine));
        Assert.False(EntryCandidates.InRegion(new Vec3(-70, 110, 10), target, settings, supine)); // from behind: the couch
        Assert.False(EntryCandidates.InRegion(new Vec3(140, -50, 10), target, settings, supine)); // 215 mm: too long
        Assert.False(EntryCandidates.InRegion(new Vec3(-150, -40, 70), target, settings, supine)); // 60 mm craniocaudal
    }

    [Fact]
    public void InRegion_CouchSideFollowsThePosition()
    {
        var settings = new SearchSettings();
        var target = new Vec3(-70, 0, 10);
        var fromBehind = new Vec3(-70, 110, 10);
        var fromTheFront = new Vec3(-70, -110, 10);
        // Prone: the couch is under the patient's front, so the back is open and the front is not.
        Vec3 prone = PatientPosition.HeadFirstProne.GravityLps();
        Assert.True(EntryCandidates.InRegion(fromBehind, target, settings, prone));
        Assert.False(EntryCandidates.InRegion(fromTheFront, target, settings, prone));
        // Lying on the right side: the patient's right flank is on the couch.
        Vec3 decubitusRight = PatientPosition.HeadFirstDecubitusRight.GravityLps();
        Assert.False(EntryCandidates.InRegion(new Vec3(-180, 0, 10), target, settings, decubitusRight));
        Assert.True(EntryCandidates.InRegion(fromTheFront, target, settings, decubitusRight));
    }
}
