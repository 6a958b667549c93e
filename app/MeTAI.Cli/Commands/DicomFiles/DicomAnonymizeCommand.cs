using System.CommandLine;
using MeTAI.Dicom.Deid;

namespace MeTAI.Cli.Commands.DicomFiles;

/// <summary>
/// <c>metai dicom anonymize &lt;in&gt; &lt;out&gt; [--retain-dates] [--retain-uids] [--key SECRET]</c>: de-identify a
/// file or a directory with the PS3.15 Basic Application Level Confidentiality Profile. Compressed files keep their
/// transfer syntax and pixel data as they are. For a directory every file is handled on its own: each file that cannot
/// be read or written is listed on stderr ("metai: not anonymized: PATH: reason") and the command exits 1 after
/// finishing the others; files that are not DICOM are listed as skipped.
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
                DeidentificationReport? report = null;
                if (Directory.Exists(from))
                {
                    report = deid.DeidentifyFolder(from, to);
                    count = report.Written.Count;
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
                if (report is null)
                {
                    return 0;
                }

                TextWriter stderr = parse.InvocationConfiguration.Error;
                foreach (DeidentificationFailure skipped in report.Skipped)
                {
                    stdout.WriteLine($"skipped (not DICOM): {skipped.Path}");
                }

                foreach (DeidentificationFailure failed in report.Failed)
                {
                    stderr.WriteLine($"metai: not anonymized: {failed}");
                }

                if (!report.Succeeded)
                {
                    stderr.WriteLine($"metai: {report.Failed.Count} file{(report.Failed.Count == 1 ? string.Empty : "s")} could not be anonymized (nothing written for {(report.Failed.Count == 1 ? "it" : "them")}); the others are in {to}");
                    return 1;
                }

                return 0;
            });
        });
        return command;
    }
}
