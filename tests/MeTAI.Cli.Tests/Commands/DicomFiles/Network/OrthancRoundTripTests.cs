using System.Text.Json;
using MeTAI.Dicom;
using MeTAI.TestUtilities;

namespace MeTAI.Cli.Tests.Commands.DicomFiles.Network;

/// <summary>
/// The department's round trip through a real PACS, all through the CLI: a CT + RTSTRUCT case goes to Orthanc by
/// <c>dicom send</c>, comes back by <c>dicom retrieve</c> (C-GET) already laid out as a case, is planned by
/// <c>plan</c> (the quick settings the plan tests use), and the RT Plan and RT Dose go back by <c>dicom send</c>;
/// <c>dicom find</c> and Orthanc's REST API then show that Orthanc holds them in the patient's record.
/// </summary>
public class OrthancRoundTripTests
{
    [ToolFact("/usr/sbin/Orthanc")]
    public void RoundTrip_SendRetrievePlanSendBack_OrthancHoldsPlanAndDose()
    {
        string root = CliRunner.TempDir("roundtrip");
        string caseDir = Path.Combine(root, "case"), retrieved = Path.Combine(root, "retrieved"), planDir = Path.Combine(root, "plan"), found = Path.Combine(root, "find");
        Ok(CliRunner.Run("phantom", "prostate", "--voxel", "10", "--out", caseDir));
        DicomDataset ct = NetworkCase.Dataset(Directory.GetFiles(Path.Combine(caseDir, "ct"))[0]);
        string patientId = ct.GetString(DicomTags.PatientID)!, studyUid = ct.GetString(DicomTags.StudyInstanceUID)!;
        using OrthancServer orthanc = OrthancServer.Start();
        string pacs = orthanc.ToString();

        Ok(CliRunner.Run("dicom", "send", "--to", pacs, caseDir));
        string retrieve = Ok(CliRunner.Run("dicom", "retrieve", "--from", pacs, "--patient", patientId, "--out", retrieved));
        string retrievedCase = Path.Combine(retrieved, studyUid);
        Ok(CliRunner.Run("plan", "--case", retrievedCase, "--protocol", RepositoryPaths.Config("protocols", "prostate.json"), "--beams", "3",
            "--beamlet-histories", "300", "--final-histories", "200000", "--device", "cpu", "--out", planDir));
        string rtplan = Path.Combine(planDir, "rtplan.dcm"), rtdose = Path.Combine(planDir, "rtdose.dcm");
        string sendBack = Ok(CliRunner.Run("dicom", "send", "--to", pacs, rtplan, rtdose));
        string listing = Ok(CliRunner.Run("dicom", "find", "--from", pacs, "--patient", patientId, "--out", found, "--json"));

        Assert.Contains($"retrieved study {studyUid} (C-GET): ", retrieve, StringComparison.Ordinal);
        NetworkCase.AssertSameObjects(NetworkCase.DicomFilesIn(caseDir), NetworkCase.DicomFilesIn(retrieved));
        Assert.Contains("sent 2 of 2 files", sendBack, StringComparison.Ordinal);
        string planUid = NetworkCase.SopInstance(rtplan), doseUid = NetworkCase.SopInstance(rtdose);
        Assert.Equal(patientId, NetworkCase.Dataset(rtplan).GetString(DicomTags.PatientID));
        using JsonDocument doc = JsonDocument.Parse(listing);
        string[] modalities = [.. doc.RootElement.GetProperty("studies").EnumerateArray()
            .SelectMany(s => s.GetProperty("series").EnumerateArray()).Select(s => s.GetProperty("modality").GetString()!).Order(StringComparer.Ordinal)];
        Assert.Equal(["CT", "RTDOSE", "RTPLAN", "RTSTRUCT"], modalities);
        IReadOnlyList<string> held = orthanc.SopInstanceUids();
        Assert.Contains(planUid, held);
        Assert.Contains(doseUid, held);
        Assert.Equal(NetworkCase.DicomFilesIn(caseDir).Count + 2, held.Count);
        string[] kept = [Path.Combine(root, "held-plan.dcm"), Path.Combine(root, "held-dose.dcm")];
        File.WriteAllBytes(kept[0], orthanc.InstanceFile(planUid));
        File.WriteAllBytes(kept[1], orthanc.InstanceFile(doseUid));
        NetworkCase.AssertSameObjects([rtplan, rtdose], kept);
    }

    private static string Ok((int Code, string Stdout, string Stderr) run)
    {
        Assert.True(run.Code == 0, run.Stderr + run.Stdout);
        return run.Stdout;
    }
}
