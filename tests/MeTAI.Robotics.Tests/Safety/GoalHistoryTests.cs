using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Safety;

namespace MeTAI.Robotics.Tests.Safety;

public class GoalHistoryTests
{
    private readonly RobotModel _robot = TestRobots.Arm6();

    private int[] Counts(double shoulderYawRad)
    {
        double[] q = _robot.HomeRad.ToArray();
        q[0] = shoulderYawRad;
        int[] counts = new int[_robot.JointCount];
        _robot.ToCounts(q, counts);
        return counts;
    }

    [Fact]
    public void Record_WithoutAGoalInForce_ForgetsEveryGoal()
    {
        var goals = new GoalHistory(_robot, trackingLagMs: 50);
        goals.SetCurrent(Counts(0));
        goals.Record(1);
        goals.Record(2);
        Assert.Equal(2, goals.Count);
        goals.ClearCurrent();
        goals.Record(3);
        Assert.False(goals.HasCurrent);
        Assert.Equal(0, goals.Count);
    }

    [Fact]
    public void SmallestErrorRad_ComparesOnlyTheGoalsUpToTheLastSentBeforeTheReading()
    {
        var goals = new GoalHistory(_robot, trackingLagMs: 50);
        for (long cycle = 1; cycle <= 10; cycle++)
        {
            goals.SetCurrent(Counts(0.1 * cycle));
            goals.Record(cycle);
        }

        // A reading at 0.3 rad matches the goal of cycle 3 when the window reaches it, not when it ends before.
        Assert.True(goals.SmallestErrorRad(0, 0.3, fromCycle: 2, toCycle: 3) < 1e-3);
        Assert.True(goals.SmallestErrorRad(0, 0.3, fromCycle: 1, toCycle: 2) > 0.09);
        // The newest goals (after the reading's request) are never compared.
        Assert.True(goals.SmallestErrorRad(0, 1.0, fromCycle: 4, toCycle: 5) > 0.4);
    }

    [Fact]
    public void SmallestErrorRad_AfterTheRingWrapped_KeepsTheLatestCapacityGoals()
    {
        var goals = new GoalHistory(_robot, trackingLagMs: 10_000);
        for (long cycle = 1; cycle <= GoalHistory.Capacity + 100; cycle++)
        {
            goals.SetCurrent(Counts(cycle <= 100 ? 1.0 : 0));
            goals.Record(cycle);
        }

        Assert.Equal(GoalHistory.Capacity, goals.Count);
        // Cycles 1…100 (1 rad) were overwritten: only 0 rad goals remain.
        Assert.True(goals.SmallestErrorRad(0, 1.0, fromCycle: 0, toCycle: GoalHistory.Capacity + 100) > 0.99);
    }

    [Fact]
    public void OverwriteCurrent_KeepsWhetherAGoalIsInForce()
    {
        var goals = new GoalHistory(_robot, trackingLagMs: 50);
        goals.OverwriteCurrent(Counts(0.5));
        Assert.False(goals.HasCurrent);
        goals.SetCurrent(Counts(0));
        goals.OverwriteCurrent(Counts(0.5));
        Assert.True(goals.HasCurrent);
        Assert.Equal(Counts(0.5), goals.Current.ToArray());
    }
}
