using System.CommandLine;

namespace MeTAI.Cli.Commands.DicomFiles;

/// <summary><c>metai dicom …</c>: inspect and de-identify DICOM files (the verbs live in their own files).</summary>
internal static class DicomCommand
{
    public static Command Create()
    {
        var command = new Command("dicom", "Inspect and de-identify DICOM files (CT, RTSTRUCT, RTPLAN, RTDOSE).");
        command.Subcommands.Add(DicomInfoCommand.Create());
        command.Subcommands.Add(DicomAnonymizeCommand.Create());
        return command;
    }
}
