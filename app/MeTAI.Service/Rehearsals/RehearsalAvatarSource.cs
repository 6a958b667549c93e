using MeTAI.Core.Geometry;
using MeTAI.Core.IO;
using MeTAI.Core.Phantoms;
using MeTAI.Dicom.Cases;
using MeTAI.Planner.Beams;
using MeTAI.Rehearsal.Avatar;
using MeTAI.Rehearsal.Cases;
using MeTAI.Service.Plans;

namespace MeTAI.Service.Rehearsals;

/// <summary>
/// The one place where a rehearsal job's case becomes an avatar, as <c>metai rehearse --case</c> makes it: the case is
/// loaded by <see cref="CaseLoader"/> (a built-in phantom, or an uploaded case's ct/ + rtstruct.dcm as plan jobs load
/// it), made a <see cref="RehearsalCase"/> with the CT's patient position, and built by
/// <see cref="CaseRehearsal.BuildAvatar"/> with the phantom's avatar config (<c>configs/avatars/NAME.json</c>) or, for
/// an uploaded case, <c>configs/avatars/ct-abdomen.json</c> (ROIs by type or name, the rest of the body by HU).
/// </summary>
public static class RehearsalAvatarSource
{
    /// <summary>The avatar config of an uploaded (DICOM) case, as the CLI's <c>rehearse --case DIR</c> chooses it.</summary>
    public const string UploadAvatarConfig = "ct-abdomen";

    /// <summary>Built-in phantoms that have an avatar config, so can be rehearsed.</summary>
    public static IReadOnlyList<string> Phantoms() =>
        [.. PhantomLibrary.Names.Where(n => File.Exists(ConfigFiles.PathOf("avatars", n + ".json")))];

    /// <summary>The avatar config <c>configs/avatars/NAME.json</c> (a built-in phantom's, or <see cref="UploadAvatarConfig"/>).</summary>
    public static string ConfigPath(string name) =>
        ConfigFiles.Existing("avatar config for " + name, "avatars", name + ".json");

    /// <summary>What the rehearsal library is asked for: the job's settings as <c>metai rehearse</c>'s options.</summary>
    public static RehearsalRequest Request(RehearsalSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new RehearsalRequest
        {
            Target = settings.Target,
            Avoid = settings.Avoid,
            CellMm = settings.ResolutionMm,
            Search = new Rehearsal.Search.SearchSettings
            {
                Candidates = settings.Candidates,
                Seed = settings.Seed,
                MinClearanceMm = settings.MinClearanceMm,
                Threads = Math.Max(1, Environment.ProcessorCount),
            },
            Insertion = new Rehearsal.Search.InsertionSettings { SpeedMmPerS = settings.SpeedMmPerS },
        };
    }

    /// <summary>Loads the job's case and builds its avatar.</summary>
    /// <exception cref="KeyNotFoundException">The target or an avoided ROI is not in the case (the message lists its ROIs).</exception>
    public static RehearsalInputs Build(PlanJobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RehearsalSettings settings = request.Rehearsal ?? throw new ArgumentException("The job is not a rehearsal.", nameof(request));
        PatientCase patient = Load(request, settings);
        AvatarConfig config = AvatarConfigLoader.Load(ConfigPath(request.Case ?? UploadAvatarConfig));
        (PatientPosition position, _) = CtPatientPosition.Read(patient.Ct, $"case '{patient.Name}'");
        var rehearsalCase = new RehearsalCase(patient.Name, [.. patient.Rois.Select(r => new AvatarRoi(r.Mask, r.InterpretedType))], patient.CtHu, patient.LandmarksLps, position);
        PatientAvatar avatar = CaseRehearsal.BuildAvatar(rehearsalCase, config, Request(settings));
        return new RehearsalInputs(patient, avatar, position);
    }

    // A built-in phantom at the job's voxel size, or the upload's CT series and structure set (its own choice, or the
    // request's) under the upload's label, without patient identity in any log.
    private static PatientCase Load(PlanJobRequest request, RehearsalSettings settings)
    {
        if (request.Case is { } phantom)
        {
            return CaseLoader.Load(phantom, settings.VoxelMm);
        }

        string dir = request.CaseDirectory ?? throw new ArgumentException("The rehearsal names neither a case nor a case directory.", nameof(request));
        var options = new CaseLoadOptions
        {
            CtSeriesUid = request.CtSeriesUid,
            StructureSetUid = request.StructureSetUid,
            CtSeriesOption = "ctSeries",
            StructureSetOption = "structureSet",
            LogPatientIdentity = false,
        };
        return CaseLoader.FromDirectory(dir, options, TextWriter.Null) with { Name = request.CaseName };
    }
}
