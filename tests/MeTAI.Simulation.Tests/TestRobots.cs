using MeTAI.Core.IO;
using MeTAI.Robotics.Kinematics;

namespace MeTAI.Simulation.Tests;

internal static class TestRobots
{
    public static RobotModel Arm6() => RobotConfigJson.Load(ConfigFiles.PathOf("robots", "metai-arm6.json"));
}
