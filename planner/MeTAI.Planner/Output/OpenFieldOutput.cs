using System.Globalization;
using MeTAI.Core.IO;
using MeTAI.Core.Json;
using MeTAI.Dicom.Cases;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Writers;
using MeTAI.Dosimetry.Analysis;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Planner.Dose;

namespace MeTAI.Planner.Output;

/// <summary>
/// The files of an open-field calculation (<see cref="OpenFieldRun"/>): <c>ct/</c>, <c>rtstruct.dcm</c>,
/// <c>rtplan.dcm</c> (<see cref="RtPlanBuilder.OpenField"/>), <c>rtdose.dcm</c> as one DICOM study, <c>pdd.csv</c>
/// (central axis), <c>profile.csv</c> (lateral, 10 cm depth), <c>dose.png</c> and <c>summary.json</c>. The dose is 0
/// outside the phantom's body (<see cref="DoseMask"/>); the summary's <c>maxDose</c> is the RT Dose's maximum.
/// </summary>
public static class OpenFieldOutput
{
    /// <summary>Writes every file into the request's output directory.</summary>
    /// <param name="request">What was calculated.</param>
    /// <param name="phantom">The phantom.</param>
    /// <param name="beam">The beam as simulated.</param>
    /// <param name="model">The beam model.</param>
    /// <param name="result">The dose, already kept inside the body (<see cref="DoseMask"/>).</param>
    /// <param name="body">The name of the body the dose is kept inside.</param>
    public static void Write(OpenFieldRequest request, PatientCase phantom, BeamSetup beam, BeamModel model, DoseResult result, string body)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(phantom);
        ArgumentNullException.ThrowIfNull(beam);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(result);
        OpenFieldRequest o = request;
        string dir = Path.GetFullPath(o.OutDir);
        Directory.CreateDirectory(dir);
        // G6 keeps every number short (LO allows 64 characters): "10x10 cm SSD 100 cm".
        RtPlan plan = RtPlanBuilder.OpenField(o.FieldXCm * 10, o.FieldYCm * 10, beam.Geometry.IsocenterLps, o.SsdCm * 10, o.MonitorUnits,
            string.Create(CultureInfo.InvariantCulture, $"{o.FieldXCm:G6}x{o.FieldYCm:G6} cm SSD {o.SsdCm:G6} cm"), model.Name, model.SadMm);
        var dose = new RtDose { Dose = result.Dose, Comment = DoseComment.OpenField(result.IsDoseToWater), TissueHeterogeneityCorrection = ["IMAGE"] };
        RtStudyWriter.Write(dir, phantom.Ct, phantom.Rois, plan, dose);

        if (result.CentralAxis is { } pdd)
        {
            AtomicFile.WriteAllText(Path.Combine(dir, "pdd.csv"), pdd.ToCsv());
        }

        if (result.LateralProfile is { } profile)
        {
            AtomicFile.WriteAllText(Path.Combine(dir, "profile.csv"), profile.ToCsv());
        }

        DosePlots.CentralPlane(Path.Combine(dir, "dose.png"), phantom.CtHu, result.Dose, beam.Geometry,
            $"{o.Phantom}: {model.Name} {o.FieldXCm}×{o.FieldYCm} cm², SSD {o.SsdCm} cm");
        AtomicFile.WriteAllText(Path.Combine(dir, "summary.json"), JsonDefaults.Serialize(Summary(o, result, body)));
    }

    /// <summary>The JSON summary (field names are a contract: histories, seconds, historiesPerSecond, …); <c>maxDose</c> is the RT Dose's maximum.</summary>
    public static object Summary(OpenFieldRequest request, DoseResult result, string body)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(result);
        DoseResult r = result;
        return new
        {
            phantom = request.Phantom,
            fieldCm = new[] { request.FieldXCm, request.FieldYCm },
            ssdCm = request.SsdCm,
            beam = request.Beam,
            monitorUnits = request.MonitorUnits,
            doseUnit = r.DoseUnit,
            doseToWater = r.IsDoseToWater,
            histories = r.Histories,
            seconds = r.Seconds,
            historiesPerSecond = r.HistoriesPerSecond,
            meanRelUncertaintyAbove50 = r.MeanRelUncertaintyAbove50,
            efficiency = r.Efficiency,
            batches = r.Batches,
            uncertaintyTarget = r.Target is { } t ? new { percent = 100 * t.RelativeUncertainty, roi = request.UncertaintyRoi, maxHistories = t.MaxHistories, confidence = t.Confidence, minBatches = t.MinBatches } : null,
            stop = r.Stop switch { StopReason.TargetReached => "target reached", StopReason.HistoryCap => "history cap", _ => null },
            stoppingUncertainty = r.StoppingUncertainty,
            stoppingUpperBound = r.StoppingUpperBound,
            device = r.DeviceName,
            maxDose = r.MaxDose,
            body,
            dmaxMm = r.DmaxMm,
            pdd = r.CentralAxis is { } c ? PddPoints(c) : [],
        };
    }

    private static object[] PddPoints(DepthDoseCurve c)
    {
        var points = new object[c.DepthMm.Length];
        for (int n = 0; n < points.Length; n++)
        {
            points[n] = new { depthMm = c.DepthMm[n], percent = 100 * c.Dose[n] / c.MaxDose };
        }

        return points;
    }
}
