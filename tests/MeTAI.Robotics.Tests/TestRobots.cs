using MeTAI.Robotics.Kinematics;

namespace MeTAI.Robotics.Tests;

internal static class TestRobots
{
    public static string RepositoryRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "MeTAI.Intervention.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("Repository root not found.");
    }

    public static RobotModel Arm6() => RobotConfigJson.Load(Path.Combine(RepositoryRoot(), "configs", "robots", "metai-arm6.json"));

    public static RobotModel Arm4() => RobotConfigJson.Load(Path.Combine(RepositoryRoot(), "configs", "robots", "metai-arm4.json"));
}
