using System.CommandLine;

namespace MeTAI.Cli;

/// <summary>Builds the <c>metai</c> command tree. Commands live in <c>Commands/</c>, one file per verb.</summary>
public static class CliApp
{
    /// <summary>Parses and runs; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        var root = new RootCommand("MeTAI.Intervention — radiotherapy planning, surgical rehearsal, robot control and HIL testing.");
        return root.Parse(args).Invoke();
    }
}
