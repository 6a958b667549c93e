using System.CommandLine;

namespace MeTAI.Cli.Commands.DicomFiles;

/// <summary>
/// <c>metai dicom …</c>: inspect and de-identify DICOM files, and move them over the network — listen (C-ECHO/C-STORE
/// SCP), send (C-STORE SCU), find (C-FIND SCU), retrieve (C-GET/C-MOVE SCU). The verbs live in their own files.
/// </summary>
internal static class DicomCommand
{
    public static Command Create()
    {
        var command = new Command("dicom", "Inspect and de-identify DICOM files (CT, RTSTRUCT, RTPLAN, RTDOSE); receive, send, find and retrieve them over the DICOM network (listen, send, find, retrieve).");
        command.Subcommands.Add(DicomInfoCommand.Create());
        command.Subcommands.Add(DicomAnonymizeCommand.Create());
        command.Subcommands.Add(DicomListenCommand.Create());
        command.Subcommands.Add(DicomSendCommand.Create());
        command.Subcommands.Add(DicomFindCommand.Create());
        command.Subcommands.Add(DicomRetrieveCommand.Create());
        return command;
    }
}
