using System.CommandLine;
using System.Globalization;
using MeTAI.Core.IO;
using MeTAI.Dicom;
using MeTAI.Dicom.Network;

namespace MeTAI.Cli.Commands.DicomFiles;

/// <summary>
/// <c>metai dicom find --from AET@HOST:PORT --patient ID [--study UID] --out DIR [--json] [--aet OURS]</c>: a C-FIND
/// SCU (Study Root): the patient's studies (or the one named), each with its series, on one association. The listing
/// is written to <c>DIR/find-&lt;patient&gt;[-&lt;study&gt;].json</c> and printed (as text, or that JSON with --json).
/// </summary>
internal static class DicomFindCommand
{
    public static Command Create()
    {
        var from = DicomNetworkCli.PeerOption("--from", "The peer to query, e.g. a PACS");
        var patient = new Option<string>("--patient") { Description = "Patient ID (exact, no wildcards)", Required = true };
        var study = new Option<string?>("--study") { Description = "Study Instance UID: only this study of the patient" };
        var output = new Option<string>("--out") { Description = "Folder for the listing (find-<patient>[-<study>].json)", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the JSON listing instead of text" };
        var aet = DicomNetworkCli.OurAeOption();
        var command = new Command("find", "Query a peer (C-FIND, Study Root): a patient's studies and their series.") { from, patient, study, output, json, aet };
        command.SetAction((parse, cancellationToken) => DicomNetworkCli.RunAsync(parse, async (stdout, _) =>
        {
            DicomPeer peer = DicomPeer.Parse(parse.GetValue(from)!);
            string ours = AeTitle.Check(parse.GetValue(aet), "--aet");
            string patientId = QueryKeys.CheckPatientId(parse.GetValue(patient));
            string? studyUid = parse.GetValue(study)?.Trim();
            if (studyUid is not null && !DicomUid.IsValid(studyUid))
            {
                throw new ArgumentException($"--study '{studyUid}' is not a valid UID.");
            }

            string dir = Path.GetFullPath(parse.GetValue(output)!);
            IReadOnlyList<StudyMatch> matches = await FindScu.FindPatientAsync(peer, ours, patientId, studyUid, null, cancellationToken).ConfigureAwait(false);
            var listing = new Dictionary<string, object?>
            {
                ["peer"] = peer.ToString(),
                ["patientId"] = patientId,
                ["studyInstanceUid"] = studyUid,
                ["studies"] = matches.Select(Study).ToList(),
            };
            string text = CliJson.Serialize(listing);
            Directory.CreateDirectory(dir);
            string file = Path.Combine(dir, $"find-{SafeName(patientId)}{(studyUid is null ? string.Empty : "-" + studyUid)}.json");
            AtomicFile.WriteAllText(file, text + "\n");
            if (parse.GetValue(json))
            {
                stdout.WriteLine(text);
                return 0;
            }

            stdout.WriteLine($"{DicomNetworkCli.Count(matches.Count, "study", "studies")} of patient {patientId}{(studyUid is null ? string.Empty : $" with UID {studyUid}")} at {peer}");
            foreach (StudyMatch m in matches)
            {
                DicomDataset d = m.Study;
                stdout.WriteLine($"  study {d.GetString(DicomTags.StudyInstanceUID)}  date {d.GetString(DicomTags.StudyDate) ?? "-"}  id {d.GetString(DicomTags.StudyID) ?? "-"}  "
                    + $"description {d.GetString(DicomTags.StudyDescription) ?? "-"}  {Number(d, DicomTags.NumberOfStudyRelatedInstances)} instances");
                foreach (DicomDataset s in m.Series)
                {
                    stdout.WriteLine($"    series {s.GetString(DicomTags.SeriesInstanceUID)}  {s.GetString(DicomTags.Modality) ?? "?"}  number {Number(s, DicomTags.SeriesNumber)}  "
                        + $"{Number(s, DicomTags.NumberOfSeriesRelatedInstances)} instances  {s.GetString(DicomTags.SeriesDescription)}".TrimEnd());
                }
            }

            stdout.WriteLine($"wrote {file}");
            return 0;
        }));
        return command;
    }

    private static Dictionary<string, object?> Study(StudyMatch m)
    {
        DicomDataset d = m.Study;
        return new()
        {
            ["studyInstanceUid"] = d.GetString(DicomTags.StudyInstanceUID),
            ["patientId"] = d.GetString(DicomTags.PatientID),
            ["patientName"] = d.GetString(DicomTags.PatientName),
            ["studyDate"] = d.GetString(DicomTags.StudyDate),
            ["studyTime"] = d.GetString(DicomTags.StudyTime),
            ["studyId"] = d.GetString(DicomTags.StudyID),
            ["accessionNumber"] = d.GetString(DicomTags.AccessionNumber),
            ["studyDescription"] = d.GetString(DicomTags.StudyDescription),
            ["modalities"] = d.GetStrings(DicomTags.ModalitiesInStudy) is { Length: > 0 } modalities ? modalities : null,
            ["numberOfSeries"] = Count(d, DicomTags.NumberOfStudyRelatedSeries),
            ["numberOfInstances"] = Count(d, DicomTags.NumberOfStudyRelatedInstances),
            ["series"] = m.Series.Select(Series).ToList(),
        };
    }

    private static Dictionary<string, object?> Series(DicomDataset d) => new()
    {
        ["seriesInstanceUid"] = d.GetString(DicomTags.SeriesInstanceUID),
        ["modality"] = d.GetString(DicomTags.Modality),
        ["seriesNumber"] = Count(d, DicomTags.SeriesNumber),
        ["seriesDescription"] = d.GetString(DicomTags.SeriesDescription),
        ["numberOfInstances"] = Count(d, DicomTags.NumberOfSeriesRelatedInstances),
    };

    private static int? Count(DicomDataset d, DicomTag tag)
    {
        try
        {
            return d.TryGetSingleValue(tag, out int n) ? n : null;
        }
        catch (DicomFormatException)
        {
            // A peer's malformed count is shown as absent rather than failing the listing.
            return null;
        }
    }

    private static string Number(DicomDataset d, DicomTag tag) => Count(d, tag)?.ToString(CultureInfo.InvariantCulture) ?? "?";

    /// <summary>A patient ID as a file-name part: letters, digits, '.', '-' and '_' kept, anything else '_'.</summary>
    private static string SafeName(string id) =>
        string.Concat(id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
}
