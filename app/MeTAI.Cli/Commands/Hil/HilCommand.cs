using System.CommandLine;

namespace MeTAI.Cli.Commands.Hil;

/// <summary><c>metai hil run|campaign|kill</c>: hardware-in-the-loop scenarios and fault campaigns against the real controller.</summary>
internal static class HilCommand
{
    public static Command Create()
    {
        var command = new Command("hil", "Hardware-in-the-loop: run scenarios and fault campaigns against the real controller over real transports (pty serial, MQTT).");
        command.Subcommands.Add(HilRunCommand.Create());
        command.Subcommands.Add(HilCampaignCommand.Create());
        command.Subcommands.Add(HilKillCommand.Create());
        return command;
    }
}
