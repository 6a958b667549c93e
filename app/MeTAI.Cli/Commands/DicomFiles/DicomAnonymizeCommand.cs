using System.CommandLine;
using MeTAI.Dicom.Deid;

namespace MeTAI.Cli.Commands.DicomFiles;

/// <summary>
/// <c>metai dicom anonymize &lt;in&gt; &lt;out&gt; [--retain-dates] [--retain-uids] [--key SECRET]</c>: de-identify a
/// file or a directory with the PS3.15 Basic Application Level Confidentiality Profile.
/// </summary>
internal static class DicomAnonymizeCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("in") { Description = "A DICOM file or a directory (searched recursively)" };
        var output = new Argument<string>("out") { Description = "The output file, or directory for a directory input (same relative paths)" };
        var retainDates = new Option<bool>("--retain-dates") { Description = "Keep dates and times (Retain Longitudinal Temporal Information with Full Dates Option)" };
        var retainUids = new Option<bool>("--retain-uids") { Description = "Keep UIDs unchanged (Retain UIDs Option)" };
        var key = new Option<string?>("--key")
        {
            Description = "Secret for the UID mapping: the same key maps each UID to the same new UID in every run, so separately "
                + "anonymised files of one study still reference each other. Default: a random key per run (UIDs then differ between runs).",
        };
        var command = new Command("anonymize", "De-identify DICOM files (PS3.15 Annex E Basic Profile; references between CT, RTSTRUCT, RTPLAN, RTDOSE keep resolving).")
        {
            input, output, retainDates, retainUids, key,
        };
        command.SetAction(parse =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            return CommandErrors.Guard(parse.InvocationConfiguration.Error, () =>
            {
                string from = parse.GetValue(input)!, to = parse.GetValue(output)!;
                string? secret = parse.GetValue(key);
                if (secret is { Length: 0 })
                {
                    throw new ArgumentException("--key must not be empty.");
                }

                var options = new DeidentificationOptions
                {
                    RetainDates = parse.GetValue(retainDates),
                    RetainUids = parse.GetValue(retainUids),
                };
                if (secret is not null)
                {
                    options = new DeidentificationOptions { RetainDates = options.RetainDates, RetainUids = options.RetainUids, Key = secret };
                }

                var deid = new Deidentifier(options);
                int count;
                if (Directory.Exists(from))
                {
                    count = deid.DeidentifyDirectory(from, to).Count;
                }
                else if (File.Exists(from))
                {
                    deid.DeidentifyFile(from, to);
                    count = 1;
                }
                else
                {
                    throw new FileNotFoundException($"{from}: no such file or directory.", from);
                }

                stdout.WriteLine($"anonymized {count} file{(count == 1 ? string.Empty : "s")} into {to} (dates {(options.RetainDates ? "kept" : "removed")}, UIDs {(options.RetainUids ? "kept" : secret is null ? "remapped with a random key" : "remapped with the given key")})");
                return 0;
            });
        });
        return command;
    }
}
