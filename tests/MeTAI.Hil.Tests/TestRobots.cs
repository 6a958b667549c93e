using MeTAI.Robotics.Kinematics;
using MeTAI.TestUtilities;

namespace MeTAI.Hil.Tests;

internal static class TestRobots
{
    public static RobotModel Arm6() => RobotConfigJson.Load(RepositoryPaths.Config("robots", "metai-arm6.json"));
}
