using System.CommandLine;
using MeTAI.Dicom.Network;

namespace MeTAI.Cli.Commands.DicomFiles;

/// <summary>
/// <c>metai dicom send --to AET@HOST:PORT [--aet OURS] PATH…</c>: a C-STORE SCU for files and folders (searched
/// recursively; dot files, DICOMDIRs and files that are not DICOM Part 10 skipped in folders, named files always tried). Each
/// file goes in its own transfer syntax when it is compressed, else explicit or implicit VR little endian as the peer
/// accepts. One line per file; exit 1 when any file was not stored, naming each on stderr.
/// </summary>
internal static class DicomSendCommand
{
    public static Command Create()
    {
        var to = DicomNetworkCli.PeerOption("--to", "The peer to store into, e.g. a PACS or R&V system");
        var aet = DicomNetworkCli.OurAeOption();
        var paths = new Argument<string[]>("path") { Description = "DICOM files or folders", Arity = ArgumentArity.OneOrMore };
        var command = new Command("send", "Send DICOM files to a peer (C-STORE): plans and doses to a PACS or R&V system, images to a planning system.")
        {
            to, aet, paths,
        };
        command.SetAction((parse, cancellationToken) => DicomNetworkCli.RunAsync(parse, async (stdout, stderr) =>
        {
            DicomPeer peer = DicomPeer.Parse(parse.GetValue(to)!);
            string ours = AeTitle.Check(parse.GetValue(aet), "--aet");
            (List<string> files, int skipped) = Collect(parse.GetValue(paths)!);
            if (files.Count == 0)
            {
                throw new ArgumentException($"no DICOM files found in {string.Join(", ", parse.GetValue(paths)!)}" + (skipped > 0 ? $" ({DicomNetworkCli.Count(skipped, "file")} skipped: not DICOM Part 10, or a DICOMDIR)" : string.Empty) + ".");
            }

            IReadOnlyList<StoreResult> results = await StoreScu.SendAsync(peer, ours, files, r => stdout.WriteLine(Line(r)), null, cancellationToken).ConfigureAwait(false);
            List<StoreResult> failed = [.. results.Where(r => !r.Succeeded)];
            stdout.WriteLine($"sent {results.Count - failed.Count} of {DicomNetworkCli.Count(results.Count, "file")} to {peer}" + (failed.Count > 0 ? $"; {failed.Count} failed" : string.Empty)
                + (skipped > 0 ? $"; {DicomNetworkCli.Count(skipped, "file")} skipped (not DICOM Part 10, or a DICOMDIR)" : string.Empty));
            if (failed.Count > 0)
            {
                stderr.WriteLine($"metai: {DicomNetworkCli.Count(failed.Count, "file")} not stored by {peer}: "
                    + string.Join("; ", failed.Take(10).Select(r => $"{r.Path}: {r.Error}")) + (failed.Count > 10 ? $"; and {failed.Count - 10} more" : string.Empty));
            }

            return failed.Count == 0 ? 0 : 1;
        }));
        return command;
    }

    private static string Line(StoreResult r) => r.Succeeded
        ? $"sent {r.Path}: {DicomNetworkUids.NameOf(r.SopClassUid!)} {r.SopInstanceUid} in {DicomNetworkCli.SyntaxName(r.TransferSyntaxUid!)}: {DimseStatus.Describe(r.Status!.Value)}"
        : $"FAILED {r.Path}: {r.Error}";

    /// <summary>The files to send, in path order: files as given, folders searched (DICOM Part 10 files only; no DICOMDIR, dot files or dot folders).</summary>
    private static (List<string> Files, int Skipped) Collect(IEnumerable<string> paths)
    {
        var files = new List<string>();
        int skipped = 0;
        foreach (string path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(path);
            }
            else if (Directory.Exists(path))
            {
                foreach (string f in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    if (Path.GetRelativePath(path, f).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.')))
                    {
                        continue;
                    }

                    if (IsPart10(f) && !Path.GetFileName(f).Equals("DICOMDIR", StringComparison.OrdinalIgnoreCase))
                    {
                        files.Add(f);
                    }
                    else
                    {
                        skipped++;
                    }
                }
            }
            else
            {
                throw new FileNotFoundException($"{path}: no such file or directory.", path);
            }
        }

        return (files, skipped);
    }

    private static bool IsPart10(string path)
    {
        using FileStream s = File.OpenRead(path);
        Span<byte> head = stackalloc byte[132];
        return s.ReadAtLeast(head, 132, throwOnEndOfStream: false) == 132 && head[128..].SequenceEqual("DICM"u8);
    }
}
