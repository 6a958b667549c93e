using System.CommandLine;
using MeTAI.Cli.Commands;
using MeTAI.Cli.Commands.Commissioning;
using MeTAI.Cli.Commands.Controller;
using MeTAI.Cli.Commands.Demo;
using MeTAI.Cli.Commands.DicomFiles;
using MeTAI.Cli.Commands.Hil;
using MeTAI.Cli.Commands.Planning;
using MeTAI.Cli.Commands.Rehearse;

namespace MeTAI.Cli;

/// <summary>Builds the <c>metai</c> command tree. Each verb lives in <c>Commands/</c>, one file per verb.</summary>
public static class CliApp
{
    /// <summary>Builds the root command with every verb.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("MeTAI.Intervention — radiotherapy planning, surgical rehearsal, robot control and HIL testing.");
        foreach (Command verb in Verbs())
        {
            root.Subcommands.Add(verb);
        }

        return root;
    }

    /// <summary>Parses and runs; returns the process exit code (0 success, 1 failure, 2 usage error).</summary>
    public static int Run(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var config = new InvocationConfiguration
        {
            Output = stdout ?? Console.Out,
            Error = stderr ?? Console.Error,
        };
        return BuildRoot().Parse(args).Invoke(config);
    }

    private static IEnumerable<Command> Verbs()
    {
        yield return AuditCommand.Create();
        yield return ControlCommand.Create();
        yield return BridgeCommand.Create();
        yield return DemoCommand.Create();
        yield return DicomCommand.Create();
        yield return PhantomCommand.Create();
        yield return DoseCommand.Create();
        yield return PlanCommand.Create();
        yield return DvhCommand.Create();
        yield return GammaCommand.Create();
        yield return CommissionCommand.Create();
        yield return RehearseCommand.Create();
        yield return ServeCommand.Create();
        yield return UsersCommand.Create();
        yield return HilCommand.Create();
    }
}
