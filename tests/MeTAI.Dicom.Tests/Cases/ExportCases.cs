using MeTAI.Core.Phantoms;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Writers;
using MeTAI.Dicom.Tests.Rt;

namespace MeTAI.Dicom.Tests.Cases;

/// <summary>Our phantom cases written as ct/ + rtstruct.dcm (+ rtplan.dcm, rtdose.dcm), then exported by pydicom.</summary>
internal static class ExportCases
{
    /// <summary>The prostate phantom at 10 mm with a plan and a dose, in our layout.</summary>
    public static (string Dir, RtStudy Study, Phantom Phantom) Written(string name, RtPatientStudy? patient = null, string series = "planning CT", int seriesNumber = 1)
    {
        Phantom phantom = PhantomLibrary.Build("prostate", 10);
        string dir = RtTestData.TempDir(name);
        CtSeries c = RtPhantom.ToCtSeries(phantom, patient);
        var ct = new CtSeries(c.Hu, c.PatientStudy, c.SeriesInstanceUid, c.FrameOfReferenceUid, c.SopInstanceUids) { SeriesDescription = series, SeriesNumber = seriesNumber };
        RtStudy study = RtStudyWriter.Write(dir, ct, RtPhantom.RoiMasks(phantom), RtTestData.Plan(), RtTestData.Dose(ct.Geometry));
        return (dir, study, phantom);
    }

    /// <summary>The same case as a planning system's flat export (CT.*, RS.*, RP.*, RD.*, README.txt, export.xml).</summary>
    public static (string Flat, IReadOnlyList<(string Modality, string Path)> Files, RtStudy Study, string Layout) Flat(string name, bool subdirs = false)
    {
        (string dir, RtStudy study, _) = Written(name + "-layout");
        string flat = RtTestData.TempDir(name);
        IReadOnlyList<(string, string)> files = DicomExports.Flat(flat, subdirs, dir);
        return (flat, files, study, dir);
    }
}
